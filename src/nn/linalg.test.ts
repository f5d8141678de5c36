import { beforeAll, describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { availableBackends, setBackend } from './backend/index.js';
import {
  cholesky,
  dgemm,
  gemm,
  gram,
  spdInverse,
  spdInverseInPlace,
  spdSolve,
  spdSolveBatch,
  spdSolveMany,
} from './linalg.js';

/** A random SPD matrix XᵀX + δI (n×n) in float64. */
function randomSpd(n: number, rng: Rng, ridge = 0.5): Float64Array {
  const x = new Float64Array(2 * n * n);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const a = gram(x, 2 * n, n);
  for (let i = 0; i < n; i++) a[i * n + i] += ridge;
  return a;
}

function maxAbsDiffFromIdentity(a: Float64Array | Float32Array, inv: Float64Array | Float32Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * inv[k * n + j]!;
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  return worst;
}

describe.each(availableBackends())('linear algebra (%s backend)', (name) => {
  beforeAll(() => setBackend(name));

  it('Cholesky, inverse and solve of a hand-checked 2×2 and 3×3', () => {
    const a = Float64Array.of(4, 2, 2, 3);
    const l = a.slice();
    cholesky(l, 2);
    expect(Array.from(l)).toEqual([2, 0, 1, expect.closeTo(Math.SQRT2, 12)]);
    const inv = spdInverse(a, 2);
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, i) => {
      expect(inv[i]).toBeCloseTo(v, 12);
    });
    // A = [[25,15,-5],[15,18,0],[-5,0,11]] = L Lᵀ with L = [[5,0,0],[3,3,0],[-1,1,3]] (Wikipedia's example).
    const b = Float32Array.of(25, 15, -5, 15, 18, 0, -5, 0, 11);
    const lb = b.slice();
    cholesky(lb, 3);
    [5, 0, 0, 3, 3, 0, -1, 1, 3].forEach((v, i) => {
      expect(lb[i]).toBeCloseTo(v, 5);
    });
    // A x = A·[1, 2, 3] = [40, 51, 28]
    const x = spdSolve(b, [40, 51, 28], 3);
    [1, 2, 3].forEach((v, i) => {
      expect(x[i]).toBeCloseTo(v, 4);
    });
    expect(b[0]).toBe(25);
  });

  it('A·A⁻¹ ≈ I on random SPD matrices (float64 and float32)', () => {
    const rng = new Rng(21);
    for (const n of [1, 7, 64, 130]) {
      const a = randomSpd(n, rng);
      expect(maxAbsDiffFromIdentity(a, spdInverse(a, n), n)).toBeLessThan(1e-9);
      const a32 = Float32Array.from(a);
      const inv32 = a32.slice();
      spdInverseInPlace(inv32, n);
      expect(maxAbsDiffFromIdentity(a32, inv32, n)).toBeLessThan(2e-3);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(inv32[i * n + j]).toBe(inv32[j * n + i]);
    }
  });

  it('multiple right-hand sides and batched systems match single solves', () => {
    const rng = new Rng(4);
    const n = 9;
    const a = randomSpd(n, rng);
    const b = Float64Array.from({ length: n * 3 }, () => rng.normal());
    const many = b.slice();
    spdSolveMany(a, n, many, 3);
    for (let r = 0; r < 3; r++) {
      const x = spdSolve(
        a,
        Array.from({ length: n }, (_, i) => b[i * 3 + r]!),
        n,
      );
      for (let i = 0; i < n; i++) expect(many[i * 3 + r]).toBeCloseTo(x[i]!, 9);
    }
    const stack = new Float64Array(2 * n * n);
    stack.set(a, 0);
    stack.set(randomSpd(n, rng), n * n);
    const rhs = Float64Array.from({ length: 2 * n }, () => rng.normal());
    const expected = [0, 1].flatMap((s) =>
      Array.from(spdSolve(stack.slice(s * n * n, (s + 1) * n * n), rhs.subarray(s * n, (s + 1) * n), n)),
    );
    spdSolveBatch(stack, rhs, n, 2);
    expected.forEach((v, i) => {
      expect(rhs[i]).toBeCloseTo(v, 9);
    });
  });

  it('a matrix that is not positive definite fails with fit_failed', () => {
    const bad = Float64Array.of(1, 2, 2, 1);
    expect(() => spdInverse(bad, 2)).toThrow(LayerwiseError);
    try {
      cholesky(bad.slice(), 2);
    } catch (e) {
      expect((e as LayerwiseError).code).toBe('fit_failed');
    }
  });

  it('gemm with transposes and beta matches a hand-computed product', () => {
    // A = [[1,2,3],[4,5,6]], B = [[1,0],[0,1],[1,1]] → AB = [[4,5],[10,11]]
    const a = Float32Array.of(1, 2, 3, 4, 5, 6);
    const b = Float32Array.of(1, 0, 0, 1, 1, 1);
    const c = Float32Array.of(1, 1, 1, 1);
    gemm(false, false, 2, 2, 3, 2, a, b, 1, c);
    expect(Array.from(c)).toEqual([9, 11, 21, 23]);
    const at = Float32Array.of(1, 4, 2, 5, 3, 6);
    const bt = Float32Array.of(1, 0, 1, 0, 1, 1);
    const c2 = new Float32Array(4);
    gemm(true, true, 2, 2, 3, 1, at, bt, 0, c2);
    expect(Array.from(c2)).toEqual([4, 5, 10, 11]);
    const c3 = new Float64Array(4);
    dgemm(false, true, 2, 2, 3, 1, Float64Array.from(a), Float64Array.from(bt), 0, c3);
    expect(Array.from(c3)).toEqual([4, 5, 10, 11]);
  });
});
