/**
 * The evidence behind the reasons of a user's first candidates, kept as numbers in typed arrays allocated with the
 * user's cache entry: the first request that explains candidate `pos` computes it (model contributions, closest
 * shape), later requests rebuild the Reason objects from it. Nothing is allocated when it is filled, so a cache
 * filling up under traffic adds nothing for the garbage collector to copy — the objects a response needs are
 * short-lived. Positions beyond SLOTS are explained per request, uncached.
 */

import { modelEvidence, type ReasonEvidence, reasonsFromEvidence, shapeEvidence } from './reasons.js';
import type { ServedModel } from './served-model.js';
import type { ServingState } from './state.js';
import type { Reason } from './types.js';
import type { UserState } from './user-history.js';

/** Candidate positions whose evidence is cached per user (a page of 10–20 plus a few filtered away). */
export const SLOTS = 24;
/** Numbers per slot: two history sources + shape source (catalogue indices) and their weights. */
const WIDTH = 3;

export class ReasonSlots {
  private readonly filled = new Uint8Array(SLOTS);
  private readonly basis = new Int8Array(SLOTS);
  private readonly src = new Int32Array(SLOTS * WIDTH);
  private readonly weight = new Float64Array(SLOTS * WIDTH);
  /** Scratch evidence reused across calls (serving is synchronous). */
  private readonly ev: ReasonEvidence = { basis: 0, src: new Int32Array(WIDTH), weight: new Float64Array(WIDTH) };

  /** Model + shape reasons for catalogue item `index` at candidate position `pos`. */
  reasons(
    pos: number,
    index: number,
    served: ServedModel,
    hist: { items: Int32Array; weights: Float32Array },
    state: ServingState,
    user: UserState,
  ): Reason[] {
    const ev = this.ev;
    if (pos >= 0 && pos < SLOTS && this.filled[pos] === 1) {
      ev.basis = this.basis[pos]!;
      for (let j = 0; j < WIDTH; j++) {
        ev.src[j] = this.src[pos * WIDTH + j]!;
        ev.weight[j] = this.weight[pos * WIDTH + j]!;
      }
    } else {
      modelEvidence(served, hist, index, state, ev);
      shapeEvidence(state, user, index, ev);
      if (pos >= 0 && pos < SLOTS) {
        this.basis[pos] = ev.basis;
        for (let j = 0; j < WIDTH; j++) {
          this.src[pos * WIDTH + j] = ev.src[j]!;
          this.weight[pos * WIDTH + j] = ev.weight[j]!;
        }
        this.filled[pos] = 1;
      }
    }
    return reasonsFromEvidence(ev, state, user);
  }
}
