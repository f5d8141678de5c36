/**
 * Scores a fitted model on a split: full ranking over every item the user has not seen in training (or in the
 * fold-in history), top-K lists, per-user metric values at K, mean curves over K = 1..maxK, and list-level
 * beyond-accuracy measures (coverage, Gini, novelty). On the `cold-items` protocol the candidates are the held-out
 * items only (items without training events: which new item will this user like?), and `recallAll` / `ndcgAll`
 * rank the same test items among every unseen item (can a new item beat the established ones?); on the other
 * protocols those two equal recall / ndcg.
 */
import { topK } from '../core/math.js';
import { Rng } from '../core/rng.js';
import type { Recommender } from '../models/recommender.js';
import { rowIndices, rowNnz, rowValues } from '../models/sparse.js';
import {
  auc,
  averagePrecisionAtK,
  averagePrecisionCappedAtK,
  catalogueCoverage,
  giniIndex,
  hitRateAtK,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  recallCappedAtK,
  reciprocalRankAtK,
} from './metrics.js';
import type { Split } from './splits.js';

export const METRICS = [
  'ndcg',
  'precision',
  'recall',
  'recallCapped',
  'map',
  'mapCapped',
  'hitRate',
  'mrr',
  'auc',
  'recallAll',
  'ndcgAll',
] as const;
export type MetricName = (typeof METRICS)[number];

export interface EvalResult {
  k: number;
  /** Test users in evaluation order (user indices). */
  users: Int32Array;
  /** Per-user values at k, aligned with `users`. */
  perUser: Record<MetricName, Float64Array>;
  /** Means at k. */
  means: Record<MetricName, number>;
  /** Mean recall / NDCG / precision at K = 1..maxK. */
  curves: { k: number[]; recall: number[]; ndcg: number[]; precision: number[] };
  coverage: number;
  gini: number;
  novelty: number;
  seconds: number;
}

export interface EvalOptions {
  k?: number;
  /** Curves up to this K (default max(k, 20)). */
  maxK?: number;
  /** Skip AUC (a sort per user) when false. Default true. */
  auc?: boolean;
  signal?: AbortSignal;
  /**
   * Evaluate at most this many test users, drawn uniformly (seeded by `sampleSeed`): at scale the means come with a
   * bootstrap confidence interval instead of ranking every user against every item. Default: all users.
   */
  sampleUsers?: number;
  sampleSeed?: number;
  /** Called every 256 users with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** `n` of `users` drawn without replacement (partial Fisher–Yates), returned in ascending order. */
export function sampleUsers(users: number[], n: number, seed: number): number[] {
  if (users.length <= n) return users;
  const rng = new Rng(seed);
  const a = users.slice();
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, n).sort((x, y) => x - y);
}

/** Evaluates a model fitted on split.train. Users without test items are skipped. */
export function evaluate(model: Recommender, split: Split, options: EvalOptions = {}): EvalResult {
  const t0 = performance.now();
  const k = options.k ?? 10;
  const maxK = Math.max(options.maxK ?? 20, k);
  const nItems = split.train.nItems;
  const test = split.test;
  let users: number[] = [];
  for (let u = 0; u < test.rows; u++) if (rowNnz(test, u) > 0) users.push(u);
  if (options.sampleUsers !== undefined) users = sampleUsers(users, options.sampleUsers, options.sampleSeed ?? 1);
  const perUser = Object.fromEntries(METRICS.map((m) => [m, new Float64Array(users.length)])) as Record<
    MetricName,
    Float64Array
  >;
  const curveR = new Float64Array(maxK);
  const curveN = new Float64Array(maxK);
  const curveP = new Float64Array(maxK);
  const lists: number[][] = [];
  const scratch = new Float32Array(nItems);
  const seen = new Uint8Array(nItems);
  const withAuc = options.auc ?? true;
  // cold-items: warm items (any training event) are no candidates for the main metrics
  const coldOnly = split.protocol === 'cold-items';
  const warm = new Uint8Array(nItems);
  if (coldOnly) for (const i of split.train.matrix.indices) warm[i] = 1;
  const rng = new Rng(split.seed);
  const batch = batchScorer(model, users, nItems, (u) => !(split.foldIn && rowNnz(split.foldIn, u) > 0));
  users.forEach((u, n) => {
    if (options.signal?.aborted) throw options.signal.reason;
    if ((n & 255) === 0) options.onProgress?.(n, users.length);
    const history = split.foldIn && rowNnz(split.foldIn, u) > 0 ? split.foldIn : split.train.matrix;
    const hist = rowIndices(history, u);
    let scores: Float32Array = scratch;
    if (history === split.foldIn) model.scoreHistory(hist, rowValues(history, u), scores);
    else scores = batch?.(n) ?? (model.scoreUser(u, scores), scores);
    for (const i of hist) seen[i] = 1;
    const rankedAll = topK(scores, maxK, (i) => seen[i] === 1);
    const ranked = coldOnly ? topK(jitter(scores, warm, rng), maxK, (i) => seen[i] === 1 || warm[i] === 1) : rankedAll;
    const rel = new Set(rowIndices(test, u));
    perUser.recallAll[n] = recallAtK(rankedAll, rel, k);
    perUser.ndcgAll[n] = ndcgAtK(rankedAll, rel, k);
    perUser.ndcg[n] = ndcgAtK(ranked, rel, k);
    perUser.precision[n] = precisionAtK(ranked, rel, k);
    perUser.recall[n] = recallAtK(ranked, rel, k);
    perUser.recallCapped[n] = recallCappedAtK(ranked, rel, k);
    perUser.map[n] = averagePrecisionAtK(ranked, rel, k);
    perUser.mapCapped[n] = averagePrecisionCappedAtK(ranked, rel, k);
    perUser.hitRate[n] = hitRateAtK(ranked, rel, k);
    perUser.mrr[n] = reciprocalRankAtK(ranked, rel, k);
    perUser.auc[n] = withAuc ? auc(scores, rel, (i) => seen[i] === 0 && warm[i] === 0) : Number.NaN;
    for (let kk = 1; kk <= maxK; kk++) {
      curveR[kk - 1]! += recallAtK(ranked, rel, kk);
      curveN[kk - 1]! += ndcgAtK(ranked, rel, kk);
      curveP[kk - 1]! += precisionAtK(ranked, rel, kk);
    }
    lists.push(ranked.slice(0, k));
    for (const i of hist) seen[i] = 0;
  });
  const nU = Math.max(users.length, 1);
  const means = Object.fromEntries(METRICS.map((m) => [m, perUser[m].reduce((a, b) => a + b, 0) / nU])) as Record<
    MetricName,
    number
  >;
  const itemUsers = new Float64Array(nItems);
  for (const i of split.train.matrix.indices) itemUsers[i]!++;
  return {
    k,
    users: Int32Array.from(users),
    perUser,
    means,
    curves: {
      k: Array.from({ length: maxK }, (_, i) => i + 1),
      recall: Array.from(curveR, (x) => x / nU),
      ndcg: Array.from(curveN, (x) => x / nU),
      precision: Array.from(curveP, (x) => x / nU),
    },
    coverage: catalogueCoverage(lists, nItems),
    gini: giniIndex(lists, nItems),
    novelty: novelty(lists, itemUsers, Math.max(split.train.nUsers, 1)),
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * For a model with `scoreUsers`: the scores of users[n] (a training user), computed a block of users at a time (one
 * matrix product per block, at most ~64 MB of scores), for users visited in order; null for users scored otherwise.
 */
function batchScorer(
  model: Recommender,
  users: readonly number[],
  nItems: number,
  fromTraining: (u: number) => boolean,
): ((n: number) => Float32Array | null) | null {
  if (typeof model.scoreUsers !== 'function' || users.length < 2) return null;
  const size = Math.max(1, Math.min(64, Math.floor(16_000_000 / Math.max(1, nItems))));
  const out = new Float32Array(size * nItems);
  let start = -1;
  let rows = new Int32Array(0);
  return (n) => {
    if (!fromTraining(users[n]!)) return null;
    if (start < 0 || n < start || n >= start + size) {
      start = n;
      const block = users.slice(n, n + size);
      rows = Int32Array.from(block, (u, r) => (fromTraining(u) ? r : -1));
      const train = Int32Array.from(block.filter((u) => fromTraining(u)));
      model.scoreUsers!(train, out.subarray(0, train.length * nItems));
      let t = 0;
      for (let r = 0; r < rows.length; r++) if (rows[r]! >= 0) rows[r] = t++;
    }
    const r = rows[n - start]!;
    return out.subarray(r * nItems, (r + 1) * nItems);
  };
}

/**
 * Cold candidates with a seeded random tie-break: models without content give every cold item the same score (0, up
 * to rounding noise), and breaking those ties by index would rank by position in the data file (which leaks
 * first-appearance order); −∞ (a model with no score for the item) counts as the lowest finite score. The noise is 1e-6 of the largest |score|: below any real difference, above rounding noise.
 */
function jitter(scores: Float32Array, warm: Uint8Array, rng: Rng): Float64Array {
  let max = 0;
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i]!)) max = Math.max(max, Math.abs(scores[i]!));
  const eps = 1e-6 * (max > 0 ? max : 1);
  const out = new Float64Array(scores.length); // float64: the noise must not round away next to large scores
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    // −∞ (EASE: "no score for an item without events") ties with the other unscored items at the bottom
    out[i] = warm[i] === 1 ? s : (Number.isFinite(s) ? s : -max) + eps * rng.next();
  }
  return out;
}
