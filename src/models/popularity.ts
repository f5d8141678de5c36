/**
 * Popularity: items ranked by how many users interacted with them (all time, or within a recent window ending at
 * the latest event). The non-personalised baseline of every study, e.g. Cremonesi, Koren & Turrin, "Performance of
 * recommender algorithms on top-N recommendation tasks", RecSys 2010.
 */
import { LayerwiseError } from '../core/errors.js';
import type { TensorMap } from './artifact.js';
import { BaseRecommender, type FitContext, type IndexEvidence } from './base.js';
import type { Interactions } from './interactions.js';

export const POPULARITY_DEFAULTS = {
  /** Only events in the last `windowDays` days before the latest event count (0 = all time). Needs event times. */
  windowDays: 0,
  /** 'users': number of users; 'weight': sum of interaction weights. */
  by: 'users',
};

export class Popularity extends BaseRecommender<typeof POPULARITY_DEFAULTS> {
  private pop: Float32Array = new Float32Array(0);

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('pop', POPULARITY_DEFAULTS, params);
  }

  protected override validate(): void {
    if (!(this.params.windowDays >= 0)) throw new LayerwiseError('invalid_argument', 'pop: windowDays must be ≥ 0');
    if (this.params.by !== 'users' && this.params.by !== 'weight') {
      throw new LayerwiseError('invalid_argument', `pop: by must be 'users' or 'weight', got '${this.params.by}'`);
    }
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    const m = data.matrix;
    const pop = new Float32Array(data.nItems);
    let since = Number.NEGATIVE_INFINITY;
    if (this.params.windowDays > 0) {
      if (!data.times) ctx.warnings.push('pop: windowDays ignored: the events have no timestamps');
      else {
        let latest = Number.NEGATIVE_INFINITY;
        for (const t of data.times) if (t > latest) latest = t;
        since = latest - this.params.windowDays * 86400;
      }
    }
    for (let p = 0; p < m.indices.length; p++) {
      if (data.times && data.times[p]! < since) continue;
      pop[m.indices[p]!]! += this.params.by === 'users' ? 1 : m.values[p]!;
    }
    this.pop = pop;
    return {};
  }

  protected override readonly servesWithoutMatrix: boolean = true;

  scoreHistory(_items: Int32Array, _weights: Float32Array, out: Float32Array): void {
    out.set(this.pop);
  }

  protected similarScores(_item: number, out: Float32Array): void {
    out.set(this.pop);
  }

  protected explainIndex(_items: Int32Array, _w: Float32Array, target: number): IndexEvidence {
    return { basis: 'popularity', score: this.pop[target]!, parts: [] };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    return { extra: {}, tensors: { pop: this.pop } };
  }

  protected importState(_extra: Record<string, unknown>, tensors: TensorMap): void {
    this.pop = tensors.pop as Float32Array;
  }
}
