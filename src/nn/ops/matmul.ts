/** Matrix products with autograd: dense×dense (with transposes), fused linear (x·W + b), sparse(CSR)×dense. */
import { LayerwiseError } from '../../core/errors.js';
import { backend } from '../backend/index.js';
import type { CsrMatrix } from '../csr.js';
import { floats } from '../pool.js';
import { makeResult, type Tensor } from '../tensor.js';

export interface MatmulOptions {
  /** Use Aᵀ (A stored k×m). */
  transA?: boolean;
  /** Use Bᵀ (B stored n×k). */
  transB?: boolean;
}

function dims2(t: Tensor, what: string): [number, number] {
  if (t.shape.length !== 2)
    throw new LayerwiseError('invalid_argument', `${what} must be 2-D, got shape [${t.shape.join(', ')}]`);
  return [t.shape[0]!, t.shape[1]!];
}

/** out += column sums of g (rows×cols), as a 1×rows ones-vector GEMM (the bias gradient). */
function addColumnSums(g: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const ones = new Float32Array(rows).fill(1);
  backend().sgemm(false, false, 1, cols, rows, 1, ones, g, 1, out);
}

/** C = op(A)·op(B) for 2-D tensors. */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const ta = opts.transA ?? false;
  const tb = opts.transB ?? false;
  const [ar, ac] = dims2(a, 'matmul A');
  const [br, bc] = dims2(b, 'matmul B');
  const m = ta ? ac : ar;
  const k = ta ? ar : ac;
  const kb = tb ? bc : br;
  const n = tb ? br : bc;
  if (k !== kb)
    throw new LayerwiseError(
      'invalid_argument',
      `matmul: inner dimensions differ (op(A) is ${m}×${k}, op(B) is ${kb}×${n}); check shapes or the trans flags`,
    );
  const c = floats(m * n, false);
  const be = backend();
  be.sgemm(ta, tb, m, n, k, 1, a.data, b.data, 0, c);
  return makeResult(c, [m, n], [a, b], (g) => {
    if (a.requiresGrad) {
      const ga = a.ensureGrad();
      if (!ta) be.sgemm(false, !tb, m, k, n, 1, g, b.data, 1, ga);
      else if (!tb) be.sgemm(false, true, k, m, n, 1, b.data, g, 1, ga);
      else be.sgemm(true, true, k, m, n, 1, b.data, g, 1, ga);
    }
    if (b.requiresGrad) {
      const gb = b.ensureGrad();
      if (!tb) be.sgemm(!ta, false, k, n, m, 1, a.data, g, 1, gb);
      else if (!ta) be.sgemm(true, false, n, k, m, 1, g, a.data, 1, gb);
      else be.sgemm(true, true, n, k, m, 1, g, a.data, 1, gb);
    }
  });
}

/** y = x·W + b with x [batch, in], W [in, out], b [out] (optional). One GEMM forward, two backward. */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  const [bs, inF] = dims2(x, 'linear x');
  const [wi, outF] = dims2(w, 'linear W');
  if (wi !== inF)
    throw new LayerwiseError(
      'invalid_argument',
      `linear: x has ${inF} features but W is ${wi}×${outF} (expected ${inF}×out)`,
    );
  if (b && b.size !== outF)
    throw new LayerwiseError('invalid_argument', `linear: bias has ${b.size} values, expected ${outF}`);
  const y = floats(bs * outF, !b); // with a bias every row is set before the GEMM adds to it
  if (b) for (let r = 0; r < bs; r++) y.set(b.data, r * outF);
  const be = backend();
  be.sgemm(false, false, bs, outF, inF, 1, x.data, w.data, b ? 1 : 0, y);
  return makeResult(y, [bs, outF], b ? [x, w, b] : [x, w], (g) => {
    if (x.requiresGrad) be.sgemm(false, true, bs, inF, outF, 1, g, w.data, 1, x.ensureGrad());
    if (w.requiresGrad) be.sgemm(true, false, inF, outF, bs, 1, x.data, g, 1, w.ensureGrad());
    if (b?.requiresGrad) addColumnSums(g, bs, outF, b.ensureGrad());
  });
}

/** C = op(A)·B for a constant sparse A (CSR) and a dense 2-D tensor B; gradient flows to B only. */
export function spmm(a: CsrMatrix, b: Tensor, opts: { transA?: boolean } = {}): Tensor {
  const ta = opts.transA ?? false;
  const [br, n] = dims2(b, 'spmm B');
  const k = ta ? a.rows : a.cols;
  const m = ta ? a.cols : a.rows;
  if (br !== k)
    throw new LayerwiseError('invalid_argument', `spmm: op(A) is ${m}×${k} but B has ${br} rows; check transA`);
  const be = backend();
  const c = new Float32Array(m * n);
  be.csrmm(ta, a.rows, a.cols, a.indptr, a.indices, a.values, b.data, n, 0, c);
  return makeResult(c, [m, n], [b], (g) => {
    be.csrmm(!ta, a.rows, a.cols, a.indptr, a.indices, a.values, g, n, 1, b.ensureGrad());
  });
}

/** Fused sparse linear layer: y = A·W + b for a CSR batch A [batch, in], W [in, out], b [out]. */
export function spLinear(a: CsrMatrix, w: Tensor, b?: Tensor): Tensor {
  const [wi, outF] = dims2(w, 'spLinear W');
  if (wi !== a.cols)
    throw new LayerwiseError('invalid_argument', `spLinear: input has ${a.cols} columns but W is ${wi}×${outF}`);
  const be = backend();
  const y = new Float32Array(a.rows * outF);
  if (b) for (let r = 0; r < a.rows; r++) y.set(b.data, r * outF);
  be.csrmm(false, a.rows, a.cols, a.indptr, a.indices, a.values, w.data, outF, b ? 1 : 0, y);
  return makeResult(y, [a.rows, outF], b ? [w, b] : [w], (g) => {
    if (w.requiresGrad) be.csrmm(true, a.rows, a.cols, a.indptr, a.indices, a.values, g, outF, 1, w.ensureGrad());
    if (b?.requiresGrad) {
      const gb = b.ensureGrad();
      for (let r = 0; r < a.rows; r++) for (let j = 0; j < outF; j++) gb[j] = gb[j]! + g[r * outF + j]!;
    }
  });
}
