/**
 * The SASRec network (Kang & McAuley, "Self-attentive sequential recommendation", ICDM 2018) on src/nn: item
 * embeddings scaled by √d plus learned position embeddings, dropout, then `blocks` pre-norm transformer blocks —
 * causal multi-head self-attention with a key-padding mask and a position-wise feed-forward layer (GELU) — each
 * with residual connections, and a final layer norm. Scores of the next item are dot products with the same item
 * embeddings (tied output layer). Sequences are left-padded to `maxLen`; padding positions are zeroed after every
 * block and never attended to.
 *
 * bench/deep/sasrec_reference.py is the same network in PyTorch (same layer order, initialisation, masking).
 */
import { LayerwiseError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import {
  attention,
  dropout,
  dropoutRows,
  embeddingSum,
  gelu,
  Linear,
  layerNorm,
  type Module,
  matmul,
  parameter,
  residualDropout,
  Tensor,
} from '../nn/index.js';

export interface SasrecShape {
  nItems: number;
  dim: number;
  blocks: number;
  heads: number;
  maxLen: number;
  dropout: number;
}

class Norm {
  readonly gamma: Tensor;
  readonly beta: Tensor;
  constructor(d: number) {
    this.gamma = parameter(Tensor.ones([d]));
    this.beta = parameter(Tensor.zeros([d]));
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.gamma, this.beta, 1e-8);
  }
}

class Block {
  readonly ln1: Norm;
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly o: Linear;
  readonly ln2: Norm;
  readonly ff1: Linear;
  readonly ff2: Linear;
  constructor(d: number, rng: Rng) {
    this.ln1 = new Norm(d);
    this.q = new Linear(d, d, rng);
    this.k = new Linear(d, d, rng);
    this.v = new Linear(d, d, rng);
    this.o = new Linear(d, d, rng);
    this.ln2 = new Norm(d);
    this.ff1 = new Linear(d, d, rng);
    this.ff2 = new Linear(d, d, rng);
  }
  named(prefix: string): [string, Tensor][] {
    return [
      [`${prefix}.ln1.gamma`, this.ln1.gamma],
      [`${prefix}.ln1.beta`, this.ln1.beta],
      ...this.q.namedParameters(`${prefix}.q`),
      ...this.k.namedParameters(`${prefix}.k`),
      ...this.v.namedParameters(`${prefix}.v`),
      ...this.o.namedParameters(`${prefix}.o`),
      [`${prefix}.ln2.gamma`, this.ln2.gamma],
      [`${prefix}.ln2.beta`, this.ln2.beta],
      ...this.ff1.namedParameters(`${prefix}.ff1`),
      ...this.ff2.namedParameters(`${prefix}.ff2`),
    ];
  }
}

export interface ForwardContext {
  training: boolean;
  /** Positions per sequence in `tokens` (default maxLen): the last `length` of maxLen, left-padded. */
  length?: number;
  rng?: Rng;
  onProbs?: (block: number, probs: Float32Array) => void;
}

export class SasrecNet implements Module {
  readonly items: Tensor;
  readonly positions: Tensor;
  readonly blocks: Block[];
  readonly lnOut: Norm;

  constructor(
    readonly shape: SasrecShape,
    rng: Rng,
  ) {
    const d = shape.dim;
    // N(0, 1/d) item vectors: after the √d scaling the input has unit-variance entries, and the tied output
    // layer's initial logits are small
    this.items = parameter(Tensor.randn([shape.nItems, d], rng, 1 / Math.sqrt(d)));
    this.positions = parameter(Tensor.randn([shape.maxLen, d], rng, 1 / Math.sqrt(d)));
    this.blocks = Array.from({ length: shape.blocks }, () => new Block(d, rng));
    this.lnOut = new Norm(d);
  }

  namedParameters(prefix?: string): [string, Tensor][] {
    const p = prefix ? `${prefix}.` : '';
    return [
      [`${p}items`, this.items],
      [`${p}positions`, this.positions],
      ...this.blocks.flatMap((b, i) => b.named(`${p}block${i}`)),
      [`${p}lnOut.gamma`, this.lnOut.gamma],
      [`${p}lnOut.beta`, this.lnOut.beta],
    ];
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /**
   * Hidden states [batch·maxLen, dim] of left-padded sequences `tokens` [batch·maxLen] (item index, −1 = padding).
   * Row b·maxLen + t is the state after the event at position t of sequence b.
   */
  forward(tokens: Int32Array, batch: number, ctx: ForwardContext): Tensor {
    const { maxLen, dim: d, dropout: p, heads } = this.shape;
    // `length` < maxLen: the batch is cut to its longest sequence (left padding that no sequence reaches dropped);
    // position t of a row is position maxLen − length + t, as if padded to maxLen — the same scores, less work
    const l = ctx.length ?? maxLen;
    if (!(Number.isInteger(l) && l >= 1 && l <= maxLen && tokens.length === batch * l))
      throw new LayerwiseError('invalid_argument', `sasrec: ${tokens.length} tokens for ${batch} sequences of ${l}`);
    const rows = batch * l;
    const keyMask = new Uint8Array(rows);
    const ids = new Int32Array(rows);
    const pos = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const t = tokens[r]!;
      keyMask[r] = t >= 0 ? 1 : 0;
      ids[r] = Math.max(t, 0);
      pos[r] = maxLen - l + (r % l);
    }
    const drop = (x: Tensor): Tensor => (ctx.training && p > 0 && ctx.rng ? dropout(x, p, ctx.rng, true) : x);
    const train = ctx.training && p > 0;
    let x = dropoutRows(embeddingSum(this.items, ids, Math.sqrt(d), this.positions, pos), p, ctx.rng, train, keyMask);
    this.blocks.forEach((b, i) => {
      const h = b.ln1.forward(x);
      const a = attention(b.q.forward(h), b.k.forward(h), b.v.forward(h), {
        batch,
        length: l,
        heads,
        keyMask,
        ...(ctx.onProbs ? { onProbs: (probs: Float32Array) => ctx.onProbs!(i, probs) } : {}),
      });
      x = residualDropout(x, b.o.forward(a), p, ctx.rng, train);
      const f = b.ff2.forward(drop(gelu(b.ff1.forward(b.ln2.forward(x)))));
      x = residualDropout(x, f, p, ctx.rng, train, keyMask);
    });
    return this.lnOut.forward(x);
  }

  /** Next-item logits [rows, nItems] of hidden states [rows, dim] (tied item embeddings). */
  logits(hidden: Tensor): Tensor {
    return matmul(hidden, this.items, { transB: true });
  }
}
