/**
 * Negative feedback at serving time. Hidden and reported items never come back for that user (they are part of the
 * user's history, which recommendations always skip, and their negative weight keeps them out of the fold-in).
 * Disliked items also lower what resembles them, for that user only: every candidate's score is multiplied by
 * Π (1 − strength · sim) over the user's most recent dislikes, where sim is the larger of the shape cosine (the
 * catalogue's shape embeddings) and the behavioural similarity of the served model (its item–item neighbours),
 * clipped to [0, 1]. Multiplying by ≤ 1 never raises a score, so the re-ranker's early stop stays exact.
 */
import type { ServedModel } from './served-model.js';
import type { ServingState } from './state.js';

export interface DislikeOptions {
  /** 0 = dislikes only remove the item itself; 1 = an identical item is dropped. Default 0.5. */
  strength: number;
  /** Neighbours looked at per disliked item (default 50). */
  neighbours?: number;
}

/** Catalogue index → score multiplier (< 1) for items like the user's disliked ones; empty when none apply. */
export function dislikePenalties(
  state: ServingState,
  served: ServedModel | null,
  disliked: readonly number[],
  o: DislikeOptions,
): Map<number, number> {
  const out = new Map<number, number>();
  const strength = Math.min(1, Math.max(0, o.strength));
  if (strength === 0 || disliked.length === 0) return out;
  const n = o.neighbours ?? 50;
  for (const d of disliked) {
    const sims = new Map<number, number>();
    const keep = (index: number, s: number) => {
      if (index === d || !(s > 0)) return;
      sims.set(index, Math.max(sims.get(index) ?? 0, Math.min(1, s)));
    };
    for (const h of state.shapes?.nearest(d, n) ?? []) keep(h.index, h.score);
    const item = state.catalog.items[d];
    if (served && item && served.modelIndex(d) >= 0) {
      for (const s of served.model.similarItems(item.id, n)) {
        const c = state.catalog.index(s.item);
        if (c !== undefined) keep(c, s.score);
      }
    }
    for (const [index, s] of sims) out.set(index, (out.get(index) ?? 1) * (1 - strength * s));
  }
  return out;
}
