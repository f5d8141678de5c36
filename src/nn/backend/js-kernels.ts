/**
 * Portable element-wise kernels for the `js` backend: activations and their gradients, row softmax /
 * log-softmax, and the Adam update. The C versions in native/src/kernels.c compute the same formulas.
 */
import { UnaryOp, type UnaryOpCode } from './types.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf(x), Abramowitz & Stegun 7.1.26 refined (|error| < 1.5e-7: below float32 resolution). */
export function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-ax * ax);
  return s * y;
}

export function unaryJs(op: UnaryOpCode, x: Float32Array, y: Float32Array): void {
  const n = x.length;
  switch (op) {
    case UnaryOp.relu:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        y[i] = Math.max(v, 0);
      }
      break;
    case UnaryOp.tanh:
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
      break;
    case UnaryOp.sigmoid:
      for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-x[i]!));
      break;
    case UnaryOp.gelu:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        y[i] = 0.5 * v * (1 + erf(v * SQRT1_2));
      }
      break;
    case UnaryOp.exp:
      for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]!);
      break;
  }
}

export function unaryGradJs(
  op: UnaryOpCode,
  x: Float32Array,
  y: Float32Array,
  gy: Float32Array,
  gx: Float32Array,
): void {
  const n = x.length;
  switch (op) {
    case UnaryOp.relu:
      for (let i = 0; i < n; i++) if (x[i]! > 0) gx[i] = gx[i]! + gy[i]!;
      break;
    case UnaryOp.tanh:
      for (let i = 0; i < n; i++) {
        const t = y[i]!;
        gx[i] = gx[i]! + gy[i]! * (1 - t * t);
      }
      break;
    case UnaryOp.sigmoid:
      for (let i = 0; i < n; i++) {
        const s = y[i]!;
        gx[i] = gx[i]! + gy[i]! * s * (1 - s);
      }
      break;
    case UnaryOp.gelu:
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        const d = 0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
        gx[i] = gx[i]! + gy[i]! * d;
      }
      break;
    case UnaryOp.exp:
      for (let i = 0; i < n; i++) gx[i] = gx[i]! + gy[i]! * y[i]!;
      break;
  }
}

export function softmaxJs(x: Float32Array, rows: number, cols: number, y: Float32Array, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (x[o + j]! > mx) mx = x[o + j]!;
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[o + j]! - mx);
    if (log) {
      const lse = mx + Math.log(s);
      for (let j = 0; j < cols; j++) y[o + j] = x[o + j]! - lse;
    } else {
      const inv = 1 / s;
      for (let j = 0; j < cols; j++) y[o + j] = Math.exp(x[o + j]! - mx) * inv;
    }
  }
}

export function softmaxGradJs(
  y: Float32Array,
  gy: Float32Array,
  rows: number,
  cols: number,
  gx: Float32Array,
  log: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (log) {
      // y = x - lse: gx = gy - softmax·Σgy
      let s = 0;
      for (let j = 0; j < cols; j++) s += gy[o + j]!;
      for (let j = 0; j < cols; j++) gx[o + j] = gx[o + j]! + gy[o + j]! - Math.exp(y[o + j]!) * s;
    } else {
      let d = 0;
      for (let j = 0; j < cols; j++) d += gy[o + j]! * y[o + j]!;
      for (let j = 0; j < cols; j++) gx[o + j] = gx[o + j]! + y[o + j]! * (gy[o + j]! - d);
    }
  }
}

export function adamJs(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  decoupled: boolean,
  step: number,
): void {
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const stepSize = lr / bc1;
  const invSqrtBc2 = 1 / Math.sqrt(bc2);
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const pi = p[i]!;
    const gi = g[i]! + l2 * pi;
    const mi = beta1 * m[i]! + (1 - beta1) * gi;
    const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi * shrink - (stepSize * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
  }
}
