/**
 * The shared half of sequential recommenders (SASRec, the Markov chain, item-kNN on the last item): models that
 * score what comes *next* after an ordered history rather than an unordered set.
 *
 * Order comes from event times: a training user's sequence is their items sorted by the latest event time of each
 * (ties broken by item index, so the order is deterministic). A history given by a caller (fold-in, an anonymous
 * session) is read in the order given, oldest first; an item seen twice counts at its latest position. The
 * index-level `scoreHistory(items, weights)` of the Recommender contract reads `items` in the order given too.
 */
import { LayerwiseError } from '../core/errors.js';
import { BaseRecommender, type IndexEvidence, type Params } from './base.js';
import type { Interactions } from './interactions.js';
import type { Evidence, HistoryEntry, Recommender, RecommendOptions, Scored } from './recommender.js';

/** A recommender that scores the next item after an ordered sequence of item indices (oldest first). */
export interface SequentialRecommender extends Recommender {
  readonly sequential: true;
  scoreSequence(sequence: Int32Array, out: Float32Array): void;
  /** History ids (oldest first) → item indices in order; unknown ids dropped, repeats kept at the latest place. */
  sequenceOf(history: readonly HistoryEntry[]): Int32Array;
}

export function isSequential(model: Recommender): model is SequentialRecommender {
  return (model as Partial<SequentialRecommender>).sequential === true;
}

/** User u's items in time order (ties by item index). Throws when the data carries no times. */
export function userSequence(data: Interactions, u: number): Int32Array {
  const m = data.matrix;
  const start = m.indptr[u]!;
  const end = m.indptr[u + 1]!;
  const items = m.indices.slice(start, end);
  if (!data.times) {
    if (end - start <= 1) return items;
    throw new LayerwiseError(
      'invalid_argument',
      'sequential models need event timestamps to order each history; these interactions have none',
    );
  }
  const t = data.times;
  const order = Array.from({ length: end - start }, (_, i) => i);
  order.sort((a, b) => t[start + a]! - t[start + b]! || items[a]! - items[b]!);
  return Int32Array.from(order, (i) => items[i]!);
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
