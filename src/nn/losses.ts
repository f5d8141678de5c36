/**
 * Losses, each returning a scalar tensor averaged over the batch:
 * - multinomialNll — Mult-VAE/DAE likelihood (Liang et al., 2018, "Variational Autoencoders for Collaborative
 *   Filtering", arXiv:1802.05814): −mean_b Σ_j x_bj·log softmax(z_b)_j, fused (one log-softmax, sparse target).
 * - bpr — Bayesian Personalised Ranking (Rendle et al., 2009, arXiv:1205.2618): −mean log σ(pos − neg).
 * - mse, crossEntropy (integer labels), infoNce (van den Oord et al., 2018, arXiv:1807.03748; symmetric form as in
 *   CLIP), klStdNormal — KL(N(μ, e^logvar) ‖ N(0, I)) summed over latent dims, averaged over the batch.
 */
import { LayerwiseError } from '../core/errors.js';
import { backend } from './backend/index.js';
import type { CsrMatrix } from './csr.js';
import { sub } from './ops/broadcast.js';
import { matmul } from './ops/matmul.js';
import { mean } from './ops/reduce.js';
import { logSigmoid, scale, square } from './ops/unary.js';
import { makeResult, type Tensor } from './tensor.js';

function rowsCols(z: Tensor, what: string): [number, number] {
  if (z.rank !== 2)
    throw new LayerwiseError('invalid_argument', `${what}: logits must be 2-D, got [${z.shape.join(', ')}]`);
  return [z.shape[0]!, z.shape[1]!];
}

/** Multinomial negative log-likelihood of counts `target` (dense [b, n] tensor or CSR) under softmax(logits). */
export function multinomialNll(logits: Tensor, target: Tensor | CsrMatrix): Tensor {
  const [b, n] = rowsCols(logits, 'multinomialNll');
  const dense = 'data' in target ? target.data : null;
  const tr = 'data' in target ? target.shape[0] : target.rows;
  const tc = 'data' in target ? target.shape[1] : target.cols;
  if (tr !== b || tc !== n)
    throw new LayerwiseError('invalid_argument', `multinomialNll: target is ${tr}×${tc}, logits are ${b}×${n}`);
  const lsm = new Float32Array(b * n);
  backend().softmax(logits.data, b, n, lsm, true);
  let loss = 0;
  for (let r = 0; r < b; r++) {
    if (dense) {
      const o = r * n;
      for (let j = 0; j < n; j++) {
        const x = dense[o + j]!;
        if (x !== 0) {
          loss -= x * lsm[o + j]!;
        }
      }
    } else {
      const t = target as CsrMatrix;
      for (let q = t.indptr[r]!; q < t.indptr[r + 1]!; q++) {
        loss -= t.values[q]! * lsm[r * n + t.indices[q]!]!;
      }
    }
  }
  return makeResult(Float32Array.of(loss / b), [], [logits], (g) => {
    // d/dz = (rowSum·softmax − x)/b: the log-softmax backward of gy = −x/b, one fused kernel pass.
    const f = g[0]! / b;
    const gy = new Float32Array(b * n);
    if (dense) for (let i = 0; i < gy.length; i++) gy[i] = -f * dense[i]!;
    else {
      const t = target as CsrMatrix;
      for (let r = 0; r < b; r++)
        for (let q = t.indptr[r]!; q < t.indptr[r + 1]!; q++) gy[r * n + t.indices[q]!] -= f * t.values[q]!;
    }
    backend().softmaxGrad(lsm, gy, b, n, logits.ensureGrad(), true);
  });
}

/**
 * Softmax cross-entropy of logits [b, c] against integer class labels (length b). One softmax pass by the backend's
 * vectorised kernel serves both directions: the loss is −log p(label) (from the row's log-sum-exp when p underflows)
 * and the gradient (p − onehot)/b is written into the same buffer — b·c can be 10⁸ for a full-catalogue softmax.
 */
export function crossEntropy(logits: Tensor, labels: ArrayLike<number>): Tensor {
  const [b, c] = rowsCols(logits, 'crossEntropy');
  if (labels.length !== b)
    throw new LayerwiseError('invalid_argument', `crossEntropy: ${labels.length} labels for ${b} rows`);
  const prob = new Float32Array(b * c);
  backend().softmax(logits.data, b, c, prob, false);
  let loss = 0;
  for (let r = 0; r < b; r++) {
    const y = labels[r]!;
    if (!(y >= 0 && y < c))
      throw new LayerwiseError('invalid_argument', `crossEntropy: label ${y} at row ${r} not in 0..${c - 1}`);
    const py = prob[r * c + y]!;
    loss -= py > 1e-30 ? Math.log(py) : logSoftmaxAt(logits.data, r * c, c, y);
  }
  return makeResult(Float32Array.of(loss / b), [], [logits], (g) => {
    const f = g[0]! / b;
    if (logits.grad === null) {
      // the probabilities become the logits' gradient: no second b·c allocation
      for (let i = 0; i < prob.length; i++) prob[i] = f * prob[i]!;
      logits.grad = prob;
    } else {
      const gz = logits.grad;
      for (let i = 0; i < gz.length; i++) gz[i] += f * prob[i]!;
    }
    const gz = logits.grad;
    for (let r = 0; r < b; r++) gz[r * c + labels[r]!] -= f;
  });
}

/**
 * Free scratch buffers of tiedCrossEntropy, reused step after step (a buffer is out while its step is in flight).
 * A request takes the smallest spare of at least its length (at most twice it) as a view of its first n values:
 * the number of rows with a target differs from batch to batch.
 */
const spare: Float32Array[] = [];
function takeBuffer(n: number): Float32Array {
  let best = -1;
  for (let i = 0; i < spare.length; i++) {
    const len = spare[i]!.length;
    if (len >= n && len <= 2 * n && (best < 0 || len < spare[best]!.length)) best = i;
  }
  if (best < 0) return new Float32Array(n);
  const b = spare.splice(best, 1)[0]!;
  return b.length === n ? b : b.subarray(0, n);
}
function giveBack(b: Float32Array): void {
  const whole = b.length * 4 === b.buffer.byteLength ? b : new Float32Array(b.buffer, 0, b.buffer.byteLength / 4);
  spare.push(whole);
  // keep the four largest: a long run of smaller batches must not pin every size it ever saw
  if (spare.length > 4)
    spare.splice(
      spare.reduce((m, x, i) => (x.length < spare[m]!.length ? i : m), 0),
      1,
    );
}

/**
 * crossEntropy(matmul(hidden, weight, {transB: true}), labels) — the full-catalogue softmax loss of a model whose
 * output layer is its (tied) item embeddings — as one op: the same GEMMs and softmax kernel, so the loss is that
 * of the two-op version to the bit, but the rows × catalogue logits and probabilities live in scratch
 * buffers reused from step to step instead of two fresh b·c arrays per step (10⁸ floats for a large catalogue:
 * allocation and garbage collection were a tenth of a SASRec epoch), and the backward scales by 1/b through the
 * GEMMs' alpha rather than a pass over the probabilities (the gradients equal the two-op version's to rounding).
 * hidden [b, d], weight [c, d].
 */
export function tiedCrossEntropy(hidden: Tensor, weight: Tensor, labels: ArrayLike<number>): Tensor {
  const [b, d] = rowsCols(hidden, 'tiedCrossEntropy hidden');
  const [c, dw] = rowsCols(weight, 'tiedCrossEntropy weight');
  if (d !== dw) throw new LayerwiseError('invalid_argument', `tiedCrossEntropy: hidden has ${d} columns, weight ${dw}`);
  if (labels.length !== b)
    throw new LayerwiseError('invalid_argument', `tiedCrossEntropy: ${labels.length} labels for ${b} rows`);
  for (let r = 0; r < b; r++) {
    const y = labels[r]!;
    if (!(y >= 0 && y < c))
      throw new LayerwiseError('invalid_argument', `tiedCrossEntropy: label ${y} at row ${r} not in 0..${c - 1}`);
  }
  const be = backend();
  const logits = takeBuffer(b * c);
  be.sgemm(false, true, b, c, d, 1, hidden.data, weight.data, 0, logits);
  const prob = takeBuffer(b * c);
  be.softmax(logits, b, c, prob, false);
  let loss = 0;
  for (let r = 0; r < b; r++) {
    const py = prob[r * c + labels[r]!]!;
    loss -= py > 1e-30 ? Math.log(py) : logSoftmaxAt(logits, r * c, c, labels[r]!);
  }
  giveBack(logits);
  return makeResult(Float32Array.of(loss / b), [], [hidden, weight], (g) => {
    // dz = f·(p − onehot): the scale f rides on the GEMMs' alpha instead of a pass over the b·c probabilities
    const f = g[0]! / b;
    for (let r = 0; r < b; r++) prob[r * c + labels[r]!] -= 1;
    if (hidden.requiresGrad) be.sgemm(false, false, b, d, c, f, prob, weight.data, 1, hidden.ensureGrad());
    if (weight.requiresGrad) be.sgemm(true, false, c, d, b, f, prob, hidden.data, 1, weight.ensureGrad());
    giveBack(prob);
  });
}

/** log softmax(z[o … o+c))[y] by a direct log-sum-exp (for a label whose probability underflows float32). */
function logSoftmaxAt(z: Float32Array, o: number, c: number, y: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < c; j++) m = Math.max(m, z[o + j]!);
  let s = 0;
  for (let j = 0; j < c; j++) s += Math.exp(z[o + j]! - m);
  return z[o + y]! - m - Math.log(s);
}

/** Mean squared error over all values. */
export function mse(pred: Tensor, target: Tensor): Tensor {
  if (pred.size !== target.size)
    throw new LayerwiseError('invalid_argument', `mse: prediction has ${pred.size} values, target ${target.size}`);
  return mean(square(sub(pred, target)));
}

/** BPR loss: −mean log σ(pos − neg) over paired scores. */
export function bpr(pos: Tensor, neg: Tensor): Tensor {
  return scale(mean(logSigmoid(sub(pos, neg))), -1);
}

/**
 * InfoNCE for a batch of paired embeddings (row i of `a` matches row i of `b`; others are negatives):
 * cross-entropy of a·bᵀ/τ against the diagonal. `symmetric` (default true) averages both directions.
 * Normalise the rows first (l2Normalize) for cosine similarity.
 */
export function infoNce(a: Tensor, b: Tensor, opts: { temperature?: number; symmetric?: boolean } = {}): Tensor {
  const t = opts.temperature ?? 0.1;
  const n = a.shape[0]!;
  const labels = Int32Array.from({ length: n }, (_, i) => i);
  const logits = scale(matmul(a, b, { transB: true }), 1 / t);
  const l1 = crossEntropy(logits, labels);
  if (opts.symmetric === false) return l1;
  const logitsT = scale(matmul(b, a, { transB: true }), 1 / t);
  return scale(addScalars(l1, crossEntropy(logitsT, labels)), 0.5);
}

function addScalars(x: Tensor, y: Tensor): Tensor {
  return makeResult(Float32Array.of(x.data[0]! + y.data[0]!), [], [x, y], (g) => {
    if (x.requiresGrad) x.ensureGrad()[0] += g[0]!;
    if (y.requiresGrad) y.ensureGrad()[0] += g[0]!;
  });
}

/** KL(N(μ, diag e^logvar) ‖ N(0, I)) = −½ Σ_j (1 + logvar − μ² − e^logvar), averaged over batch rows. */
export function klStdNormal(mu: Tensor, logvar: Tensor): Tensor {
  if (mu.size !== logvar.size || mu.rank !== 2)
    throw new LayerwiseError(
      'invalid_argument',
      `klStdNormal: mu [${mu.shape.join(', ')}] and logvar [${logvar.shape.join(', ')}] must be equal 2-D`,
    );
  const b = mu.shape[0]!;
  let s = 0;
  for (let i = 0; i < mu.size; i++) {
    const m = mu.data[i]!;
    const lv = logvar.data[i]!;
    s += -0.5 * (1 + lv - m * m - Math.exp(lv));
  }
  return makeResult(Float32Array.of(s / b), [], [mu, logvar], (g) => {
    const f = g[0]! / b;
    if (mu.requiresGrad) {
      const gm = mu.ensureGrad();
      for (let i = 0; i < gm.length; i++) gm[i] += f * mu.data[i]!;
    }
    if (logvar.requiresGrad) {
      const gl = logvar.ensureGrad();
      for (let i = 0; i < gl.length; i++) gl[i] += f * 0.5 * (Math.exp(logvar.data[i]!) - 1);
    }
  });
}
