/**
 * The workloads of bench/compute, built on src/nn exactly as a model would use it: an MLP training step and a
 * Mult-VAE training step (Liang et al., 2018, arXiv:1802.05814) on a sparse batch. torch_ref.py mirrors them.
 */
import { Rng } from '../../src/core/rng.js';
import {
  Adam,
  add,
  type CsrMatrix,
  csr,
  exp,
  klStdNormal,
  Linear,
  linear,
  Mlp,
  mse,
  mul,
  multinomialNll,
  scale,
  sliceLast,
  spLinear,
  Tensor,
  tanh,
} from '../../src/nn/index.js';

/** MLP 512→1024→256 (relu), batch 512, MSE, Adam: returns one training step. */
export function mlpStep(seed = 1): () => number {
  const rng = new Rng(seed);
  const net = new Mlp([512, 1024, 256], rng);
  const opt = new Adam(net.parameters(), { lr: 1e-3 });
  const x = Tensor.randn([512, 512], rng);
  const y = Tensor.randn([512, 256], rng);
  return () => {
    opt.zeroGrad();
    const loss = mse(net.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** A batch of `batch` rows over `items` items, ~perRow Zipf-popular items each (same recipe as torch_ref.py). */
export function sparseBatch(items: number, perRow: number, batch: number, rng: Rng): CsrMatrix {
  const w = Float64Array.from({ length: items }, (_, i) => 1 / (i + 1) ** 0.8);
  const cdf = new Float64Array(items);
  let s = 0;
  w.forEach((v, i) => {
    s += v;
    cdf[i] = s;
  });
  const rows: number[][] = [];
  for (let r = 0; r < batch; r++) {
    const k = Math.max(1, Math.round(perRow + Math.sqrt(perRow) * rng.normal()));
    const set = new Set<number>();
    while (set.size < Math.min(k, items)) {
      const u = rng.next() * s;
      let lo = 0;
      let hi = items - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      set.add(lo);
    }
    rows.push([...set].sort((a, b) => a - b));
  }
  const indptr = new Int32Array(batch + 1);
  rows.forEach((r, i) => {
    indptr[i + 1] = indptr[i]! + r.length;
  });
  return csr(batch, items, indptr, Int32Array.from(rows.flat()), new Float32Array(indptr[batch]!).fill(1));
}

/** L2-normalised rows with inverted dropout p applied to the stored values (Mult-VAE's input corruption). */
function normalizeDropout(x: CsrMatrix, p: number, rng: Rng): CsrMatrix {
  const values = new Float32Array(x.values.length);
  for (let r = 0; r < x.rows; r++) {
    const s = x.indptr[r]!;
    const e = x.indptr[r + 1]!;
    let n2 = 0;
    for (let q = s; q < e; q++) n2 += x.values[q]! ** 2;
    const f = 1 / Math.max(Math.sqrt(n2), 1e-12) / (1 - p);
    for (let q = s; q < e; q++) values[q] = rng.next() < p ? 0 : x.values[q]! * f;
  }
  return { ...x, values };
}

/** Mult-VAE n→600→(μ, log σ² of 200)→600→n, tanh, dropout 0.5, β = 0.2, Adam: returns one training step. */
export function multVaeStep(items: number, perRow: number, seed = 1): () => number {
  const rng = new Rng(seed);
  const x = sparseBatch(items, perRow, 500, rng);
  const q1 = new Linear(items, 600, rng);
  const q2 = new Linear(600, 400, rng);
  const p1 = new Linear(200, 600, rng);
  const p2 = new Linear(600, items, rng);
  const opt = new Adam(
    [q1, q2, p1, p2].flatMap((l) => l.parameters()),
    { lr: 1e-3 },
  );
  return () => {
    opt.zeroGrad();
    const input = normalizeDropout(x, 0.5, rng);
    const h = q2.forward(tanh(spLinear(input, q1.weight, q1.bias)));
    const mu = sliceLast(h, 0, 200);
    const logvar = sliceLast(h, 200, 400);
    const eps = Tensor.randn([500, 200], rng);
    const z = add(mu, mul(eps, exp(scale(logvar, 0.5))));
    const logits = linear(tanh(p1.forward(z)), p2.weight, p2.bias);
    const loss = add(multinomialNll(logits, x), scale(klStdNormal(mu, logvar), 0.2));
    loss.backward();
    opt.step();
    return loss.item();
  };
}
