/**
 * Ranking metrics as pure functions of (ranked list, relevant set, k), binary relevance. Definitions follow
 * Microsoft Recommenders (python_evaluation) so that our numbers are comparable with its published benchmark:
 * precision = hits/k; recall = hits/|relevant|; NDCG with the ideal over min(k, |relevant|); MAP@K =
 * Σ_{hit at rank r ≤ k} precision@r / |relevant| (recommenders ≤ 1.1 `map_at_k`, the published tables).
 * Variants: recallCapped = hits/min(k, |relevant|) and mapAtKCapped (divides by min(k, |relevant|)).
 */

export type Ranked = ArrayLike<number>;
export type Relevant = ReadonlySet<number>;

function hitsAt(ranked: Ranked, relevant: Relevant, k: number): number {
  let h = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r]!)) h++;
  return h;
}

export function precisionAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  return k > 0 ? hitsAt(ranked, relevant, k) / k : 0;
}

/** hits / |relevant| (Microsoft Recommenders `recall_at_k`). */
export function recallAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  return relevant.size > 0 ? hitsAt(ranked, relevant, k) / relevant.size : 0;
}

/** hits / min(k, |relevant|) (reaches 1 when the list is perfect; Liang et al. 2018 "Recall@K"). */
export function recallCappedAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  const d = Math.min(k, relevant.size);
  return d > 0 ? hitsAt(ranked, relevant, k) / d : 0;
}

export function dcgAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  let s = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r]!)) s += 1 / Math.log2(r + 2);
  return s;
}

/** Binary NDCG@K; the ideal DCG places min(k, |relevant|) hits first. */
export function ndcgAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  let ideal = 0;
  const m = Math.min(k, relevant.size);
  for (let r = 0; r < m; r++) ideal += 1 / Math.log2(r + 2);
  return ideal > 0 ? dcgAtK(ranked, relevant, k) / ideal : 0;
}

function sumPrecisionAtHits(ranked: Ranked, relevant: Relevant, k: number): number {
  let hits = 0;
  let s = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) {
    if (relevant.has(ranked[r]!)) {
      hits++;
      s += hits / (r + 1);
    }
  }
  return s;
}

/** Average precision at K over |relevant| (Microsoft Recommenders ≤ 1.1 `map_at_k`, used in its benchmarks). */
export function averagePrecisionAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  return relevant.size > 0 ? sumPrecisionAtHits(ranked, relevant, k) / relevant.size : 0;
}

/** Average precision at K over min(k, |relevant|) (recommenders ≥ 1.2 `map_at_k`). */
export function averagePrecisionCappedAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  const d = Math.min(k, relevant.size);
  return d > 0 ? sumPrecisionAtHits(ranked, relevant, k) / d : 0;
}

/** 1 if any relevant item is in the top k. */
export function hitRateAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  return hitsAt(ranked, relevant, k) > 0 ? 1 : 0;
}

/** Reciprocal rank of the first relevant item within the top k (0 if none). */
export function reciprocalRankAtK(ranked: Ranked, relevant: Relevant, k: number): number {
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r]!)) return 1 / (r + 1);
  return 0;
}

/**
 * AUC over the candidate items: the share of (relevant, non-relevant) pairs ordered correctly, ties counting ½.
 * `scores[i]` for every item; `candidate(i)` tells whether item i is ranked (unseen in training).
 */
export function auc(scores: ArrayLike<number>, relevant: Relevant, candidate: (i: number) => boolean): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (!candidate(i)) continue;
    const s = scores[i]!;
    const v = Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s;
    (relevant.has(i) ? pos : neg).push(v);
  }
  if (pos.length === 0 || neg.length === 0) return 0.5;
  neg.sort((a, b) => a - b);
  let correct = 0;
  for (const p of pos) {
    // number of negatives strictly below p, and equal to p
    let lo = 0;
    let hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    let eq = lo;
    while (eq < neg.length && neg[eq] === p) eq++;
    correct += lo + (eq - lo) / 2;
  }
  return correct / (pos.length * neg.length);
}

/** Share of the catalogue that appears in at least one list. */
export function catalogueCoverage(lists: readonly Ranked[], nItems: number): number {
  const seen = new Uint8Array(nItems);
  let c = 0;
  for (const l of lists) {
    for (let r = 0; r < l.length; r++) {
      const i = l[r]!;
      if (seen[i] === 0) {
        seen[i] = 1;
        c++;
      }
    }
  }
  return nItems > 0 ? c / nItems : 0;
}

/** Gini index of how often each item is recommended (0 = all equally, → 1 = concentrated on few). */
export function giniIndex(lists: readonly Ranked[], nItems: number): number {
  const counts = new Float64Array(nItems);
  let total = 0;
  for (const l of lists) {
    for (let r = 0; r < l.length; r++) {
      counts[l[r]!]!++;
      total++;
    }
  }
  if (total === 0 || nItems === 0) return 0;
  counts.sort();
  let s = 0;
  for (let j = 0; j < nItems; j++) s += (2 * (j + 1) - nItems - 1) * counts[j]!;
  return s / (nItems * total);
}

/**
 * Mean self-information −log2(p_i) of the recommended items, p_i = share of training users who interacted with i
 * (Zhou et al., PNAS 2010). Items no training user saw count as p = 1/nUsers.
 */
export function novelty(lists: readonly Ranked[], itemUsers: ArrayLike<number>, nUsers: number): number {
  let s = 0;
  let n = 0;
  for (const l of lists) {
    for (let r = 0; r < l.length; r++) {
      const p = Math.max(itemUsers[l[r]!]!, 1) / nUsers;
      s -= Math.log2(p);
      n++;
    }
  }
  return n > 0 ? s / n : 0;
}
