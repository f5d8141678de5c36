/**
 * Dense linear algebra used by the models (EASE, iALS, …). Row-major Float32Array / Float64Array matrices.
 * This file is the stable entry point; it dispatches to the active compute backend (OpenBLAS/LAPACK when the native
 * addon is built, portable TypeScript otherwise).
 */
import { LayerwiseError } from '../core/errors.js';
import { backend } from './backend/index.js';
import { potrfJs, potrsJs } from './backend/js-linalg.js';

/**
 * Systems up to this order are factored in TypeScript unless LAPACK runs single-threaded: serving solves one f × f
 * system per user (f = 64 by default), and OpenBLAS with a thread pool runs even those on it — whose threads, asleep
 * between requests, took 1–6 ms to wake on a loaded 2-core machine (measured at 1 M items). `layerwise serve` sets
 * one BLAS thread (app/serve/threads.ts); then LAPACK factors a 64 × 64 system in ~7.5 µs against ~37 µs here.
 * Solves (two triangular sweeps) stay in TypeScript: a call into the addon costs about as much.
 */
export const SMALL_SYSTEM = 128;

/** True when the dense kernels run in OpenBLAS/LAPACK on one thread (the serving process; no thread pool to wake). */
export function nativeSingleThread(): boolean {
  const be = backend();
  return be.name === 'native' && be.threads() === 1;
}

function potrfSmall(a: Floats, n: number): number {
  if (!nativeSingleThread()) return potrfJs(a, n);
  const info = backend().potrf(a, n);
  // as potrfJs leaves it: L below the diagonal, zeros above (LAPACK leaves the other triangle as it was)
  if (info === 0) for (let j = 0; j < n; j++) for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  return info;
}

/** The solver of small systems (an object, so a test can count factorisations as it does the backend's). */
export const smallSystems = { potrf: potrfSmall, potrs: potrsJs };

type Floats = Float64Array | Float32Array;

/** C = alpha · op(A) · op(B) + beta · C, row-major; op = transpose when the flag is set. A: m×k, B: k×n, C: m×n. */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  b: Float32Array,
  beta: number,
  c: Float32Array,
): void {
  backend().sgemm(transA, transB, m, n, k, alpha, a, b, beta, c);
}

/** gemm in float64. */
export function dgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  b: Float64Array,
  beta: number,
  c: Float64Array,
): void {
  backend().dgemm(transA, transB, m, n, k, alpha, a, b, beta, c);
}

/**
 * Gram matrix G = Aᵀ·A (cols×cols) of a row-major rows×cols matrix, in A's float type (EASE: G = XᵀX).
 */
export function gram<T extends Floats>(a: T, rows: number, cols: number): T {
  const be = backend();
  if (a instanceof Float32Array) {
    const g = new Float32Array(cols * cols);
    be.sgemm(true, false, cols, cols, rows, 1, a, a, 0, g);
    return g as T;
  }
  const g = new Float64Array(cols * cols);
  be.dgemm(true, false, cols, cols, rows, 1, a as Float64Array, a as Float64Array, 0, g);
  return g as T;
}

function notSpd(where: string, info: number): never {
  throw new LayerwiseError(
    'fit_failed',
    `${where}: matrix is not positive definite (leading minor ${info} is not positive); add more regularisation to the diagonal`,
    { details: { pivot: info } },
  );
}

/** In-place Cholesky factorisation (lower) of an n×n SPD matrix; throws `fit_failed` when not positive definite. */
export function cholesky(a: Float64Array | Float32Array, n: number): void {
  const info = n <= SMALL_SYSTEM ? smallSystems.potrf(a, n) : backend().potrf(a, n);
  if (info !== 0) notSpd('cholesky', info);
}

/** Solves L Lᵀ x = b in place in `b` (n), given the factor `l` that `cholesky` left in place. */
export function choleskySolve(l: Float64Array | Float32Array, n: number, b: Float64Array | Float32Array): void {
  if (n <= SMALL_SYSTEM) smallSystems.potrs(l, n, b, 1);
  else backend().potrs(l, n, b, 1);
}

/** Solves A x = b for SPD A (n×n) given b (n), returning x. A is not modified. */
export function spdSolve(a: Float64Array | Float32Array, b: ArrayLike<number>, n: number): Float64Array {
  const l = Float64Array.from(a);
  const info = n <= SMALL_SYSTEM ? smallSystems.potrf(l, n) : backend().potrf(l, n);
  if (info !== 0) notSpd('spdSolve', info);
  const x = Float64Array.from(b);
  choleskySolve(l, n, x);
  return x;
}

/** Solves A X = B for SPD A (n×n) and B (n×nrhs, row-major) in place in B; A is not modified. */
export function spdSolveMany<T extends Floats>(a: T, n: number, b: T, nrhs: number): void {
  const l = a.slice() as T;
  const be = backend();
  const info = be.potrf(l, n);
  if (info !== 0) notSpd('spdSolveMany', info);
  be.potrs(l, n, b, nrhs);
}

/**
 * Solves `count` independent SPD systems A_i x_i = b_i (iALS: one per user/item), A stacked count×n×n and b
 * count×n, writing x into b. A is overwritten by its Cholesky factors.
 */
export function spdSolveBatch<T extends Floats>(a: T, b: T, n: number, count: number): void {
  const be = backend();
  for (let i = 0; i < count; i++) {
    const ai = a.subarray(i * n * n, (i + 1) * n * n) as T;
    const info = be.potrf(ai, n);
    if (info !== 0) notSpd(`spdSolveBatch (system ${i})`, info);
    be.potrs(ai, n, b.subarray(i * n, (i + 1) * n) as T, 1);
  }
}

/** Inverse of an SPD matrix (n×n, row-major), returned as a new array of the same type. */
export function spdInverse<T extends Float64Array | Float32Array>(a: T, n: number): T {
  const out = a.slice(0, n * n) as T;
  spdInverseInPlace(out, n);
  return out;
}

/** Replaces an SPD matrix with its inverse (Cholesky + LAPACK potri; no extra n² buffer on the native backend). */
export function spdInverseInPlace(a: Float64Array | Float32Array, n: number): void {
  const be = backend();
  const info = be.potrf(a, n);
  if (info !== 0) notSpd('spdInverse', info);
  const info2 = be.potri(a, n);
  if (info2 !== 0) notSpd('spdInverse', info2);
}
