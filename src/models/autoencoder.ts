/**
 * Shared machinery of the deep autoencoder recommenders (Mult-DAE, Mult-VAE, stacked DAE): the network reads a user's
 * L2-normalised interaction row (sparse, through spLinear) and outputs logits over all items, trained with the
 * multinomial likelihood on mini-batches of users (Liang et al., "Variational autoencoders for collaborative
 * filtering", WWW 2018). Scoring a history is the network's forward pass without noise (fold-in: a new user needs no
 * retraining); similar items are cosine similarities of the output layer's item columns; explanations remove one
 * history item at a time (occlusion).
 *
 * Seam for sequential "what to print next" models: such a model would subclass this (or BaseRecommender) and read
 * the order of a history from Interactions.times; scoreHistory's (items, weights) would then need an optional
 * order argument. Nothing here assumes a bag of items beyond `forward`.
 */
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { type CsrMatrix, csr } from '../nn/csr.js';
import { Linear } from '../nn/layers.js';
import { multinomialNll } from '../nn/losses.js';
import { add } from '../nn/ops/broadcast.js';
import { spLinear } from '../nn/ops/matmul.js';
import { scale, tanh } from '../nn/ops/unary.js';
import { Adam } from '../nn/optim.js';
import { noGrad, type Tensor } from '../nn/tensor.js';
import type { TensorMap } from './artifact.js';
import { assertFinite, BaseRecommender, type FitContext, type IndexEvidence, type Params } from './base.js';
import type { Interactions } from './interactions.js';

export const AE_DEFAULTS = {
  /** Width of the hidden layers (600 in Liang et al.). */
  hidden: 600,
  /** Width of the bottleneck (200 in Liang et al.). */
  latent: 200,
  /** Training epochs (passes over the users). */
  epochs: 70,
  batchSize: 500,
  lr: 1e-3,
  /** Dropout probability on the normalised input row (the denoising noise). */
  dropout: 0.5,
  /** L2 weight decay added to the gradient by Adam. */
  weightDecay: 0,
};
export type AeParams = typeof AE_DEFAULTS & Params;

/**
 * The rows `users` of m as a CSR batch, each row L2-normalised, entries dropped with probability p (survivors scaled
 * by 1/(1 − p), inverted dropout) when p > 0. Returns the noisy input and the raw target rows.
 */
export function userBatch(
  m: CsrMatrix,
  users: ArrayLike<number>,
  p = 0,
  rng?: Rng,
): { input: CsrMatrix; target: CsrMatrix } {
  const b = users.length;
  const indptr = new Int32Array(b + 1);
  const tIndptr = new Int32Array(b + 1);
  let nnz = 0;
  for (let r = 0; r < b; r++) nnz += m.indptr[users[r]! + 1]! - m.indptr[users[r]!]!;
  const idx = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  const tIdx = new Int32Array(nnz);
  const tVal = new Float32Array(nnz);
  const keep = 1 / (1 - p);
  let q = 0;
  let t = 0;
  for (let r = 0; r < b; r++) {
    const u = users[r]!;
    const lo = m.indptr[u]!;
    const hi = m.indptr[u + 1]!;
    let ss = 0;
    for (let k = lo; k < hi; k++) ss += m.values[k]! * m.values[k]!;
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let k = lo; k < hi; k++) {
      tIdx[t] = m.indices[k]!;
      tVal[t++] = m.values[k]!;
      if (p > 0 && rng!.next() < p) continue;
      idx[q] = m.indices[k]!;
      val[q++] = m.values[k]! * inv * (p > 0 ? keep : 1);
    }
    indptr[r + 1] = q;
    tIndptr[r + 1] = t;
  }
  return {
    input: { rows: b, cols: m.cols, indptr, indices: idx.subarray(0, q), values: val.subarray(0, q) },
    target: { rows: b, cols: m.cols, indptr: tIndptr, indices: tIdx, values: tVal },
  };
}

/** One history as a 1-row CSR matrix. */
export function historyRow(items: Int32Array, weights: Float32Array, nItems: number): CsrMatrix {
  return csr(1, nItems, Int32Array.of(0, items.length), Int32Array.from(items), Float32Array.from(weights));
}

/** Users with at least one interaction (the training rows). */
export function activeUsers(m: CsrMatrix): number[] {
  const out: number[] = [];
  for (let u = 0; u < m.rows; u++) if (m.indptr[u + 1]! > m.indptr[u]!) out.push(u);
  return out;
}

export abstract class AutoencoderRecommender<P extends AeParams> extends BaseRecommender<P> {
  /** Item-column cosine cache for similarItems (reset on fit / load). */
  private itemNorms: Float32Array | undefined;

  // The Mult-DAE/VAE shape shared by every model here: items → hidden → code → hidden → items.
  protected enc!: Linear;
  protected encOut!: Linear;
  protected dec!: Linear;
  protected decOut!: Linear;

  /** Width of the encoder's output: the code (`latent`); the VAE's is 2 × latent (μ and log σ²). */
  protected codeWidth(): number {
    return this.params.latent;
  }

  /** Builds fresh layers for nItems inputs/outputs from rng. */
  protected build(nItems: number, rng: Rng): void {
    const { hidden, latent } = this.params;
    this.enc = new Linear(nItems, hidden, rng);
    this.encOut = new Linear(hidden, this.codeWidth(), rng);
    this.dec = new Linear(latent, hidden, rng);
    this.decOut = new Linear(hidden, nItems, rng);
  }

  /** The layers by stable name (saved in this order). */
  protected layers(): [string, Linear][] {
    return [
      ['enc', this.enc],
      ['encOut', this.encOut],
      ['dec', this.dec],
      ['decOut', this.decOut],
    ];
  }

  /** The first layer (items → hidden, read sparse) and the output layer (hidden → items; its columns are items). */
  protected inputLayer(): Linear {
    return this.enc;
  }

  protected outputLayer(): Linear {
    return this.decOut;
  }

  /**
   * Everything between: the first layer's activations [rows, hidden] → the last hidden layer [rows, hidden], plus an
   * extra loss term when training (the VAE's KL). Deterministic tanh bottleneck here.
   */
  protected middle(h1: Tensor, _training: boolean, _rng?: Rng): { h: Tensor; extra?: Tensor } {
    return { h: tanh(this.dec.forward(tanh(this.encOut.forward(h1)))) };
  }

  /** tanh of the first layer on a sparse batch of normalised rows. */
  protected level1(input: CsrMatrix): Tensor {
    const l = this.inputLayer();
    return tanh(spLinear(input, l.weight, l.bias));
  }

  /**
   * Logits [rows, nItems] for a batch whose input rows are already normalised (and noised when training); `extra`
   * is an additional loss term (the VAE's KL) or undefined.
   */
  forward(input: CsrMatrix, training: boolean, rng?: Rng): { logits: Tensor; extra?: Tensor } {
    const { h, extra } = this.middle(this.level1(input), training, rng);
    const logits = this.outputLayer().forward(h);
    return extra ? { logits, extra } : { logits };
  }

  protected override validate(): void {
    const p = this.params;
    const bad = (what: string): never => {
      throw new LayerwiseError('invalid_argument', `${this.kind}: ${what}`);
    };
    for (const k of ['hidden', 'latent', 'batchSize'] as const)
      if (!(Number.isInteger(p[k]) && p[k] > 0)) bad(`${k} must be a positive integer, got ${p[k]}`);
    if (!(Number.isInteger(p.epochs) && p.epochs >= 0)) bad(`epochs must be an integer ≥ 0, got ${p.epochs}`);
    if (!(p.lr > 0)) bad(`lr must be > 0, got ${p.lr}`);
    if (!(p.dropout >= 0 && p.dropout < 1)) bad(`dropout must be in [0, 1), got ${p.dropout}`);
    if (!(p.weightDecay >= 0)) bad(`weightDecay must be ≥ 0, got ${p.weightDecay}`);
  }

  protected parameters(): Tensor[] {
    return this.layers().flatMap(([, l]) => l.parameters());
  }

  /**
   * Runs `epochs` epochs of mini-batch Adam on the multinomial likelihood over shuffled users; `extraWeight(step)`
   * scales the forward's extra loss (KL annealing). `params` and `forward` replace the whole network's (layer-wise
   * pre-training trains a part). Returns the mean loss per epoch.
   */
  protected async trainEndToEnd(
    data: Interactions,
    ctx: FitContext,
    rng: Rng,
    epochs: number,
    o: {
      extraWeight?: (step: number) => number;
      params?: Tensor[];
      forward?: (input: CsrMatrix, rng: Rng) => { logits: Tensor; extra?: Tensor };
    } = {},
  ): Promise<number[]> {
    const extraWeight = o.extraWeight ?? (() => 1);
    const forward = o.forward ?? ((x: CsrMatrix, r: Rng) => this.forward(x, true, r));
    const m = data.matrix;
    const users = activeUsers(m);
    const opt = new Adam(o.params ?? this.parameters(), { lr: this.params.lr, weightDecay: this.params.weightDecay });
    const losses: number[] = [];
    let step = 0;
    for (let e = 0; e < epochs; e++) {
      const t0 = performance.now();
      rng.shuffle(users);
      let total = 0;
      for (let s = 0; s < users.length; s += this.params.batchSize) {
        const batch = users.slice(s, s + this.params.batchSize);
        const { input, target } = userBatch(m, batch, this.params.dropout, rng);
        opt.zeroGrad();
        const { logits, extra } = forward(input, rng);
        let loss = multinomialNll(logits, target);
        if (extra) loss = add(loss, scale(extra, extraWeight(step)));
        loss.backward();
        opt.step();
        step++;
        total += loss.item() * batch.length;
      }
      const mean = total / Math.max(1, users.length);
      if (!Number.isFinite(mean))
        throw new LayerwiseError('fit_failed', `${this.kind}: loss became non-finite at epoch ${e + 1}; lower lr`);
      losses.push(mean);
      ctx.onEpoch(e + 1, { loss: mean, seconds: (performance.now() - t0) / 1000 });
      await ctx.pause();
    }
    for (const p of this.parameters()) assertFinite(this.kind, p.name ?? 'weight', p.data);
    this.itemNorms = undefined;
    return losses;
  }

  /** Logits of every item for a history (no noise). */
  private logitsOf(items: Int32Array, weights: Float32Array): Float32Array {
    const n = this.data.nItems;
    const { input } = userBatch(historyRow(items, weights, n), [0]);
    return noGrad(() => this.forward(input, false).logits.data);
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void {
    out.set(this.logitsOf(items, weights));
  }

  /** Logits of every training user at once, [nUsers × nItems] row-major (batch inference). */
  scoreAllUsers(): Float32Array {
    const m = this.data.matrix;
    const all = Array.from({ length: m.rows }, (_, u) => u);
    const { input } = userBatch(m, all);
    return noGrad(() => this.forward(input, false).logits.data);
  }

  protected similarScores(item: number, out: Float32Array): void {
    const w = this.outputLayer().weight;
    const h = w.shape[0]!;
    const n = w.shape[1]!;
    if (!this.itemNorms) {
      const norms = new Float32Array(n);
      for (let k = 0; k < h; k++) for (let j = 0; j < n; j++) norms[j] += w.data[k * n + j]! ** 2;
      for (let j = 0; j < n; j++) norms[j] = Math.sqrt(norms[j]!) || 1;
      this.itemNorms = norms;
    }
    const acc = new Float64Array(n);
    for (let k = 0; k < h; k++) {
      const a = w.data[k * n + item]!;
      if (a === 0) continue;
      for (let j = 0; j < n; j++) acc[j]! += a * w.data[k * n + j]!;
    }
    const ni = this.itemNorms[item]!;
    for (let j = 0; j < n; j++) out[j] = acc[j]! / (ni * this.itemNorms[j]!);
  }

  /** Last hidden activations of the history (row 0) and of each leave-one-out history (row h + 1). */
  private occlusionHidden(items: Int32Array, weights: Float32Array): Tensor {
    const n = items.length;
    const indptr = new Int32Array(n + 2);
    const idx: number[] = [...items];
    const val: number[] = [...weights];
    indptr[1] = n;
    for (let h = 0; h < n; h++) {
      for (let k = 0; k < n; k++) {
        if (k === h) continue;
        idx.push(items[k]!);
        val.push(weights[k]!);
      }
      indptr[h + 2] = idx.length;
    }
    const rows = {
      rows: n + 1,
      cols: this.data.nItems,
      indptr,
      indices: Int32Array.from(idx),
      values: Float32Array.from(val),
    };
    const { input } = userBatch(
      rows,
      Int32Array.from({ length: n + 1 }, (_, r) => r),
    );
    return noGrad(() => this.middle(this.level1(input), false).h);
  }

  /**
   * Occlusion: each history item's weight is how much the target's logit drops without it. One batch: the full
   * history and every leave-one-out history, through the network up to the last hidden layer, then the target's
   * output column only.
   */
  protected explainIndex(items: Int32Array, weights: Float32Array, target: number): IndexEvidence {
    // the hidden layer of the full and every leave-one-out history does not depend on the target: once per history
    const hid = this.memoForHistory(items, weights, 0, () => this.occlusionHidden(items, weights));
    const out = this.outputLayer();
    const d = hid.shape[1]!;
    const nOut = out.weight.shape[1]!;
    const logit = (r: number): number => {
      let s = out.bias ? out.bias.data[target]! : 0;
      for (let k = 0; k < d; k++) s += hid.data[r * d + k]! * out.weight.data[k * nOut + target]!;
      return s;
    };
    const score = logit(0);
    const parts = Array.from(items, (item, h) => ({ index: item, weight: score - logit(h + 1) }));
    return { basis: 'items', score, parts };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    const tensors: TensorMap = {};
    for (const [name, l] of this.layers()) for (const [pn, t] of l.namedParameters(name)) tensors[pn] = t.data;
    return { extra: {}, tensors };
  }

  protected importState(_e: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    this.build(data.nItems, new Rng(0));
    for (const [name, l] of this.layers()) {
      for (const [pn, p] of l.namedParameters(name)) {
        const v = t[pn];
        if (!(v instanceof Float32Array) || v.length !== p.size)
          throw new LayerwiseError('invalid_argument', `${this.kind}: artifact tensor '${pn}' is missing or mis-sized`);
        p.data.set(v);
      }
    }
    this.itemNorms = undefined;
  }
}
