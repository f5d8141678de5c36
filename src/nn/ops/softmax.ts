/** Row-wise softmax and log-softmax over the last axis (backend kernels), with autograd. */
import { backend } from '../backend/index.js';
import { makeResult, type Tensor } from '../tensor.js';

function rowSoftmax(x: Tensor, log: boolean): Tensor {
  const cols = x.shape[x.rank - 1] ?? 1;
  const rows = cols === 0 ? 0 : x.size / cols;
  const be = backend();
  const y = new Float32Array(x.size);
  be.softmax(x.data, rows, cols, y, log);
  return makeResult(y, x.shape, [x], (g) => be.softmaxGrad(y, g, rows, cols, x.ensureGrad(), log));
}

/** softmax over the last axis. */
export const softmax = (x: Tensor): Tensor => rowSoftmax(x, false);
/** log-softmax over the last axis (stable: x − logsumexp(x)). */
export const logSoftmax = (x: Tensor): Tensor => rowSoftmax(x, true);
