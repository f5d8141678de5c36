/** Normalisation ops with autograd: layer norm (Ba et al., 2016, arXiv:1607.06450) and row L2 normalisation. */
import { LayerwiseError } from '../../core/errors.js';
import { floats } from '../pool.js';
import { makeResult, type Tensor } from '../tensor.js';

/** Layer norm over the last axis: (x − μ)/√(σ² + eps)·γ + β, with γ, β of the last axis' size. */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor {
  const d = x.shape[x.rank - 1]!;
  if (gamma.size !== d || beta.size !== d)
    throw new LayerwiseError(
      'invalid_argument',
      `layerNorm: gamma/beta have ${gamma.size}/${beta.size} values, expected ${d}`,
    );
  const n = x.size;
  const rows = n / d;
  const xd = x.data;
  const gd = gamma.data;
  const bd = beta.data;
  const xhat = floats(n, false);
  const rstd = new Float32Array(rows);
  const y = floats(n, false);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mu = 0;
    for (let j = 0; j < d; j++) mu += xd[o + j]!;
    mu /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += (xd[o + j]! - mu) ** 2;
    const rs = 1 / Math.sqrt(v / d + eps);
    rstd[r] = rs;
    for (let j = 0; j < d; j++) {
      const h = (xd[o + j]! - mu) * rs;
      xhat[o + j] = h;
      y[o + j] = h * gd[j]! + bd[j]!;
    }
  }
  return makeResult(y, x.shape, [x, gamma, beta], (g) => {
    // one pass per row: γ and β gradients, then the input gradient from the row's two sums
    const gg = gamma.requiresGrad ? gamma.ensureGrad() : null;
    const gb = beta.requiresGrad ? beta.ensureGrad() : null;
    const gx = x.requiresGrad ? x.ensureGrad() : null;
    for (let r = 0; r < rows; r++) {
      const o = r * d;
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < d; j++) {
        const gy = g[o + j]!;
        const h = xhat[o + j]!;
        if (gg) gg[j] += gy * h;
        if (gb) gb[j] += gy;
        const gh = gy * gd[j]!;
        s1 += gh;
        s2 += gh * h;
      }
      if (!gx) continue;
      s1 /= d;
      s2 /= d;
      const rs = rstd[r]!;
      for (let j = 0; j < d; j++) gx[o + j] += rs * (g[o + j]! * gd[j]! - s1 - xhat[o + j]! * s2);
    }
  });
}

/** Scales each row (last axis) to unit L2 norm: x / max(‖x‖, eps). */
export function l2Normalize(x: Tensor, eps = 1e-12): Tensor {
  const d = x.shape[x.rank - 1]!;
  const rows = x.size / d;
  const y = new Float32Array(x.size);
  const norms = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x.data[r * d + j]! ** 2;
    const n = Math.max(Math.sqrt(s), eps);
    norms[r] = n;
    for (let j = 0; j < d; j++) y[r * d + j] = x.data[r * d + j]! / n;
  }
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let r = 0; r < rows; r++) {
      const o = r * d;
      let dp = 0;
      for (let j = 0; j < d; j++) dp += g[o + j]! * y[o + j]!;
      const inv = 1 / norms[r]!;
      for (let j = 0; j < d; j++) gx[o + j] += inv * (g[o + j]! - y[o + j]! * dp);
    }
  });
}
