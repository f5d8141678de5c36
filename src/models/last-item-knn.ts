/**
 * Item-kNN on the last item: the next items are the nearest neighbours of the latest event's item by cosine
 * similarity of their user columns (with shrinkage), a strong session-based baseline (Ludewig & Jannach, "Evaluation
 * of session-based recommendation algorithms", UMUAI 2018; Hidasi et al., ICLR 2016 "Item-KNN"). Ties (items with no
 * co-occurrence) are broken by popularity, scaled far below any similarity.
 */
import { LayerwiseError } from '../core/errors.js';
import type { TensorMap } from './artifact.js';
import type { FitContext, IndexEvidence } from './base.js';
import type { Interactions } from './interactions.js';
import { itemItemTopK } from './item-similarity.js';
import { SequentialModel } from './sequential.js';
import { type Csr, csrFromTriplets, getEntry } from './sparse.js';

export const LAST_ITEM_KNN_DEFAULTS = {
  /** Neighbours kept per item. */
  neighbours: 200,
  /** Shrinkage in the cosine denominator. */
  shrink: 10,
};

const POP_TIE_BREAK = 1e-6;

export class LastItemKnn extends SequentialModel<typeof LAST_ITEM_KNN_DEFAULTS> {
  private sim: Csr = csrFromTriplets(0, 0, [], [], []);
  private popScore = new Float32Array(0);

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('lastknn', LAST_ITEM_KNN_DEFAULTS, params);
  }

  protected override validate(): void {
    if (!(Number.isInteger(this.params.neighbours) && this.params.neighbours >= 1))
      throw new LayerwiseError('invalid_argument', 'lastknn: neighbours must be an integer ≥ 1');
    if (!(this.params.shrink >= 0)) throw new LayerwiseError('invalid_argument', 'lastknn: shrink must be ≥ 0');
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    const csc = data.byItem();
    const nrm = new Float64Array(data.nItems);
    for (let i = 0; i < csc.rows; i++) {
      let s = 0;
      for (let q = csc.indptr[i]!; q < csc.indptr[i + 1]!; q++) s += csc.values[q]! ** 2;
      nrm[i] = Math.sqrt(s);
    }
    const shrink = this.params.shrink;
    this.sim = await itemItemTopK(
      csc,
      data.matrix,
      this.params.neighbours,
      (i, j, d) => d / (nrm[i]! * nrm[j]! + shrink),
      ctx,
    );
    this.setPopularity(data);
    return {};
  }

  private setPopularity(data: Interactions): void {
    const pop = new Float32Array(data.nItems);
    for (const i of data.matrix.indices) pop[i]!++;
    let max = 1;
    for (const x of pop) max = Math.max(max, x);
    this.popScore = pop.map((x) => (POP_TIE_BREAK * x) / max);
  }

  scoreSequence(sequence: Int32Array, out: Float32Array): void {
    out.set(this.popScore);
    if (sequence.length === 0) return;
    const a = sequence[sequence.length - 1]!;
    const s = this.sim;
    for (let p = s.indptr[a]!; p < s.indptr[a + 1]!; p++) out[s.indices[p]!]! += s.values[p]!;
  }

  protected similarScores(item: number, out: Float32Array): void {
    const s = this.sim;
    for (let p = s.indptr[item]!; p < s.indptr[item + 1]!; p++) out[s.indices[p]!] = s.values[p]!;
  }

  protected explainSequence(sequence: Int32Array, target: number): IndexEvidence {
    if (sequence.length === 0) return { basis: 'popularity', score: this.popScore[target]!, parts: [] };
    const a = sequence[sequence.length - 1]!;
    const w = getEntry(this.sim, a, target);
    return { basis: 'items', score: w + this.popScore[target]!, parts: [{ index: a, weight: w }] };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    return {
      extra: {},
      tensors: { simIndptr: this.sim.indptr, simIndices: this.sim.indices, simValues: this.sim.values },
    };
  }

  protected importState(_extra: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    this.sim = {
      rows: data.nItems,
      cols: data.nItems,
      indptr: t.simIndptr as Int32Array,
      indices: t.simIndices as Int32Array,
      values: t.simValues as Float32Array,
    };
    this.setPopularity(data);
  }
}
