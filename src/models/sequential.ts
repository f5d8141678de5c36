/**
 * The shared half of sequential recommenders (SASRec, the Markov chain, item-kNN on the last item): models that
 * score what comes *next* after an ordered history rather than an unordered set.
 *
 * Order comes from event times: a training user's sequence is their items sorted by the latest event time of each.
 * Events with the same time (ML-100K: half of all consecutive ratings share a second) are ordered by a neutral key,
 * a hash of the user and item ids (`tieKey`) — never the item index or the file order, which carry popularity and
 * catalogue order a model could learn — so a tie is a pseudo-random order, independent per user, the same however
 * the data were loaded. The leave-one-out split (src/eval/splits.ts) uses the same order (`timeOrder`). A history given by a caller (fold-in, an anonymous
 * session) is read in the order given, oldest first; an item seen twice counts at its latest position. The
 * index-level `scoreHistory(items, weights)` of the Recommender contract reads `items` in the order given too.
 */
import { LayerwiseError } from '../core/errors.js';
import type { IdMap } from '../core/ids.js';
import { hashString } from '../core/rng.js';
import { BaseRecommender, type IndexEvidence, type Params } from './base.js';
import type { Interactions } from './interactions.js';
import type { Evidence, HistoryEntry, Recommender, RecommendOptions, Scored } from './recommender.js';

/** A recommender that scores the next item after an ordered sequence of item indices (oldest first). */
export interface SequentialRecommender extends Recommender {
  readonly sequential: true;
  scoreSequence(sequence: Int32Array, out: Float32Array): void;
  /** History ids (oldest first) → item indices in order; unknown ids dropped, repeats kept at the latest place. */
  sequenceOf(history: readonly HistoryEntry[]): Int32Array;
  /** What in `sequence` makes each of `targets` score what it does (one evidence per target; for serving). */
  explainNext(sequence: Int32Array, targets: ArrayLike<number>): IndexEvidence[];
}

export function isSequential(model: Recommender): model is SequentialRecommender {
  return (model as Partial<SequentialRecommender>).sequential === true;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const idHashes = new WeakMap<IdMap, Uint32Array>();
/** hashString of every id of a map, cached per map (recomputed when the map has grown). */
function hashesOf(ids: IdMap): Uint32Array {
  let h = idHashes.get(ids);
  if (!h || h.length !== ids.size) {
    h = Uint32Array.from(ids.toArray(), hashString);
    idHashes.set(ids, h);
  }
  return h;
}

/** The neutral order of two events of one user at the same time: compare tieKey(user, a) with tieKey(user, b). */
export function tieKey(userId: string, itemId: string): number {
  return tieKeyOfHashes(hashString(userId), hashString(itemId));
}

function tieKeyOfHashes(user: number, item: number): number {
  return fmix32(user ^ Math.imul(item, 0x9e3779b1));
}

/**
 * Positions (into data.matrix's entries) of user u's events, oldest first: by time, ties by `tieKey` of the ids
 * (and by item index only when two keys collide). Throws when the data carries no times and u has 2+ events.
 */
export function timeOrder(data: Interactions, u: number): Int32Array {
  const m = data.matrix;
  const start = m.indptr[u]!;
  const end = m.indptr[u + 1]!;
  const order = Int32Array.from({ length: end - start }, (_, i) => start + i);
  if (end - start <= 1) return order;
  if (!data.times) {
    throw new LayerwiseError(
      'invalid_argument',
      'sequential models need event timestamps to order each history; these interactions have none',
    );
  }
  const t = data.times;
  const items = hashesOf(data.items);
  const user = hashString(data.users.id(u));
  const key = new Float64Array(end - start);
  for (let p = start; p < end; p++) key[p - start] = tieKeyOfHashes(user, items[m.indices[p]!]!);
  order.sort((a, b) => t[a]! - t[b]! || key[a - start]! - key[b - start]! || m.indices[a]! - m.indices[b]!);
  return order;
}

/** User u's items in time order (ties by `tieKey`). Throws when the data carries no times. */
export function userSequence(data: Interactions, u: number): Int32Array {
  const idx = data.matrix.indices;
  return Int32Array.from(timeOrder(data, u), (p) => idx[p]!);
}

/** Every user's sequence (index = user index). */
export function allSequences(data: Interactions): Int32Array[] {
  return Array.from({ length: data.nUsers }, (_, u) => userSequence(data, u));
}

/** Drops earlier repeats: each item keeps its latest position. */
export function dedupeKeepLast(seq: ArrayLike<number>): Int32Array {
  const seen = new Set<number>();
  const out: number[] = [];
  for (let i = seq.length - 1; i >= 0; i--) {
    const x = seq[i]!;
    if (!seen.has(x)) {
      seen.add(x);
      out.push(x);
    }
  }
  return Int32Array.from(out.reverse());
}

export abstract class SequentialModel<P extends Params> extends BaseRecommender<P> implements SequentialRecommender {
  readonly sequential = true as const;

  /** Scores of every item as the next one after `sequence` (item indices, oldest first), into out. */
  abstract scoreSequence(sequence: Int32Array, out: Float32Array): void;
  /** What in `sequence` makes `target` score what it does. */
  protected abstract explainSequence(sequence: Int32Array, target: number): IndexEvidence;

  explainNext(sequence: Int32Array, targets: ArrayLike<number>): IndexEvidence[] {
    return Array.from(targets, (t) => this.explainSequence(sequence, t));
  }

  sequenceOf(history: readonly HistoryEntry[]): Int32Array {
    const idx: number[] = [];
    for (const h of history) {
      const i = this.data.items.index(h.item);
      if (i !== undefined) idx.push(i);
    }
    return dedupeKeepLast(idx);
  }

  /** `items` read in the order given, as the sequence (weights unused). */
  scoreHistory(items: Int32Array, _weights: Float32Array, out: Float32Array): void {
    this.scoreSequence(items, out);
  }

  override scoreUser(u: number, out: Float32Array): void {
    this.scoreSequence(userSequence(this.data, u), out);
  }

  override recommend(user: string, k: number, options: RecommendOptions = {}): Scored[] {
    const seq = userSequence(this.data, this.userIndex(user));
    const out = new Float32Array(this.data.nItems);
    this.scoreSequence(seq, out);
    return this.top(out, k, seq, options);
  }

  override recommendForHistory(history: readonly HistoryEntry[], k: number, options: RecommendOptions = {}): Scored[] {
    const seq = this.sequenceOf(history);
    const out = new Float32Array(this.data.nItems);
    this.scoreSequence(seq, out);
    return this.top(out, k, seq, options);
  }

  override explainForHistory(history: readonly HistoryEntry[], item: string, maxContributions = 5): Evidence {
    return this.evidence(this.explainSequence(this.sequenceOf(history), this.itemIndex(item)), item, maxContributions);
  }

  protected explainIndex(items: Int32Array, _weights: Float32Array, target: number, user?: number): IndexEvidence {
    return this.explainSequence(user === undefined ? items : userSequence(this.data, user), target);
  }
}
