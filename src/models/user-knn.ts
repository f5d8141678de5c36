/**
 * UserKNN: a user's k most similar users (cosine with shrinkage over interaction weights) vote for their items.
 * Herlocker, Konstan, Borchers & Riedl, "An algorithmic framework for performing collaborative filtering", SIGIR
 * 1999; top-N form as in Ferrari Dacrema et al., RecSys 2019. Works directly on histories, so fold-in is exact.
 */
import { LayerwiseError } from '../core/errors.js';
import { topK } from '../core/math.js';
import type { TensorMap } from './artifact.js';
import { BaseRecommender, type IndexEvidence } from './base.js';
import type { Interactions } from './interactions.js';

export const USER_KNN_DEFAULTS = {
  /** Neighbour users that vote. */
  neighbours: 50,
  /** Shrinkage added to the cosine denominator. */
  shrink: 10,
};

export class UserKnn extends BaseRecommender<typeof USER_KNN_DEFAULTS> {
  private userNorm: Float64Array = new Float64Array(0);
  private itemNorm: Float64Array = new Float64Array(0);

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('userknn', USER_KNN_DEFAULTS, params);
  }

  protected override validate(): void {
    const p = this.params;
    if (!(p.neighbours >= 1 && Number.isInteger(p.neighbours)))
      throw new LayerwiseError('invalid_argument', 'userknn: neighbours must be an integer ≥ 1');
    if (!(p.shrink >= 0)) throw new LayerwiseError('invalid_argument', 'userknn: shrink must be ≥ 0');
  }

  protected async fitImpl(data: Interactions): Promise<{ epochs?: number }> {
    this.computeNorms(data);
    return {};
  }

  private computeNorms(data: Interactions): void {
    const m = data.matrix;
    this.userNorm = new Float64Array(data.nUsers);
    this.itemNorm = new Float64Array(data.nItems);
    for (let u = 0; u < m.rows; u++) {
      for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
        const v2 = m.values[p]! ** 2;
        this.userNorm[u]! += v2;
        this.itemNorm[m.indices[p]!]! += v2;
      }
    }
    this.userNorm = this.userNorm.map(Math.sqrt);
    this.itemNorm = this.itemNorm.map(Math.sqrt);
  }

  /** The k nearest users to a history (excluding `self`), with their similarities. */
  neighboursOf(items: Int32Array, weights: Float32Array, self = -1): { users: number[]; sims: Float64Array } {
    const data = this.data;
    const csc = data.byItem();
    const dot = new Float64Array(data.nUsers);
    let hn = 0;
    for (let h = 0; h < items.length; h++) {
      const i = items[h]!;
      const w = weights[h]!;
      hn += w * w;
      for (let p = csc.indptr[i]!; p < csc.indptr[i + 1]!; p++) dot[csc.indices[p]!]! += w * csc.values[p]!;
    }
    hn = Math.sqrt(hn);
    for (let v = 0; v < dot.length; v++) dot[v] = dot[v]! / (hn * this.userNorm[v]! + this.params.shrink);
    const users = topK(dot, this.params.neighbours, (v) => v === self || !(dot[v]! > 0));
    return { users, sims: dot };
  }

  private scoreFrom(items: Int32Array, weights: Float32Array, out: Float32Array, self: number): void {
    const m = this.data.matrix;
    const { users, sims } = this.neighboursOf(items, weights, self);
    out.fill(0);
    for (const v of users) {
      const s = sims[v]!;
      for (let p = m.indptr[v]!; p < m.indptr[v + 1]!; p++) out[m.indices[p]!]! += s * m.values[p]!;
    }
  }

  override scoreUser(u: number, out: Float32Array): void {
    this.scoreFrom(this.data.rowItems(u), this.data.rowWeights(u), out, u);
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void {
    this.scoreFrom(items, weights, out, -1);
  }

  /** Item–item cosine computed on the fly from the item's users. */
  protected similarScores(item: number, out: Float32Array): void {
    const data = this.data;
    const csc = data.byItem();
    const m = data.matrix;
    out.fill(0);
    for (let p = csc.indptr[item]!; p < csc.indptr[item + 1]!; p++) {
      const u = csc.indices[p]!;
      const a = csc.values[p]!;
      for (let q = m.indptr[u]!; q < m.indptr[u + 1]!; q++) out[m.indices[q]!]! += a * m.values[q]!;
    }
    for (let j = 0; j < out.length; j++)
      out[j] = out[j]! / (this.itemNorm[item]! * this.itemNorm[j]! + this.params.shrink);
  }

  protected explainIndex(items: Int32Array, weights: Float32Array, target: number, user?: number): IndexEvidence {
    const self = user ?? -1;
    const { users, sims } = this.memoForHistory(items, weights, self, () => this.neighboursOf(items, weights, self));
    const m = this.data.matrix;
    const parts: { index: number; weight: number }[] = [];
    let score = 0;
    for (const v of users) {
      for (let p = m.indptr[v]!; p < m.indptr[v + 1]!; p++) {
        if (m.indices[p] === target) {
          const w = sims[v]! * m.values[p]!;
          parts.push({ index: v, weight: w });
          score += w;
        }
      }
    }
    return { basis: 'users', score, parts };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    return { extra: {}, tensors: {} };
  }

  protected importState(_e: Record<string, unknown>, _t: TensorMap, data: Interactions): void {
    this.computeNorms(data);
  }
}
