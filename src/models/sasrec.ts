/**
 * SASRec: self-attentive sequential recommendation (Kang & McAuley, ICDM 2018, arXiv:1808.09781), trained with the
 * full softmax cross-entropy over all items at every position, which Klenitskiy & Vasilev ("Turning dross into
 * gold loss: is BERT4Rec really better than SASRec?", RecSys 2023) show is what makes SASRec competitive. The
 * network is in sasrec-net.ts; this file holds training, scoring, fold-in and explanations.
 *
 * Training data: each user's time-ordered sequence, cut from its end into windows of `maxLen` inputs (every event
 * after the first is a target exactly once per epoch), left-padded to the longest window of their batch (positions
 * as if padded to maxLen), shuffled per epoch (seeded), Adam.
 * Fold-in of a new history is one forward pass over its last `maxLen` items: no retraining. Explanations occlude
 * each of the last `explainLast` events in one batched forward pass: "because you just printed X" is the event
 * whose removal lowers the item's score most.
 */
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import {
  Adam,
  BufferPool,
  crossEntropy,
  embedding,
  matmul,
  noGrad,
  type Tensor,
  tiedCrossEntropy,
} from '../nn/index.js';
import type { TensorMap } from './artifact.js';
import { assertFinite, type FitContext, type IndexEvidence } from './base.js';
import type { Interactions } from './interactions.js';
import { notFitted } from './options.js';
import { SasrecNet } from './sasrec-net.js';
import { allSequences, SequentialModel } from './sequential.js';

export const SASREC_DEFAULTS = {
  /** Width of item/position embeddings and of every layer. */
  dim: 64,
  /** Transformer blocks. */
  blocks: 2,
  /** Attention heads (dim must be divisible by it). */
  heads: 1,
  /** Events of history the model reads (longer histories keep their latest maxLen). */
  maxLen: 50,
  /** Dropout on embeddings, attention output and feed-forward layers. */
  dropout: 0.2,
  epochs: 30,
  /** Sequences (windows) per batch. */
  batchSize: 64,
  learningRate: 1e-3,
  /** L2 weight decay through Adam. */
  weightDecay: 0,
  /**
   * 0: full softmax over every item. N > 0: sampled softmax over the batch's own targets plus N items drawn
   * uniformly (shared by the batch; no correction), for large catalogues where the full softmax dominates an epoch.
   */
  negatives: 0,
  /** Latest events occluded one at a time to explain a score. */
  explainLast: 10,
};

type SasrecParams = typeof SASREC_DEFAULTS;

export class Sasrec extends SequentialModel<SasrecParams> {
  private net: SasrecNet | undefined;

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('sasrec', SASREC_DEFAULTS, params);
  }

  protected override validate(): void {
    const p = this.params;
    for (const k of ['dim', 'blocks', 'heads', 'maxLen', 'epochs', 'batchSize', 'explainLast', 'negatives'] as const)
      if (!(Number.isInteger(p[k]) && p[k] >= (['epochs', 'explainLast', 'negatives'].includes(k) ? 0 : 1)))
        throw new LayerwiseError('invalid_argument', `sasrec: ${k} must be a positive integer, got ${p[k]}`);
    if (p.dim % p.heads !== 0)
      throw new LayerwiseError('invalid_argument', `sasrec: dim ${p.dim} must be divisible by heads ${p.heads}`);
    if (!(p.dropout >= 0 && p.dropout < 1)) throw new LayerwiseError('invalid_argument', 'sasrec: dropout ∈ [0, 1)');
    if (!(p.learningRate > 0)) throw new LayerwiseError('invalid_argument', 'sasrec: learningRate must be > 0');
    if (!(p.weightDecay >= 0)) throw new LayerwiseError('invalid_argument', 'sasrec: weightDecay must be ≥ 0');
  }

  private makeNet(nItems: number, rng: Rng): SasrecNet {
    const p = this.params;
    return new SasrecNet(
      { nItems, dim: p.dim, blocks: p.blocks, heads: p.heads, maxLen: p.maxLen, dropout: p.dropout },
      rng,
    );
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs: number; losses: number[] }> {
    const p = this.params;
    const rng = new Rng(ctx.seed);
    const net = this.makeNet(data.nItems, rng);
    this.net = net;
    const windows = trainingWindows(allSequences(data), p.maxLen);
    if (windows.length === 0) ctx.warnings.push('sasrec: no user has two or more events; nothing to learn order from');
    const opt = new Adam(net.parameters(), { lr: p.learningRate, weightDecay: p.weightDecay });
    const losses: number[] = [];
    const pool = new BufferPool();
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      const t0 = performance.now();
      rng.shuffle(windows);
      let lossSum = 0;
      let targets = 0;
      for (let s = 0; s < windows.length; s += p.batchSize) {
        const batch = windows.slice(s, s + p.batchSize);
        const { tokens, rows, labels, length } = packBatch(batch, p.maxLen);
        // one step in the pool: its activations and their gradients reuse the previous step's buffers
        lossSum += pool.run(() => {
          opt.zeroGrad();
          const hidden = net.forward(tokens, batch.length, { training: true, rng, length });
          const states = embedding(hidden, rows);
          const loss =
            p.negatives > 0
              ? sampledLoss(net, states, labels, p.negatives, rng)
              : tiedCrossEntropy(states, net.items, labels);
          loss.backward();
          opt.step();
          return loss.item() * labels.length;
        });
        targets += labels.length;
        if ((s / p.batchSize) % 8 === 7) await ctx.pause();
      }
      assertFinite('sasrec', 'item embeddings', net.items.data);
      losses.push(targets > 0 ? lossSum / targets : 0);
      ctx.onEpoch(epoch + 1, { loss: losses[epoch]!, seconds: (performance.now() - t0) / 1000 });
      await ctx.pause();
    }
    return { epochs: p.epochs, losses };
  }

  private get fittedNet(): SasrecNet {
    if (!this.net) throw notFitted('sasrec');
    return this.net;
  }

  /** Final hidden state after each of `sequences` (one row per sequence). */
  private lastStates(sequences: readonly Int32Array[]): Tensor {
    const net = this.fittedNet;
    const l = this.params.maxLen;
    return noGrad(() => {
      const tokens = new Int32Array(sequences.length * l).fill(-1);
      sequences.forEach((seq, b) => {
        const tail = seq.subarray(Math.max(0, seq.length - l));
        tokens.set(tail, (b + 1) * l - tail.length);
      });
      const hidden = net.forward(tokens, sequences.length, { training: false });
      return embedding(
        hidden,
        sequences.map((_, b) => (b + 1) * l - 1),
      );
    });
  }

  scoreSequence(sequence: Int32Array, out: Float32Array): void {
    const net = this.fittedNet;
    if (sequence.length === 0) {
      out.fill(0); // no history: the model has nothing to condition on (the serving layer falls back to popularity)
      return;
    }
    out.set(noGrad(() => net.logits(this.lastStates([sequence]))).data);
  }

  protected similarScores(item: number, out: Float32Array): void {
    const e = this.fittedNet.items.data;
    const d = this.params.dim;
    const norm = (i: number): number => {
      let s = 0;
      for (let c = 0; c < d; c++) s += e[i * d + c]! ** 2;
      return Math.sqrt(s) || 1;
    };
    const ni = norm(item);
    for (let j = 0; j < out.length; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += e[item * d + c]! * e[j * d + c]!;
      out[j] = s / (ni * norm(j));
    }
  }

  /** Occlusion: the score drop of `target` when each of the last `explainLast` events is removed. */
  protected explainSequence(sequence: Int32Array, target: number): IndexEvidence {
    return this.explainNext(sequence, [target])[0]!;
  }

  /** Occlusion for several targets from one batched forward pass (the occluded sequences do not depend on them). */
  override explainNext(sequence: Int32Array, targets: ArrayLike<number>): IndexEvidence[] {
    if (sequence.length === 0)
      return Array.from(targets, () => ({ basis: 'popularity' as const, score: 0, parts: [] }));
    const m = Math.min(this.params.explainLast, sequence.length);
    const variants: Int32Array[] = [sequence];
    for (let j = sequence.length - m; j < sequence.length; j++) {
      const v = new Int32Array(sequence.length - 1);
      v.set(sequence.subarray(0, j));
      v.set(sequence.subarray(j + 1), j);
      variants.push(v);
    }
    const d = this.params.dim;
    const states = this.lastStates(variants).data;
    return Array.from(targets, (target) => {
      const e = this.fittedNet.items.data.subarray(target * d, (target + 1) * d);
      const score = (b: number): number => {
        let s = 0;
        for (let c = 0; c < d; c++) s += states[b * d + c]! * e[c]!;
        return s;
      };
      const base = score(0);
      const parts = variants.slice(1).map((v, i) => ({
        index: sequence[sequence.length - m + i]!,
        weight: v.length === 0 ? base : base - score(i + 1),
      }));
      return { basis: 'items' as const, score: base, parts };
    });
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    const tensors: TensorMap = {};
    for (const [name, t] of this.fittedNet.namedParameters()) tensors[`net.${name}`] = t.data;
    return { extra: {}, tensors };
  }

  protected importState(_extra: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    const net = this.makeNet(data.nItems, new Rng(0));
    for (const [name, p] of net.namedParameters()) {
      const src = t[`net.${name}`];
      if (!(src instanceof Float32Array) || src.length !== p.size)
        throw new LayerwiseError('parse_error', `sasrec artifact: tensor net.${name} is missing or has the wrong size`);
      p.data.set(src);
    }
    this.net = net;
  }
}

/**
 * Sampled softmax: cross-entropy over the batch's distinct targets plus `negatives` uniform items. The candidate
 * item vectors are gathered by an embedding lookup, so their gradient is a scatter-add into those rows only.
 */
function sampledLoss(net: SasrecNet, states: Tensor, labels: Int32Array, negatives: number, rng: Rng): Tensor {
  const n = net.shape.nItems;
  const slot = new Map<number, number>();
  const cands: number[] = [];
  const local = Int32Array.from(labels, (y) => {
    let s = slot.get(y);
    if (s === undefined) {
      s = cands.length;
      slot.set(y, s);
      cands.push(y);
    }
    return s;
  });
  for (let i = 0; i < negatives && cands.length < n; i++) {
    const j = rng.int(n);
    if (!slot.has(j)) {
      slot.set(j, cands.length);
      cands.push(j);
    }
  }
  return crossEntropy(matmul(states, embedding(net.items, cands), { transB: true }), local);
}

/** A training window: inputs seq[start..end) and targets seq[start+1..end]. */
interface Window {
  seq: Int32Array;
  start: number;
  end: number;
}

/** Every sequence cut from its end into windows of ≤ maxLen inputs; each event after the first is one target. */
export function trainingWindows(sequences: readonly Int32Array[], maxLen: number): Window[] {
  const out: Window[] = [];
  for (const seq of sequences) {
    for (let end = seq.length - 1; end > 0; end -= maxLen) out.push({ seq, start: Math.max(0, end - maxLen), end });
  }
  return out;
}

/**
 * Left-padded input tokens, the rows that have a target, and those targets — padded to the batch's longest window
 * (`length` ≤ maxLen), not to maxLen: short histories (most users of a young library) cost their length, not 50.
 */
function packBatch(
  batch: readonly Window[],
  maxLen: number,
): { tokens: Int32Array; rows: Int32Array; labels: Int32Array; length: number } {
  let l = 1;
  for (const w of batch) l = Math.max(l, w.end - w.start);
  l = Math.min(l, maxLen);
  const tokens = new Int32Array(batch.length * l).fill(-1);
  const rows: number[] = [];
  const labels: number[] = [];
  batch.forEach((w, b) => {
    const n = w.end - w.start;
    const off = (b + 1) * l - n;
    for (let i = 0; i < n; i++) {
      tokens[off + i] = w.seq[w.start + i]!;
      rows.push(off + i);
      labels.push(w.seq[w.start + i + 1]!);
    }
  });
  return { tokens, rows: Int32Array.from(rows), labels: Int32Array.from(labels), length: l };
}
