/**
 * Dense linear algebra used by the models (EASE, iALS, …). Row-major Float32Array / Float64Array matrices.
 * This file is the stable entry point; it dispatches to the active compute backend.
 */

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
  for (let i = 0; i < m * n; i++) c[i] = beta === 0 ? 0 : beta * c[i]!;
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = alpha * (transA ? a[p * m + i]! : a[i * k + p]!);
      if (av === 0) continue;
      const ci = i * n;
      if (transB) for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + av * b[j * k + p]!;
      else {
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + av * b[bp + j]!;
      }
    }
  }
}

/** In-place Cholesky factorisation (lower) of an n×n SPD matrix; throws when not positive definite. */
export function cholesky(a: Float64Array | Float32Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) throw new RangeError(`cholesky: matrix is not positive definite (pivot ${j} = ${d})`);
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / l;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
}

/** Solves A x = b for SPD A (n×n) given b (n), returning x. A is not modified. */
export function spdSolve(a: Float64Array | Float32Array, b: ArrayLike<number>, n: number): Float64Array {
  const l = Float64Array.from(a);
  cholesky(l, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  return y;
}

/** Inverse of an SPD matrix (n×n, row-major), returned as a new array of the same type. */
export function spdInverse<T extends Float64Array | Float32Array>(a: T, n: number): T {
  const out = (a instanceof Float32Array ? new Float32Array(n * n) : new Float64Array(n * n)) as T;
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = spdSolve(a, e, n);
    for (let i = 0; i < n; i++) out[i * n + j] = col[i]!;
  }
  return out;
}
