/**
 * The portable iALS conjugate-gradient half-step (the native backend runs the same arithmetic on every core in
 * native/src/ials.c): every row x_r of X solves (G + λ_r I + Σ_q α v_q y_q y_qᵀ) x_r = Σ_q (1 + α v_q) y_q by `steps`
 * warm-started CG iterations, G = YᵀY given. One thread; vectors in float64.
 */
export function ialsCgJs(
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
  x: Float32Array,
  y: Float32Array,
  gram: Float32Array,
  lam: Float32Array,
  rows: number,
  _nY: number,
  f: number,
  alpha: number,
  steps: number,
): number {
  const xi = new Float64Array(f);
  const r = new Float64Array(f);
  const pv = new Float64Array(f);
  const ap = new Float64Array(f);
  let l = 0;
  const mulA = (v: Float64Array, out: Float64Array, start: number, end: number): void => {
    for (let a = 0; a < f; a++) {
      let s = l * v[a]!;
      for (let b = 0; b < f; b++) s += gram[a * f + b]! * v[b]!;
      out[a] = s;
    }
    for (let q = start; q < end; q++) {
      const o = indices[q]! * f;
      let d = 0;
      for (let a = 0; a < f; a++) d += y[o + a]! * v[a]!;
      d *= alpha * values[q]!;
      for (let a = 0; a < f; a++) out[a]! += d * y[o + a]!;
    }
  };
  for (let row = 0; row < rows; row++) {
    const start = indptr[row]!;
    const end = indptr[row + 1]!;
    const off = row * f;
    l = lam[row]!;
    for (let a = 0; a < f; a++) xi[a] = x[off + a]!;
    // r = b − A x, b = Σ c y
    mulA(xi, ap, start, end);
    for (let a = 0; a < f; a++) r[a] = -ap[a]!;
    for (let q = start; q < end; q++) {
      const o = indices[q]! * f;
      const c = 1 + alpha * values[q]!;
      for (let a = 0; a < f; a++) r[a]! += c * y[o + a]!;
    }
    pv.set(r);
    let rs = 0;
    for (let a = 0; a < f; a++) rs += r[a]! * r[a]!;
    for (let it = 0; it < steps && rs > 1e-20; it++) {
      mulA(pv, ap, start, end);
      let pap = 0;
      for (let a = 0; a < f; a++) pap += pv[a]! * ap[a]!;
      if (!(pap > 0)) break;
      const step = rs / pap;
      let rsNew = 0;
      for (let a = 0; a < f; a++) {
        xi[a]! += step * pv[a]!;
        r[a]! -= step * ap[a]!;
        rsNew += r[a]! * r[a]!;
      }
      const beta = rsNew / rs;
      for (let a = 0; a < f; a++) pv[a] = r[a]! + beta * pv[a]!;
      rs = rsNew;
    }
    for (let a = 0; a < f; a++) x[off + a] = xi[a]!;
  }
  return 1;
}
