/**
 * Principal component analysis of feature rows by cyclic Jacobi on the covariance matrix (Golub & Van Loan,
 * "Matrix Computations", §8.5): exact and dependency-free for the few hundred dimensions of shape features.
 */

/** Eigen-decomposition of a symmetric n×n matrix (row-major, copied): values descending, vectors as rows. */
export function symmetricEigen(m: Float64Array, n: number, maxSweeps = 30): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    }
    if (off <= 1e-22 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    values[row] = a[col * n + col]!;
    for (let k = 0; k < n; k++) vectors[row * n + k] = v[k * n + col]!;
  });
  return { values, vectors };
}

/** Top-`k` principal axes (rows, length d each) of `rows` (centred here), and the mean used. */
export function pca(rows: readonly Float32Array[], k: number): { mean: Float32Array; components: Float32Array; variances: Float32Array } {
  const d = rows[0]?.length ?? 0;
  const n = rows.length;
  const mean = new Float32Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j]! / n;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) c[j] = r[j]! - mean[j]!;
    for (let i = 0; i < d; i++) {
      const ci = c[i]!;
      if (ci === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += ci * c[j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j]! / Math.max(1, n - 1);
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  const kk = Math.min(k, d);
  const components = new Float32Array(k * d);
  const variances = new Float32Array(k);
  for (let r = 0; r < kk; r++) {
    variances[r] = Math.max(0, values[r]!);
    // rows beyond the data's rank carry no variance: leave them zero so they add nothing
    if (values[r]! > 1e-9 * Math.max(values[0]!, 1e-300)) components.set(vectors.subarray(r * d, (r + 1) * d), r * d);
  }
  return { mean, components, variances };
}

/** Projects `x` (length d) onto the component rows: out[r] = components[r] · (x − mean). */
export function project(x: Float32Array, mean: Float32Array, components: Float32Array, k: number): Float32Array {
  const d = mean.length;
  const out = new Float32Array(k);
  for (let r = 0; r < k; r++) {
    let s = 0;
    const o = r * d;
    for (let j = 0; j < d; j++) s += components[o + j]! * (x[j]! - mean[j]!);
    out[r] = s;
  }
  return out;
}
