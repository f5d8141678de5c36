/**
 * Issue 15 (soak profile): serving a recommendation with reasons built and factored a history's f × f fold-in system
 * twice — once to score (spdSolve), once to explain the page (the explanation memo). Matrix-factorisation models now
 * score through the same memoised factor: one build and one Cholesky factorisation per history, the same numbers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Rng } from '../core/rng.js';
import { backend, setThreads } from '../nn/backend/index.js';
import { nativeSingleThread, smallSystems } from '../nn/linalg.js';
import { Interactions } from './interactions.js';
import { createModel } from './registry.js';

function data() {
  const rng = new Rng(7);
  const events = Array.from({ length: 3000 }, () => ({
    user: `u${rng.int(200)}`,
    item: `i${Math.floor(rng.next() ** 2 * 150)}`,
    weight: 1 + rng.int(3),
  }));
  return Interactions.fromEvents(events).data;
}

afterEach(() => vi.restoreAllMocks());

describe('one factored fold-in system per history', () => {
  it('scores and explains a history with one Cholesky factorisation, and the scores do not depend on the order', async () => {
    const d = data();
    const items = Int32Array.from([2, 5, 11, 30, 47]);
    const weights = Float32Array.from([1, 3, 1, 2, 1]);
    const other = { items: Int32Array.from([1, 9]), weights: Float32Array.from([2, 1]) };
    for (const kind of ['ials', 'hybrid']) {
      const model = createModel(kind, {});
      await model.fit(d, { seed: 1 });
      const cold = new Float32Array(d.nItems);
      model.scoreHistory(items, weights, cold); // computed first, nothing memoised for this history yet
      model.scoreHistory(other.items, other.weights, new Float32Array(d.nItems));

      // small systems (f ≤ SMALL_SYSTEM) are factored in TypeScript, larger ones by the backend: count both
      const potrf = vi.spyOn(backend(), 'potrf');
      const small = vi.spyOn(smallSystems, 'potrf');
      const scores = new Float32Array(d.nItems);
      model.scoreHistory(items, weights, scores);
      const explained = [3, 8, 20].map((t) => model.explainHistoryIndices(items, weights, t, 3));
      expect(potrf.mock.calls.length + small.mock.calls.length).toBe(1);
      potrf.mockRestore();
      small.mockRestore();

      expect(scores).toEqual(cold);
      for (const [n, t] of [3, 8, 20].entries()) expect(explained[n]!.score).toBeCloseTo(scores[t]!, 4);
    }
  });

  it('folds in the same scores through BLAS/LAPACK on one thread (as `serve` runs) as through TypeScript', async (ctx) => {
    if (backend().name !== 'native') ctx.skip(); // the TypeScript backend has only the one path
    const d = data();
    const items = Int32Array.from({ length: 60 }, (_, i) => (i * 7) % d.nItems);
    const weights = Float32Array.from({ length: 60 }, (_, i) => 1 + (i % 4));
    for (const kind of ['ials', 'hybrid']) {
      // two equal fits (the fold-in is memoised per history on a model)
      const [ts, blas] = [createModel(kind, {}), createModel(kind, {})];
      await ts.fit(d, { seed: 1 });
      await blas.fit(d, { seed: 1 });
      const want = new Float32Array(d.nItems);
      const got = new Float32Array(d.nItems);
      const threads = backend().threads();
      if (threads === 1) setThreads(2);
      expect(nativeSingleThread()).toBe(false);
      ts.scoreHistory(items, weights, want);
      setThreads(1);
      try {
        expect(nativeSingleThread()).toBe(true);
        const gemm = vi.spyOn(backend(), 'dgemm');
        const potrf = vi.spyOn(backend(), 'potrf');
        blas.scoreHistory(items, weights, got);
        expect(gemm).toHaveBeenCalledTimes(1);
        expect(potrf).toHaveBeenCalledTimes(1);
      } finally {
        setThreads(threads);
      }
      let worst = 0;
      for (let j = 0; j < d.nItems; j++) worst = Math.max(worst, Math.abs(got[j]! - want[j]!));
      expect(worst).toBeLessThan(1e-5);
      expect(got.some((x) => x !== 0)).toBe(true);
    }
  });
});
