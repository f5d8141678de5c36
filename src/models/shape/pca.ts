/**
 * Principal component analysis of feature rows: eigen-decomposition of the covariance matrix (Householder + QL,
 * Golub & Van Loan, "Matrix Computations", §8.3), exact and dependency-free for a few hundred feature dimensions.
 */

/**
 * Eigen-decomposition of a symmetric n×n matrix (row-major, copied): Householder tridiagonalisation then implicit QL
 * (the EISPACK tred2/tql2 pair, as in JAMA). Values descending, vectors as rows. O(n³) with a small constant.
 */
export function symmetricEigen(m: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  // V is stored column-major in rows of `v` (v[i][j] = V[i][j]) to follow the reference algorithm closely
  const V: Float64Array[] = Array.from({ length: n }, (_, i) => Float64Array.from(m.subarray(i * n, (i + 1) * n)));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) d[j] = V[n - 1]![j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[i - 1]![j]!;
        V[i]![j] = 0;
        V[j]![i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j]![i] = f;
        g = e[j]! + V[j]![j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k]![j]! * d[k]!;
          e[k] = e[k]! + V[k]![j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k]![j] = V[k]![j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[i - 1]![j]!;
        V[i]![j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[n - 1]![i] = V[i]![i]!;
    V[i]![i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k]![i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k]![i + 1]! * V[k]![j]!;
        for (let k = 0; k <= i; k++) V[k]![j] = V[k]![j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k]![i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[n - 1]![j]!;
    V[n - 1]![j] = 0;
  }
  if (n > 0) V[n - 1]![n - 1] = 1;
  e[0] = 0;
  // tql2
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  if (n > 0) e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m2 = l;
    while (m2 < n) {
      if (Math.abs(e[m2]!) <= eps * tst1) break;
      m2++;
    }
    if (m2 > l) {
      for (let iter = 0; iter < 60; iter++) {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m2]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m2 - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            h = V[k]![i + 1]!;
            V[k]![i + 1] = s * V[k]![i]! + c * h;
            V[k]![i] = c * V[k]![i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (Math.abs(e[l]!) <= eps * tst1) break;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j]! - d[i]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    values[row] = d[col]!;
    for (let k = 0; k < n; k++) vectors[row * n + k] = V[k]![col]!;
  });
  return { values, vectors };
}

/**
 * Top-`k` principal axes (rows, length d each) of `rows` (centred here), and the mean used. With fewer rows than
 * dimensions the eigenproblem is solved on the n×n Gram matrix instead (same axes, O(n³ + n²d)).
 */
export function pca(
  rows: readonly Float32Array[],
  k: number,
): { mean: Float32Array; components: Float32Array; variances: Float32Array } {
  const d = rows[0]?.length ?? 0;
  const n = rows.length;
  const mean = new Float32Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j]! / n;
  const x = rows.map((r) => Float64Array.from(r, (v, j) => v - mean[j]!));
  const components = new Float32Array(k * d);
  const variances = new Float32Array(k);
  const denom = Math.max(1, n - 1);
  if (n < d) {
    const gram = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let s = 0;
        const a = x[i]!;
        const b = x[j]!;
        for (let t = 0; t < d; t++) s += a[t]! * b[t]!;
        gram[i * n + j] = s;
        gram[j * n + i] = s;
      }
    }
    const { values, vectors } = symmetricEigen(gram, n);
    for (let r = 0; r < Math.min(k, n); r++) {
      const lambda = values[r]!;
      if (!(lambda > 1e-9 * Math.max(values[0]!, 1e-300))) break;
      variances[r] = lambda / denom;
      const inv = 1 / Math.sqrt(lambda);
      for (let i = 0; i < n; i++) {
        const u = vectors[r * n + i]! * inv;
        if (u === 0) continue;
        const xi = x[i]!;
        for (let t = 0; t < d; t++) components[r * d + t] += u * xi[t]!;
      }
    }
    return { mean, components, variances };
  }
  const cov = new Float64Array(d * d);
  for (const c of x) {
    for (let i = 0; i < d; i++) {
      const ci = c[i]!;
      if (ci === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += ci * c[j]!;
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j]! / denom;
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  for (let r = 0; r < Math.min(k, d); r++) {
    // rows beyond the data's rank carry no variance: leave them zero so they add nothing
    if (!(values[r]! > 1e-9 * Math.max(values[0]!, 1e-300))) break;
    variances[r] = values[r]!;
    components.set(vectors.subarray(r * d, (r + 1) * d), r * d);
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
