/**
 * Portable (pure TypeScript) dense and sparse linear algebra for the `js` backend: GEMM, CSR×dense and the
 * Cholesky family. Correct everywhere, a few GFLOP/s; the native backend replaces it when OpenBLAS is present.
 */
import type { Floats } from './types.js';

type Arr = Float32Array | Float64Array;

/** Row-major transpose of an r×c matrix into a new array of the same type. */
function transposed<T extends Arr>(a: T, r: number, c: number): T {
  const out = new (a.constructor as new (n: number) => T)(r * c);
  const B = 32;
  for (let i0 = 0; i0 < r; i0 += B)
    for (let j0 = 0; j0 < c; j0 += B) {
      const ie = Math.min(i0 + B, r);
      const je = Math.min(j0 + B, c);
      for (let i = i0; i < ie; i++) for (let j = j0; j < je; j++) out[j * r + i] = a[i * c + j]!;
    }
  return out;
}

/** C = alpha·op(A)·op(B) + beta·C for either float type (blocked i-p-j loop; fp64 path and reference). */
export function gemmJs<T extends Arr>(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: T,
  b: T,
  beta: number,
  c: T,
): void {
  const A = transA ? transposed(a, k, m) : a; // now m×k
  const Bm = transB ? transposed(b, n, k) : b; // now k×n
  const mn = m * n;
  if (beta === 0) c.fill(0, 0, mn);
  else if (beta !== 1) for (let i = 0; i < mn; i++) c[i] = beta * c[i]!;
  const KB = 256;
  for (let p0 = 0; p0 < k; p0 += KB) {
    const pe = Math.min(p0 + KB, k);
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      const ai = i * k;
      for (let p = p0; p < pe; p++) {
        const av = alpha * A[ai + p]!;
        if (av === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + av * Bm[bp + j]!;
      }
    }
  }
}

/** Sparse CSR (rows×cols) times dense; see ComputeBackend.csrmm. */
export function csrmmJs(
  transA: boolean,
  rows: number,
  cols: number,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  b: Float32Array,
  n: number,
  beta: number,
  c: Float32Array,
): void {
  const outRows = transA ? cols : rows;
  const len = outRows * n;
  if (beta === 0) c.fill(0, 0, len);
  else if (beta !== 1) for (let i = 0; i < len; i++) c[i] = beta * c[i]!;
  for (let i = 0; i < rows; i++) {
    for (let q = indptr[i]!; q < indptr[i + 1]!; q++) {
      const j = indices[q]!;
      const v = values[q]!;
      if (transA) {
        const co = j * n;
        const bo = i * n;
        for (let t = 0; t < n; t++) c[co + t] = c[co + t]! + v * b[bo + t]!;
      } else {
        const co = i * n;
        const bo = j * n;
        for (let t = 0; t < n; t++) c[co + t] = c[co + t]! + v * b[bo + t]!;
      }
    }
  }
}

/** In-place lower Cholesky (row-major); zeroes the upper triangle. Returns 0 or the 1-based failing pivot. */
export function potrfJs(a: Floats, n: number): number {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) d -= a[rj + k]! * a[rj + k]!;
    if (!(d > 0)) return j + 1;
    const l = Math.sqrt(d);
    a[rj + j] = l;
    const inv = 1 / l;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      // four partial sums: ~20 % faster at n = 64 (serving factors one such system per new user)
      let s0 = a[ri + j]!;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 -= a[ri + k]! * a[rj + k]!;
        s1 -= a[ri + k + 1]! * a[rj + k + 1]!;
        s2 -= a[ri + k + 2]! * a[rj + k + 2]!;
        s3 -= a[ri + k + 3]! * a[rj + k + 3]!;
      }
      for (; k < j; k++) s0 -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = (s0 + s1 + (s2 + s3)) * inv;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return 0;
}

/** Overwrites the lower factor L in `a` with (L·Lᵀ)⁻¹ = L⁻ᵀ·L⁻¹ (full symmetric). */
export function potriJs(a: Floats, n: number): number {
  // inv = L⁻¹ (lower), computed row by row in float64.
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const lii = a[i * n + i]!;
    if (!(lii !== 0)) return i + 1;
    inv[i * n + i] = 1 / lii;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s += a[i * n + k]! * inv[k * n + j]!;
      inv[i * n + j] = -s / lii;
    }
  }
  // A⁻¹[i][j] = Σ_k≥max(i,j) inv[k][i]·inv[k][j]; accumulate rank-1 updates row by row of inv.
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const v = inv[rk + i]!;
      if (v === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) out[ri + j] = out[ri + j]! + v * inv[rk + j]!;
    }
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = out[i * n + j]!;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return 0;
}

/** Solves L·Lᵀ·X = B in place; B is n×nrhs row-major. */
export function potrsJs(l: Floats, n: number, b: Floats, nrhs: number): number {
  const y = new Float64Array(n);
  for (let r = 0; r < nrhs; r++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * nrhs + r]!;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
      y[i] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * y[k]!;
      y[i] = s / l[i * n + i]!;
    }
    for (let i = 0; i < n; i++) b[i * nrhs + r] = y[i]!;
  }
  return 0;
}
