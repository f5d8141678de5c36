/**
 * layerwise compute core: tensors with reverse-mode autograd, layers, losses, optimisers, parameter files and
 * linear algebra, running on the native OpenBLAS backend when built and on portable TypeScript otherwise.
 *
 * Quick start (a training step):
 *
 *   import { Rng } from '../core/rng.js';
 *   import { Adam, Mlp, Tensor, mse, noGrad } from '../nn/index.js';
 *   const rng = new Rng(7);
 *   const net = new Mlp([512, 1024, 256], rng, { activation: 'relu' });
 *   const opt = new Adam(net.parameters(), { lr: 1e-3, clipNorm: 5 });
 *   const x = Tensor.randn([512, 512], rng);            // a batch; Tensor = Float32Array data + shape
 *   opt.zeroGrad();
 *   const loss = mse(net.forward(x), target);           // any scalar Tensor
 *   loss.backward();                                    // fills p.grad for every parameter
 *   opt.step();
 *   const y = noGrad(() => net.forward(x));             // inference without recording the graph
 *
 * API (all ops are functions taking and returning Tensors; shapes are row-major, batch first):
 * - Tensor: `new Tensor(data, shape, requiresGrad?)`, `Tensor.zeros/ones/full/from/scalar/randn/uniform`, `.data`,
 *   `.shape`, `.grad`, `.item()`, `.detach()`, `.backward()`; `parameter(t, name)`; `noGrad(fn)`.
 * - Products: `matmul(a, b, {transA, transB})`, `linear(x, W[in,out], b?)`, sparse `spmm(csr, b, {transA})`,
 *   `spLinear(csr, W, b?)` (a CSR batch into a dense layer); CSR helpers `csr`, `csrFromRows`, `csrRows`.
 * - Element-wise: `add/sub/mul/div` (NumPy broadcasting), `relu/tanh/sigmoid/gelu/exp/log/logSigmoid/square`,
 *   `scale/affine/addScalar/neg`; `softmax/logSoftmax` (last axis); `dropout(x, p, rng, training)`;
 *   `layerNorm(x, γ, β)`, `l2Normalize(x)`; `embedding(W, indices)` (gather; the backward scatter-adds into the
 *   looked-up rows only), `embeddingSum(a, ia, s, b, ib)` (s·a[ia] + b[ib]), `maskRows(x, keep)`,
 *   `dropoutRows(x, p, rng, training, keep)` (dropout with padding rows zeroed); `attention(q, k, v, {batch, length, heads, causal, keyMask})`
 *   (scaled dot-product, causal + padding masks, fused backward); `maxPool/meanPool(x, groupSize|offsets)` over
 *   groups of rows (point clouds); `concat(xs, axis)`, `sliceLast(x, start, end)`; `reshape`; `sum/mean/sumLast`.
 * - Losses (scalar, batch-averaged): `multinomialNll(logits, target|csr)`, `bpr(pos, neg)`, `mse`,
 *   `crossEntropy(logits, labels)`, `infoNce(a, b, {temperature, symmetric})`, `klStdNormal(mu, logvar)`.
 * - Layers: `Linear(in, out, rng)`, `Embedding(n, dim, rng)`, `Mlp(sizes, rng, {activation, dropout})`; each has
 *   `forward`, `parameters()`, `namedParameters()`.
 * - Optimisers: `Sgd`, `Adam`, `AdamW` (`{lr, weightDecay, clipNorm, …}`), `.zeroGrad()`, `.step()`; `clipGradNorm`.
 * - Files: `saveModule(m, metadata)` → safetensors bytes, `loadModule(m, bytes)`; `encodeTensors/decodeTensors`.
 * - Linear algebra (Float32/Float64, row-major): `gemm`, `dgemm`, `gram`, `cholesky`, `spdSolve`, `spdSolveMany`,
 *   `spdSolveBatch`, `spdInverse`, `spdInverseInPlace`.
 * - Buffer reuse: `new BufferPool().run(step)` — a training step whose activations and their gradients reuse the
 *   previous step's buffers (nothing made inside may be used after it returns); ops allocate through `floats(n)`.
 * - Backend: `backendInfo()` → `{backend, threads, reason?}`, `setBackend('native'|'js')`, `availableBackends()`,
 *   `setThreads(n)`. `LAYERWISE_BACKEND=native|js` forces one at start-up; `LAYERWISE_THREADS=n` sets BLAS threads.
 */
export {
  availableBackends,
  type BackendInfo,
  type BackendName,
  backend,
  backendInfo,
  setBackend,
  setThreads,
} from './backend/index.js';
export { type CsrMatrix, csr, csrFromRows, csrRows, csrToDense } from './csr.js';
export { type Activation, Embedding, Linear, Mlp, type MlpOptions, type Module } from './layers.js';
export {
  cholesky,
  dgemm,
  gemm,
  gram,
  spdInverse,
  spdInverseInPlace,
  spdSolve,
  spdSolveBatch,
  spdSolveMany,
} from './linalg.js';
export { bpr, crossEntropy, infoNce, klStdNormal, mse, multinomialNll, tiedCrossEntropy } from './losses.js';
export { type AttentionOptions, attention } from './ops/attention.js';
export { add, div, mul, sub } from './ops/broadcast.js';
export { linear, type MatmulOptions, matmul, spLinear, spmm } from './ops/matmul.js';
export { l2Normalize, layerNorm } from './ops/normalize.js';
export { concat, maxPool, mean, meanPool, sliceLast, sum, sumLast } from './ops/reduce.js';
export {
  dropout,
  dropoutRows,
  embedding,
  embeddingSum,
  maskRows,
  residualDropout,
} from './ops/sampling.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export {
  addScalar,
  affine,
  exp,
  gelu,
  log,
  logSigmoid,
  neg,
  relu,
  reshape,
  scale,
  sigmoid,
  square,
  tanh,
} from './ops/unary.js';
export {
  Adam,
  type AdamOptions,
  AdamW,
  clipGradNorm,
  Optimizer,
  type OptimizerOptions,
  Sgd,
  type SgdOptions,
} from './optim.js';
export { BufferPool, floats } from './pool.js';
export { type DecodedTensors, decodeTensors, encodeTensors, loadModule, saveModule } from './serialize.js';
export { isGradEnabled, noGrad, parameter, Tensor } from './tensor.js';
