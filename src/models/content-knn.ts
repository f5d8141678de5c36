/**
 * Content-only baseline: an item scores the cosine of its content (FitOptions.itemFeatures) with the weighted sum of
 * the user's history items' content — the classic content-based recommender (Pazzani & Billsus, "Content-based
 * recommendation systems", The Adaptive Web, 2007). It ignores who else printed what, so it is the yardstick a
 * content-aware collaborative model must beat on warm users, and the one it must match on cold items.
 */
import { LayerwiseError } from '../core/errors.js';
import type { TensorMap } from './artifact.js';
import { BaseRecommender, type FitContext, type IndexEvidence } from './base.js';
import { l2Normalise } from './content.js';
import { featureMatrix } from './hybrid.js';
import type { Interactions } from './interactions.js';

export const CONTENT_KNN_DEFAULTS = {
  /** History weights w enter as w^weightPower (0: every history item counts once). */
  weightPower: 0,
};

export class ContentKnn extends BaseRecommender<typeof CONTENT_KNN_DEFAULTS> {
  private content: Float32Array = new Float32Array(0);
  private dim = 1;

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('content', CONTENT_KNN_DEFAULTS, params);
  }

  protected override validate(): void {
    if (!(this.params.weightPower >= 0))
      throw new LayerwiseError('invalid_argument', 'content: weightPower must be ≥ 0');
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    if (!ctx.itemFeatures)
      throw new LayerwiseError('invalid_argument', 'content: needs itemFeatures (item content) to fit');
    this.dim = ctx.itemFeatures.dim;
    this.content = featureMatrix(data, ctx.itemFeatures);
    for (let i = 0; i < data.nItems; i++) l2Normalise(this.content, i * this.dim, (i + 1) * this.dim);
    return {};
  }

  private dot(a: number, b: number): number {
    const d = this.dim;
    let s = 0;
    for (let k = 0; k < d; k++) s += this.content[a * d + k]! * this.content[b * d + k]!;
    return s;
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void {
    const d = this.dim;
    const p = new Float64Array(d);
    items.forEach((i, h) => {
      const w = weights[h]! ** this.params.weightPower;
      for (let k = 0; k < d; k++) p[k]! += w * this.content[i * d + k]!;
    });
    for (let j = 0; j < out.length; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += p[k]! * this.content[j * d + k]!;
      out[j] = s;
    }
  }

  protected similarScores(item: number, out: Float32Array): void {
    for (let j = 0; j < out.length; j++) out[j] = this.dot(item, j);
  }

  protected explainIndex(items: Int32Array, weights: Float32Array, target: number): IndexEvidence {
    const parts = Array.from(items, (i, h) => ({
      index: i,
      weight: weights[h]! ** this.params.weightPower * this.dot(i, target),
    }));
    return { basis: 'items', score: parts.reduce((s, p) => s + p.weight, 0), parts };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    return { extra: { dim: this.dim }, tensors: { content: this.content } };
  }

  protected importState(extra: Record<string, unknown>, tensors: TensorMap): void {
    this.dim = extra.dim as number;
    this.content = tensors.content as Float32Array;
  }
}
