import { describe, expect, it } from 'vitest';
import { evaluateRetrieval, queryMetrics } from './retrieval-metrics.js';

describe('queryMetrics (Princeton Shape Benchmark definitions)', () => {
  it('matches a hand-computed ranked list', () => {
    // ranks 1 and 3 relevant, |C| − 1 = 2 relevant items
    const m = queryMetrics([true, false, true, false, false], 2);
    expect(m.nn).toBe(1);
    expect(m.map).toBeCloseTo((1 / 1 + 2 / 3) / 2, 12);
    expect(m.ft).toBeCloseTo(0.5, 12); // one hit in the top 2
    expect(m.st).toBeCloseTo(1, 12); // both in the top 4
    expect(m.dcg).toBeCloseTo((1 + 1 / Math.log2(3)) / (1 + 1 / Math.log2(2)), 12);
  });

  it('scores a miss at rank 1 and a last-place hit', () => {
    const m = queryMetrics([false, false, false, true], 1);
    expect(m.nn).toBe(0);
    expect(m.map).toBeCloseTo(1 / 4, 12);
    expect(m.ft).toBe(0);
    expect(m.st).toBe(0);
    expect(m.dcg).toBeCloseTo(1 / Math.log2(4), 12);
  });
});

describe('evaluateRetrieval', () => {
  it('gives perfect scores to separated classes and skips singleton classes', () => {
    const e = (x: number, y: number): Float32Array => Float32Array.of(x, y);
    const r = evaluateRetrieval(
      [e(1, 0), e(0.9, 0.1), e(0, 1), e(0.1, 0.9), e(-1, -1)],
      ['a', 'a', 'b', 'b', 'lonely'],
    );
    expect(r.overall).toEqual({ map: 1, nn: 1, ft: 1, st: 1, dcg: 1, queries: 4 });
    expect([...r.perClass.keys()]).toEqual(['a', 'b']);
  });

  it('averages over queries: one confused pair halves NN', () => {
    // a1 is closer to b1 than to a2; everything else is clean
    const vs = [Float32Array.of(1, 0.2), Float32Array.of(1, -0.9), Float32Array.of(1, 0.25), Float32Array.of(0.5, 1)];
    const r = evaluateRetrieval(vs, ['a', 'a', 'b', 'b']);
    expect(r.perClass.get('a')!.nn).toBe(0.5); // a1 → b1 first; a2 → a1 first
    expect(r.overall.queries).toBe(4);
  });
});
