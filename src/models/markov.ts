/**
 * First-order Markov chain: the next item depends on the last one only. Transition counts a→b from consecutive
 * events of every training sequence, smoothed towards popularity (Dirichlet / additive smoothing with a popularity
 * prior): P(b | a) = (n(a→b) + α·pop(b)) / (n(a→·) + α). The classic sequential baseline (Rendle, Freudenthaler &
 * Schmidt-Thieme, "Factorizing personalized Markov chains for next-basket recommendation", WWW 2010, without the
 * factorisation); an empty history gets popularity.
 */
import { LayerwiseError } from '../core/errors.js';
import type { TensorMap } from './artifact.js';
import type { FitContext, IndexEvidence } from './base.js';
import type { Interactions } from './interactions.js';
import { allSequences, SequentialModel } from './sequential.js';
import { type Csr, csrFromTriplets, getEntry } from './sparse.js';

export const MARKOV_DEFAULTS = {
  /** Smoothing mass α given to the popularity prior (0 = raw transition frequencies). */
  alpha: 1,
  /** Also count a→b when b follows a within this many steps (1 = strictly consecutive), weighted 1/step. */
  window: 1,
};

export class MarkovChain extends SequentialModel<typeof MARKOV_DEFAULTS> {
  private trans: Csr = csrFromTriplets(0, 0, [], [], []);
  private outTotal = new Float32Array(0);
  private pop = new Float32Array(0);

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('markov', MARKOV_DEFAULTS, params);
  }

  protected override validate(): void {
    if (!(this.params.alpha >= 0)) throw new LayerwiseError('invalid_argument', 'markov: alpha must be ≥ 0');
    if (!(Number.isInteger(this.params.window) && this.params.window >= 1))
      throw new LayerwiseError('invalid_argument', 'markov: window must be an integer ≥ 1');
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (const seq of allSequences(data)) {
      for (let i = 1; i < seq.length; i++) {
        for (let s = 1; s <= this.params.window && i - s >= 0; s++) {
          r.push(seq[i - s]!);
          c.push(seq[i]!);
          v.push(1 / s);
        }
      }
    }
    ctx.checkAbort();
    this.setState(csrFromTriplets(data.nItems, data.nItems, r, c, v, 'sum'), data);
    return {};
  }

  private setState(trans: Csr, data: Interactions): void {
    this.trans = trans;
    this.outTotal = new Float32Array(data.nItems);
    for (let a = 0; a < data.nItems; a++)
      for (let p = trans.indptr[a]!; p < trans.indptr[a + 1]!; p++) this.outTotal[a]! += trans.values[p]!;
    this.pop = new Float32Array(data.nItems);
    for (const i of data.matrix.indices) this.pop[i]!++;
    const total = data.matrix.indices.length || 1;
    for (let i = 0; i < this.pop.length; i++) this.pop[i] = this.pop[i]! / total;
  }

  scoreSequence(sequence: Int32Array, out: Float32Array): void {
    const alpha = this.params.alpha;
    if (sequence.length === 0) {
      out.set(this.pop);
      return;
    }
    const a = sequence[sequence.length - 1]!;
    const denom = this.outTotal[a]! + alpha;
    if (denom === 0) {
      out.set(this.pop); // an item never followed by anything, no smoothing: fall back to popularity
      return;
    }
    for (let b = 0; b < out.length; b++) out[b] = (alpha * this.pop[b]!) / denom;
    const t = this.trans;
    for (let p = t.indptr[a]!; p < t.indptr[a + 1]!; p++) out[t.indices[p]!]! += t.values[p]! / denom;
  }

  protected similarScores(item: number, out: Float32Array): void {
    const t = this.trans;
    for (let p = t.indptr[item]!; p < t.indptr[item + 1]!; p++) out[t.indices[p]!] = t.values[p]!;
  }

  protected explainSequence(sequence: Int32Array, target: number): IndexEvidence {
    if (sequence.length === 0) return { basis: 'popularity', score: this.pop[target]!, parts: [] };
    const a = sequence[sequence.length - 1]!;
    const denom = this.outTotal[a]! + this.params.alpha;
    const score = denom > 0 ? (getEntry(this.trans, a, target) + this.params.alpha * this.pop[target]!) / denom : 0;
    return { basis: 'items', score, parts: [{ index: a, weight: score }] };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    const t = this.trans;
    return { extra: {}, tensors: { transIndptr: t.indptr, transIndices: t.indices, transValues: t.values } };
  }

  protected importState(_extra: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    const trans: Csr = {
      rows: data.nItems,
      cols: data.nItems,
      indptr: t.transIndptr as Int32Array,
      indices: t.transIndices as Int32Array,
      values: t.transValues as Float32Array,
    };
    this.setState(trans, data);
  }
}
