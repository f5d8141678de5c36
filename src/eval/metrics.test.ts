import { describe, expect, it } from 'vitest';
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
import { bootstrapCi, pairedTest, studentTwoSidedP } from './stats.js';

// ranked [3, 1, 4, 5, 9]; relevant {1, 5, 7}: hits at ranks 2 and 4
const ranked = [3, 1, 4, 5, 9];
const rel = new Set([1, 5, 7]);

describe('ranking metrics (hand-computed)', () => {
  it('precision and both recalls', () => {
    expect(precisionAtK(ranked, rel, 5)).toBeCloseTo(2 / 5, 12);
    expect(recallAtK(ranked, rel, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallCappedAtK(ranked, rel, 5)).toBeCloseTo(2 / 3, 12);
    expect(precisionAtK(ranked, rel, 2)).toBeCloseTo(1 / 2, 12);
    expect(recallAtK(ranked, rel, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallCappedAtK(ranked, rel, 2)).toBeCloseTo(1 / 2, 12);
  });

  it('NDCG with the ideal over min(k, |relevant|)', () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    expect(ndcgAtK(ranked, rel, 5)).toBeCloseTo(dcg / (1 + 1 / Math.log2(3) + 0.5), 12);
    expect(ndcgAtK(ranked, rel, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
    expect(ndcgAtK([1, 5, 7], rel, 3)).toBeCloseTo(1, 12);
  });

  it('MAP@K as Microsoft Recommenders (÷|relevant|) and the capped variant', () => {
    expect(averagePrecisionAtK(ranked, rel, 5)).toBeCloseTo((1 / 2 + 2 / 4) / 3, 12);
    expect(averagePrecisionAtK(ranked, rel, 2)).toBeCloseTo(1 / 2 / 3, 12);
    expect(averagePrecisionCappedAtK(ranked, rel, 2)).toBeCloseTo(1 / 2 / 2, 12);
  });

  it('hit rate, reciprocal rank, empty relevance', () => {
    expect(hitRateAtK(ranked, rel, 1)).toBe(0);
    expect(hitRateAtK(ranked, rel, 2)).toBe(1);
    expect(reciprocalRankAtK(ranked, rel, 5)).toBe(1 / 2);
    expect(reciprocalRankAtK(ranked, rel, 1)).toBe(0);
    expect(ndcgAtK(ranked, new Set(), 5)).toBe(0);
  });

  it('AUC counts ordered pairs, ties as ½, only candidates', () => {
    const s = [0.1, 0.9, 0.2, 0.5, 0.3];
    expect(auc(s, new Set([1, 3]), () => true)).toBe(1);
    expect(auc(s, new Set([0, 1]), () => true)).toBe(0.5);
    expect(auc([1, 1], new Set([0]), () => true)).toBe(0.5);
    expect(auc(s, new Set([0]), (i) => i !== 2)).toBe(0);
  });

  it('coverage, Gini, novelty', () => {
    expect(
      catalogueCoverage(
        [
          [0, 1],
          [1, 2],
        ],
        4,
      ),
    ).toBe(0.75);
    expect(
      giniIndex(
        [
          [0, 1],
          [1, 2],
        ],
        4,
      ),
    ).toBeCloseTo(0.375, 12);
    expect(giniIndex([[0], [1], [2], [3]], 4)).toBe(0);
    expect(novelty([[0, 1]], [4, 2, 1, 0], 4)).toBeCloseTo(0.5, 12);
  });
});

describe('statistics', () => {
  it('bootstrap CI brackets the mean and collapses for constants', () => {
    expect(bootstrapCi([0.3, 0.3, 0.3])).toEqual({ mean: 0.3, lo: 0.3, hi: 0.3, n: 3 });
    const xs = Array.from({ length: 200 }, (_, i) => (i % 10) / 10);
    const e = bootstrapCi(xs, { seed: 3 });
    expect(e.lo).toBeLessThan(e.mean);
    expect(e.hi).toBeGreaterThan(e.mean);
    expect(e.hi - e.lo).toBeLessThan(0.1);
    expect(bootstrapCi(xs, { seed: 3 })).toEqual(e);
  });

  it('Student t p-values match tables', () => {
    expect(studentTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(1.96, 1e6)).toBeCloseTo(0.05, 3);
    expect(studentTwoSidedP(0, 5)).toBeCloseTo(1, 9);
  });

  it('paired tests: identical → p = 1; a clear shift → tiny p', () => {
    const a = Array.from({ length: 50 }, (_, i) => Math.sin(i));
    expect(pairedTest(a, a).pRandom).toBe(1);
    const b = a.map((x, i) => x + 0.2 + 0.01 * Math.cos(i));
    const t = pairedTest(b, a);
    expect(t.meanDiff).toBeCloseTo(0.2, 2);
    expect(t.pT).toBeLessThan(1e-6);
    expect(t.pRandom).toBeLessThan(0.001);
  });
});
