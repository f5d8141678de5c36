/** Element-wise unary ops with autograd: activations (backend kernels), exp/log, scaling, shifting, powers. */
import { LayerwiseError } from '../../core/errors.js';
import { backend, UnaryOp, type UnaryOpCode } from '../backend/index.js';
import { floats } from '../pool.js';
import { makeResult, type Tensor } from '../tensor.js';

function activation(op: UnaryOpCode, x: Tensor): Tensor {
  const be = backend();
  const y = floats(x.size, false);
  be.unary(op, x.data, y);
  return makeResult(y, x.shape, [x], (g) => be.unaryGrad(op, x.data, y, g, x.ensureGrad()));
}

export const relu = (x: Tensor): Tensor => activation(UnaryOp.relu, x);
export const tanh = (x: Tensor): Tensor => activation(UnaryOp.tanh, x);
export const sigmoid = (x: Tensor): Tensor => activation(UnaryOp.sigmoid, x);
/** GELU with the exact (erf) form, as PyTorch's default. */
export const gelu = (x: Tensor): Tensor => activation(UnaryOp.gelu, x);
export const exp = (x: Tensor): Tensor => activation(UnaryOp.exp, x);

/** Natural log; inputs must be positive (add an epsilon first where needed). */
export function log(x: Tensor): Tensor {
  const y = new Float32Array(x.size);
  for (let i = 0; i < y.length; i++) y[i] = Math.log(x.data[i]!);
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let i = 0; i < gx.length; i++) gx[i] += g[i]! / x.data[i]!;
  });
}

/** s·x + c for scalars s, c. */
export function affine(x: Tensor, s: number, c = 0): Tensor {
  const y = floats(x.size, false);
  for (let i = 0; i < y.length; i++) y[i] = s * x.data[i]! + c;
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let i = 0; i < gx.length; i++) gx[i] += s * g[i]!;
  });
}

export const scale = (x: Tensor, s: number): Tensor => affine(x, s, 0);
export const neg = (x: Tensor): Tensor => affine(x, -1, 0);
export const addScalar = (x: Tensor, c: number): Tensor => affine(x, 1, c);

/** x² element-wise. */
export function square(x: Tensor): Tensor {
  const y = new Float32Array(x.size);
  for (let i = 0; i < y.length; i++) y[i] = x.data[i]! * x.data[i]!;
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let i = 0; i < gx.length; i++) gx[i] += 2 * x.data[i]! * g[i]!;
  });
}

/** log σ(x), computed stably (BPR and logistic losses). */
export function logSigmoid(x: Tensor): Tensor {
  const y = new Float32Array(x.size);
  for (let i = 0; i < y.length; i++) {
    const v = x.data[i]!;
    y[i] = v >= 0 ? -Math.log1p(Math.exp(-v)) : v - Math.log1p(Math.exp(v));
  }
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let i = 0; i < gx.length; i++) gx[i] += g[i]! * (1 - 1 / (1 + Math.exp(-x.data[i]!)));
  });
}

/** Same values under a new shape (no copy); the gradient is reshaped back. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  let known = 1;
  let infer = -1;
  shape.forEach((d, i) => {
    if (d === -1) infer = i;
    else known *= d;
  });
  const s = [...shape];
  if (infer >= 0) s[infer] = known === 0 ? 0 : x.size / known;
  if (s.reduce((p, d) => p * d, 1) !== x.size)
    throw new LayerwiseError(
      'invalid_argument',
      `reshape: [${x.shape.join(', ')}] has ${x.size} values, not [${shape.join(', ')}]`,
    );
  return makeResult(x.data, s, [x], (g) => {
    const gx = x.ensureGrad();
    for (let i = 0; i < gx.length; i++) gx[i] += g[i]!;
  });
}
