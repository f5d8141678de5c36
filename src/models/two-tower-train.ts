/**
 * Training of the two towers (two-tower-net.ts) with a sampled softmax: each step takes a batch of (user, item)
 * events; the user tower reads the user's history *without* that item (and without a share `historyDropout` of
 * the rest), and the item must win a softmax over the batch's items (in-batch negatives, drawn by popularity) plus
 * `negatives` items drawn uniformly from the items with events — mixed negative sampling (Yang et al., "Mixed
 * negative sampling for learning two-tower neural networks in recommendations", WWW 2020). Each logit is corrected
 * by −log Q_j, Q_j = B·p_j + S/n the expected count of item j among the candidates (logQ correction: Yi et al.,
 * "Sampling-bias-corrected neural modeling for large corpus item recommendations", RecSys 2019), so the model
 * learns the full softmax; candidates the user already has (the positive elsewhere in the batch included) are
 * masked out. A share `idDropout` of the candidates lose their id part (DropoutNet: Volkovs et al., NeurIPS 2017),
 * so content-only item vectors are trained in the same softmax as the others and share their scale.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { CsrMatrix } from '../nn/csr.js';
import { crossEntropy } from '../nn/losses.js';
import { matmul, spmm } from '../nn/ops/matmul.js';
import { embedding } from '../nn/ops/sampling.js';
import { Adam } from '../nn/optim.js';
import { makeResult, Tensor } from '../nn/tensor.js';
import type { FitContext } from './base.js';
import type { Interactions } from './interactions.js';
import type { TwoTowerNet } from './two-tower-net.js';

export interface TowerTraining {
  epochs: number;
  batchSize: number;
  negatives: number;
  learningRate: number;
  temperature: number;
  idDropout: number;
  historyDropout: number;
  eventsPerUser: number;
  logQ: boolean;
}

const MASKED = -1e9;

/** Event count of every item (columns of the interaction matrix). */
export function eventCounts(data: Interactions): Float64Array {
  const counts = new Float64Array(data.nItems);
  for (const j of data.matrix.indices) counts[j]!++;
  return counts;
}

/** Trains `net` in place; returns the mean loss of each epoch. `content` is [nItems × contentDim] or undefined. */
export async function trainTowers(
  net: TwoTowerNet,
  data: Interactions,
  content: Float32Array | undefined,
  s: TowerTraining,
  rng: Rng,
  ctx: FitContext,
): Promise<number[]> {
  const m = data.matrix;
  const nnz = m.indices.length;
  const pairUser = new Int32Array(nnz);
  for (let u = 0; u < m.rows; u++) pairUser.fill(u, m.indptr[u]!, m.indptr[u + 1]!);
  const counts = eventCounts(data);
  const warm = Int32Array.from(counts.keys()).filter((j) => counts[j]! > 0);
  const logQ = new Float32Array(data.nItems);
  for (let j = 0; j < data.nItems; j++)
    logQ[j] = Math.log((s.batchSize * counts[j]!) / nnz + s.negatives / warm.length);
  const dC = net.sizes.contentDim;
  const contentT = content && dC > 0 ? new Tensor(content, [data.nItems, dC]) : undefined;
  const opt = new Adam(net.parameters(), { lr: s.learningRate });
  const stamp = { marks: new Int32Array(data.nItems), next: 0 };
  const losses: number[] = [];
  for (let e = 0; e < s.epochs; e++) {
    const t0 = performance.now();
    const groups = eventGroups(m, s.eventsPerUser, rng);
    let total = 0;
    for (let g0 = 0, steps = 0; g0 < groups.length; steps++) {
      // whole groups until the batch holds batchSize events
      let g1 = g0;
      let b = 0;
      while (g1 < groups.length && (b === 0 || b + groups[g1]!.length <= s.batchSize)) b += groups[g1++]!.length;
      const batch = groups.slice(g0, g1);
      g0 = g1;
      const c = b + s.negatives;
      const cands = new Int32Array(c);
      const groupOf = new Int32Array(b);
      const rowUser = new Int32Array(b);
      let r = 0;
      batch.forEach((events, g) => {
        for (const q of events) {
          cands[r] = m.indices[q]!;
          groupOf[r] = g;
          rowUser[r++] = pairUser[q]!;
        }
      });
      for (let j = b; j < c; j++) cands[j] = warm[rng.int(warm.length)]!;
      const keep = new Uint8Array(c);
      rng.keepMask(keep, s.idDropout);
      const hist = histories(data, pairUser, batch, s.historyDropout, rng);
      const bias = candidateBias(m, cands, b, groupOf, rowUser, s.logQ ? logQ : undefined, stamp);
      const xi = contentT ? rowsOf(content!, dC, cands) : undefined;
      const xu = contentT ? spmm(hist, contentT) : undefined;
      const z = embedding(net.users(xu, hist), groupOf);
      const v = net.items(cands, xi, keep);
      const logits = scaleAdd(matmul(z, v, { transB: true }), 1 / s.temperature, bias);
      const loss = crossEntropy(
        logits,
        Int32Array.from({ length: b }, (_, r) => r),
      );
      opt.zeroGrad();
      loss.backward();
      opt.step();
      const l = loss.item();
      if (!Number.isFinite(l))
        throw new LayerwiseError('fit_failed', 'twotower: the loss became non-finite; lower learningRate');
      total += l * b;
      if (steps % 32 === 31) await ctx.pause();
    }
    losses.push(total / nnz);
    ctx.onEpoch(e, { loss: losses.at(-1)!, seconds: (performance.now() - t0) / 1000 });
    await ctx.pause();
  }
  return losses;
}

/**
 * The constant part of the logits [b × c]: −log Q of each candidate, and a mask on candidates the row's user already
 * has (other than the row's own positive, column r). Built once per group of rows (they share a user).
 */
function candidateBias(
  m: CsrMatrix,
  cands: Int32Array,
  b: number,
  groupOf: Int32Array,
  rowUser: Int32Array,
  logQ: Float32Array | undefined,
  stamp: { marks: Int32Array; next: number },
): Float32Array {
  const c = cands.length;
  const base = Float32Array.from(cands, (j) => (logQ ? -logQ[j]! : 0));
  const bias = new Float32Array(b * c);
  const row = new Float32Array(c);
  for (let r = 0; r < b; r++) {
    if (r === 0 || groupOf[r] !== groupOf[r - 1]) {
      const u = rowUser[r]!;
      const id = ++stamp.next;
      for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) stamp.marks[m.indices[p]!] = id;
      for (let j = 0; j < c; j++) row[j] = stamp.marks[cands[j]!] === id ? MASKED : base[j]!;
    }
    bias.set(row, r * c);
    bias[r * c + r] = base[r]!;
  }
  return bias;
}

/** x·s + bias (bias a constant of x's size) as one op: the logits of the sampled softmax. */
function scaleAdd(x: Tensor, s: number, bias: Float32Array): Tensor {
  const y = new Float32Array(x.size);
  for (let i = 0; i < y.length; i++) y[i] = x.data[i]! * s + bias[i]!;
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let i = 0; i < gx.length; i++) gx[i] = gx[i]! + s * g[i]!;
  });
}

/** Content rows of `items` as a [n, d] tensor. */
export function rowsOf(content: Float32Array, d: number, items: ArrayLike<number>): Tensor {
  const x = new Float32Array(items.length * d);
  for (let r = 0; r < items.length; r++) x.set(content.subarray(items[r]! * d, (items[r]! + 1) * d), r * d);
  return new Tensor(x, [items.length, d]);
}

/**
 * The events of every user (positions in the matrix) in random groups of up to `per`, the groups in random order:
 * the events of a group share one pass of the user tower over the history without them.
 */
function eventGroups(m: CsrMatrix, per: number, rng: Rng): Int32Array[] {
  const groups: Int32Array[] = [];
  for (let u = 0; u < m.rows; u++) {
    const q = Int32Array.from({ length: m.indptr[u + 1]! - m.indptr[u]! }, (_, t) => m.indptr[u]! + t);
    shuffle(q, rng);
    for (let t = 0; t < q.length; t += per) groups.push(q.subarray(t, t + per));
  }
  shuffle(groups, rng);
  return groups;
}

function shuffle<T>(xs: { length: number; [i: number]: T }, rng: Rng): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
}

/**
 * The user-tower input of each group of events: the user's history without the group's items and without a share
 * `drop` of the rest, weights normalised to sum 1 (an empty row when nothing is left).
 */
function histories(data: Interactions, pairUser: Int32Array, groups: Int32Array[], drop: number, rng: Rng): CsrMatrix {
  const m = data.matrix;
  const indptr = new Int32Array(groups.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < groups.length; r++) {
    const held = groups[r]!;
    const u = pairUser[held[0]!]!;
    const from = idx.length;
    let sum = 0;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      if (held.includes(p) || (drop > 0 && rng.next() < drop)) continue;
      idx.push(m.indices[p]!);
      val.push(m.values[p]!);
      sum += m.values[p]!;
    }
    if (sum > 0) for (let t = from; t < val.length; t++) val[t] = val[t]! / sum;
    else {
      idx.length = from;
      val.length = from;
    }
    indptr[r + 1] = idx.length;
  }
  return {
    rows: groups.length,
    cols: data.nItems,
    indptr,
    indices: Int32Array.from(idx),
    values: Float32Array.from(val),
  };
}
