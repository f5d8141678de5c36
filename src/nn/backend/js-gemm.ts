/**
 * Portable fp32 GEMM for the `js` backend: op(A) is packed as its transpose (k×m) and op(B) as k×n, then a 4×4
 * register-tiled kernel runs over k-blocks (16 scalar accumulators; ~4× the naive i-p-j loop in V8).
 */

const KC = 256;

function transpose(src: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(r * c);
  for (let i0 = 0; i0 < r; i0 += 32)
    for (let j0 = 0; j0 < c; j0 += 32) {
      const ie = Math.min(i0 + 32, r);
      const je = Math.min(j0 + 32, c);
      for (let i = i0; i < ie; i++) for (let j = j0; j < je; j++) out[j * r + i] = src[i * c + j]!;
    }
  return out;
}

/** C[m×n] += alpha · Aᵗ[k×m]ᵀ · B[k×n] over p in [p0, p1). */
function kernel(
  m: number,
  n: number,
  p0: number,
  p1: number,
  alpha: number,
  at: Float32Array,
  b: Float32Array,
  c: Float32Array,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    // biome-ignore format: the 4×4 register tile reads best one row per line
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pa = p0 * m + i;
      let pb = p0 * n + j;
      for (let p = p0; p < p1; p++) {
        const a0 = at[pa]!;
        const a1 = at[pa + 1]!;
        const a2 = at[pa + 2]!;
        const a3 = at[pa + 3]!;
        const b0 = b[pb]!;
        const b1 = b[pb + 1]!;
        const b2 = b[pb + 2]!;
        const b3 = b[pb + 3]!;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
        pa += m;
        pb += n;
      }
      let o = i * n + j;
      c[o] += alpha * c00;
      c[o + 1] += alpha * c01;
      c[o + 2] += alpha * c02;
      c[o + 3] += alpha * c03;
      o += n;
      c[o] += alpha * c10;
      c[o + 1] += alpha * c11;
      c[o + 2] += alpha * c12;
      c[o + 3] += alpha * c13;
      o += n;
      c[o] += alpha * c20;
      c[o + 1] += alpha * c21;
      c[o + 2] += alpha * c22;
      c[o + 3] += alpha * c23;
      o += n;
      c[o] += alpha * c30;
      c[o + 1] += alpha * c31;
      c[o + 2] += alpha * c32;
      c[o + 3] += alpha * c33;
    }
  }
  // Edges: the last m%4 rows (all columns) and the last n%4 columns of the tiled rows.
  for (let i = 0; i < m; i++) {
    const jStart = i < m4 ? n4 : 0;
    if (jStart >= n) continue;
    for (let p = p0; p < p1; p++) {
      const av = alpha * at[p * m + i]!;
      if (av === 0) continue;
      const bo = p * n;
      const co = i * n;
      for (let j = jStart; j < n; j++) c[co + j] += av * b[bo + j]!;
    }
  }
}

/** C = alpha·op(A)·op(B) + beta·C in fp32 (row-major). */
export function sgemmJs(
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
  const mn = m * n;
  if (beta === 0) c.fill(0, 0, mn);
  else if (beta !== 1) for (let i = 0; i < mn; i++) c[i] = beta * c[i]!;
  if (k === 0 || alpha === 0) return;
  const at = transA ? a : transpose(a, m, k); // k×m
  const bp = transB ? transpose(b, n, k) : b; // k×n
  for (let p0 = 0; p0 < k; p0 += KC) kernel(m, n, p0, Math.min(p0 + KC, k), alpha, at, bp, c);
}
