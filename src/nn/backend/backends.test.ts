import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { csrFromRows } from '../csr.js';
import { Mlp } from '../layers.js';
import { multinomialNll } from '../losses.js';
import { Adam } from '../optim.js';
import { Tensor } from '../tensor.js';
import { availableBackends, backend, setBackend } from './index.js';
import { jsBackend } from './js.js';
import { loadNative } from './native.js';
import { UnaryOp } from './types.js';

const native = loadNative();
if (!native.ok) console.warn(`skipping native-vs-js agreement: ${native.reason}`);

const randn = (n: number, rng: Rng): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(a[i]!)));
  return w;
}

describe.runIf(native.ok)('native and js backends agree', () => {
  const nb = native.ok ? native.backend : jsBackend;
  const rng = new Rng(77);

  it.each([
    [1, 1, 1],
    [17, 33, 9],
    [64, 48, 130],
  ])('sgemm %i×%i×%i with every transpose and beta', (m, n, k) => {
    const a = randn(m * k, rng);
    const b = randn(k * n, rng);
    const c0 = randn(m * n, rng);
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const c1 = c0.slice();
        const c2 = c0.slice();
        nb.sgemm(ta, tb, m, n, k, 0.5, a, b, 0.25, c1);
        jsBackend.sgemm(ta, tb, m, n, k, 0.5, a, b, 0.25, c2);
        expect(maxRelDiff(c1, c2)).toBeLessThan(1e-4);
      }
  });

  it('csrmm in both orientations', () => {
    const rows = 40;
    const cols = 70;
    const n = 13;
    const lists = Array.from({ length: rows }, () =>
      Array.from({ length: rng.int(9) }, () => [rng.int(cols), rng.uniform(0.5, 2)] as const),
    );
    const a = csrFromRows(lists, cols);
    for (const ta of [false, true]) {
      const b = randn((ta ? rows : cols) * n, rng);
      const c1 = new Float32Array((ta ? cols : rows) * n).fill(1);
      const c2 = c1.slice();
      nb.csrmm(ta, rows, cols, a.indptr, a.indices, a.values, b, n, 1, c1);
      jsBackend.csrmm(ta, rows, cols, a.indptr, a.indices, a.values, b, n, 1, c2);
      expect(maxRelDiff(c1, c2)).toBeLessThan(1e-5);
    }
  });

  it('the iALS conjugate-gradient half-step (threaded natively) matches the portable one, and checks its inputs', () => {
    const rows = 700;
    const nY = 90;
    const f = 16;
    const lists = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: r % 11 === 0 ? 0 : 1 + rng.int(25) }, () => [rng.int(nY), rng.uniform(0.5, 4)] as const),
    );
    const a = csrFromRows(lists, nY);
    const y = randn(nY * f, rng).map((v) => v * 0.3);
    const gram = new Float32Array(f * f);
    jsBackend.sgemm(true, false, f, f, nY, 1, y, y, 0, gram);
    const lam = Float32Array.from({ length: rows }, (_, r) => 0.5 + (r % 5));
    const x0 = randn(rows * f, rng).map((v) => v * 0.01);
    const x1 = x0.slice();
    const x2 = x0.slice();
    expect(nb.ialsCg(a.indptr, a.indices, a.values, x1, y, gram, lam, rows, nY, f, 2, 3)).toBeGreaterThanOrEqual(1);
    jsBackend.ialsCg(a.indptr, a.indices, a.values, x2, y, gram, lam, rows, nY, f, 2, 3);
    expect(maxRelDiff(x1, x2)).toBeLessThan(1e-3);
    expect(maxRelDiff(x1, x0)).toBeGreaterThan(1e-2);
    const bad = Int32Array.from(a.indices);
    bad[3] = nY;
    expect(() => nb.ialsCg(a.indptr, bad, a.values, x1, y, gram, lam, rows, nY, f, 2, 3)).toThrow(/out of range/);
    expect(() => nb.ialsCg(a.indptr, a.indices, a.values, x1, y, gram, lam.subarray(1), rows, nY, f, 2, 3)).toThrow(
      /lambda/,
    );
  });

  it('activations, their gradients, softmax and Adam (large enough to use threads)', () => {
    const n = 200_003;
    const x = randn(n, rng);
    const gy = randn(n, rng);
    for (const op of Object.values(UnaryOp)) {
      const y1 = new Float32Array(n);
      const y2 = new Float32Array(n);
      nb.unary(op, x, y1);
      jsBackend.unary(op, x, y2);
      expect(maxRelDiff(y1, y2), `op ${op}`).toBeLessThan(2e-6);
      const g1 = new Float32Array(n).fill(0.5);
      const g2 = g1.slice();
      nb.unaryGrad(op, x, y2, gy, g1);
      jsBackend.unaryGrad(op, x, y2, gy, g2);
      expect(maxRelDiff(g1, g2), `grad op ${op}`).toBeLessThan(2e-6);
    }
    for (const log of [false, true]) {
      const y1 = new Float32Array(n - 3);
      const y2 = new Float32Array(n - 3);
      nb.softmax(x, 500, 400, y1, log);
      jsBackend.softmax(x, 500, 400, y2, log);
      expect(maxRelDiff(y1, y2)).toBeLessThan(1e-5);
      const g1 = new Float32Array(n - 3);
      const g2 = new Float32Array(n - 3);
      nb.softmaxGrad(y2, gy, 500, 400, g1, log);
      jsBackend.softmaxGrad(y2, gy, 500, 400, g2, log);
      expect(maxRelDiff(g1, g2)).toBeLessThan(1e-5);
    }
    const p1 = randn(n, rng);
    const p2 = p1.slice();
    const m1 = new Float32Array(n);
    const v1 = new Float32Array(n);
    const m2 = new Float32Array(n);
    const v2 = new Float32Array(n);
    for (let step = 1; step <= 3; step++) {
      nb.adam(p1, gy, m1, v1, 1e-2, 0.9, 0.999, 1e-8, 0.01, step === 2, step);
      jsBackend.adam(p2, gy, m2, v2, 1e-2, 0.9, 0.999, 1e-8, 0.01, step === 2, step);
    }
    expect(maxRelDiff(p1, p2)).toBeLessThan(1e-5);
  });

  it('the addon checks buffer sizes and throws instead of reading out of bounds', () => {
    expect(() =>
      nb.sgemm(false, false, 2, 2, 2, 1, new Float32Array(3), new Float32Array(4), 0, new Float32Array(4)),
    ).toThrow(/gemm A/);
    expect(() => nb.potrf(new Float64Array(3), 2)).toThrow(/n\*n/);
    const bad = () =>
      nb.csrmm(
        false,
        2,
        3,
        Int32Array.of(0, 5, 1),
        Int32Array.of(0),
        Float32Array.of(1),
        new Float32Array(3),
        1,
        0,
        new Float32Array(2),
      );
    expect(bad).toThrow(/indptr/);
    expect(() =>
      nb.csrmm(
        false,
        1,
        3,
        Int32Array.of(0, 1),
        Int32Array.of(7),
        Float32Array.of(1),
        new Float32Array(3),
        1,
        0,
        new Float32Array(1),
      ),
    ).toThrow(/out of range/);
  });

  it('the same seeded training run gives the same loss curve on both backends', () => {
    const run = (): number[] => {
      const r = new Rng(9);
      const net = new Mlp([30, 16, 30], r, { activation: 'tanh' });
      const opt = new Adam(net.parameters(), { lr: 1e-2 });
      const lists = Array.from({ length: 8 }, () => Array.from({ length: 4 }, () => [r.int(30), 1] as const));
      const batch = csrFromRows(lists, 30);
      const x = Tensor.from(
        Float32Array.from({ length: 8 * 30 }, (_, i) =>
          lists[Math.floor(i / 30)]!.some(([j]) => j === i % 30) ? 1 : 0,
        ),
        [8, 30],
      );
      const losses: number[] = [];
      for (let i = 0; i < 20; i++) {
        opt.zeroGrad();
        const loss = multinomialNll(net.forward(x), batch);
        losses.push(loss.item());
        loss.backward();
        opt.step();
      }
      return losses;
    };
    setBackend('native');
    const a = run();
    setBackend('js');
    const b = run();
    expect(backend().name).toBe('js');
    expect(availableBackends()).toContain('native');
    expect(a[19]!).toBeLessThan(a[0]!);
    expect(maxRelDiff(a, b)).toBeLessThan(1e-4);
  });
});

describe('js sgemm (4×4 tiled) against the reference loop', () => {
  it.each([
    [1, 1, 1],
    [5, 7, 3],
    [8, 12, 300],
    [33, 18, 517],
  ])('%i×%i×%i, all transposes, alpha and beta', async (m, n, k) => {
    const { gemmJs } = await import('./js-linalg.js');
    const rng = new Rng(m * 1000 + n);
    const a = randn(m * k, rng);
    const b = randn(k * n, rng);
    const c0 = randn(m * n, rng);
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const c1 = c0.slice();
        const c2 = c0.slice();
        jsBackend.sgemm(ta, tb, m, n, k, -0.5, a, b, 0.75, c1);
        gemmJs(ta, tb, m, n, k, -0.5, a, b, 0.75, c2);
        expect(maxRelDiff(c1, c2)).toBeLessThan(1e-4);
      }
  });
});

describe('WASM SIMD sgemm against the reference loop', () => {
  it.each([
    [1, 1, 1],
    [5, 9, 3],
    [9, 270, 300],
    [37, 41, 520],
  ])('%i×%i×%i (padding, column chunks, k-blocks), all transposes', async (m, n, k) => {
    const { gemmJs } = await import('./js-linalg.js');
    const { hasWasmSimd, wasmSgemm } = await import('./wasm-gemm.js');
    expect(hasWasmSimd).toBe(true);
    const rng = new Rng(m + n + k);
    const a = randn(m * k, rng);
    const b = randn(k * n, rng);
    const c0 = randn(m * n, rng);
    for (const ta of [false, true])
      for (const tb of [false, true])
        for (const beta of [0, 0.5]) {
          const c1 = c0.slice();
          const c2 = c0.slice();
          expect(wasmSgemm(ta, tb, m, n, k, 1.5, a, b, beta, c1)).toBe(true);
          gemmJs(ta, tb, m, n, k, 1.5, a, b, beta, c2);
          expect(maxRelDiff(c1, c2)).toBeLessThan(1e-4);
        }
  });
});
