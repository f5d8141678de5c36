/**
 * Hybrid cold start: iALS plus an item tower that maps an item's content (FitOptions.itemFeatures: shape embedding,
 * tags, text, printability) into iALS's item-factor space, in the manner of DropoutNet (Volkovs, Yu & Poutanen,
 * "DropoutNet: addressing cold start in recommender systems", NeurIPS 2017): the tower reads [content, CF factor]
 * and is trained to output the item's iALS factor, with the CF part zeroed for a share `cfDropout` of the items in
 * each batch, so it also works with no CF part at all. An item's final factor blends the two by its event count n:
 *   v = w·v_CF + (1 − w)·tower(content, v_CF or 0),   w = n / (n + blendShrink),
 * so an item with no events uses the tower alone and one with many events is plain iALS. Users, fold-in,
 * explanations and similar items are iALS's over the blended factors. Without itemFeatures it is plain iALS.
 */
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Mlp } from '../nn/layers.js';
import { mse } from '../nn/losses.js';
import { Adam } from '../nn/optim.js';
import { noGrad, Tensor } from '../nn/tensor.js';
import type { FitContext } from './base.js';
import { IALS_DEFAULTS, Ials } from './ials.js';
import type { Interactions } from './interactions.js';
import type { ItemFeatures } from './recommender.js';

export const HYBRID_DEFAULTS = {
  ...IALS_DEFAULTS,
  /** Hidden width of the item tower. */
  towerHidden: 256,
  towerEpochs: 60,
  towerLr: 1e-3,
  /** Share of training items whose CF input is zeroed (DropoutNet). */
  cfDropout: 0.5,
  /** Items with at least this many events are tower training targets. */
  minEvents: 2,
  /** Event count at which CF and tower weigh equally in the blend. */
  blendShrink: 5,
};

/** Item content aligned to item indices: [nItems × dim], zeros where an item has no row. */
export function featureMatrix(data: Interactions, features: ItemFeatures): Float32Array {
  const out = new Float32Array(data.nItems * features.dim);
  for (let i = 0; i < data.nItems; i++) {
    const row = features.rows.get(data.items.id(i));
    if (!row) continue;
    if (row.length !== features.dim)
      throw new LayerwiseError(
        'invalid_argument',
        `itemFeatures: item '${data.items.id(i)}' has ${row.length} values, expected ${features.dim}`,
      );
    out.set(row, i * features.dim);
  }
  return out;
}

export class Hybrid extends Ials<typeof HYBRID_DEFAULTS> {
  /** Tower loss per epoch of the last fit (empty without item features). */
  towerLosses: number[] = [];

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super(params, 'hybrid', HYBRID_DEFAULTS);
  }

  protected override validate(): void {
    super.validate();
    const p = this.params;
    const bad = (what: string): never => {
      throw new LayerwiseError('invalid_argument', `hybrid: ${what}`);
    };
    if (!(Number.isInteger(p.towerHidden) && p.towerHidden > 0)) bad('towerHidden must be a positive integer');
    if (!(Number.isInteger(p.towerEpochs) && p.towerEpochs >= 0)) bad('towerEpochs must be an integer ≥ 0');
    if (!(p.towerLr > 0)) bad('towerLr must be > 0');
    if (!(p.cfDropout >= 0 && p.cfDropout <= 1)) bad('cfDropout must be in [0, 1]');
    if (!(p.minEvents >= 1)) bad('minEvents must be ≥ 1');
    if (!(p.blendShrink >= 0)) bad('blendShrink must be ≥ 0');
  }

  protected override async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    const r = await super.fitImpl(data, ctx);
    this.towerLosses = [];
    if (!ctx.itemFeatures) {
      ctx.warnings.push('hybrid: no itemFeatures given; items without events keep empty factors (plain iALS)');
      return r;
    }
    const content = featureMatrix(data, ctx.itemFeatures);
    const counts = new Float64Array(data.nItems);
    for (const j of data.matrix.indices) counts[j]!++;
    const tower = await this.trainTower(content, ctx.itemFeatures.dim, counts, ctx);
    this.blend(tower, content, ctx.itemFeatures.dim, counts);
    return r;
  }

  /** Tower inputs: [content, CF factor × keep] for the given items. */
  private inputs(content: Float32Array, d: number, items: ArrayLike<number>, keep: (i: number) => boolean): Tensor {
    const f = this.factors;
    const x = new Tensor(new Float32Array(items.length * (d + f)), [items.length, d + f]);
    for (let r = 0; r < items.length; r++) {
      const i = items[r]!;
      x.data.set(content.subarray(i * d, (i + 1) * d), r * (d + f));
      if (keep(i)) x.data.set(this.itemF.subarray(i * f, (i + 1) * f), r * (d + f) + d);
    }
    return x;
  }

  private async trainTower(content: Float32Array, d: number, counts: Float64Array, ctx: FitContext): Promise<Mlp> {
    const p = this.params;
    const f = this.factors;
    const rng = new Rng(ctx.seed + 1);
    const tower = new Mlp([d + f, p.towerHidden, f], rng, { activation: 'relu' });
    const opt = new Adam(tower.parameters(), { lr: p.towerLr });
    const items = Array.from({ length: counts.length }, (_, i) => i).filter((i) => counts[i]! >= p.minEvents);
    const batch = 256;
    for (let e = 0; e < p.towerEpochs; e++) {
      rng.shuffle(items);
      let total = 0;
      for (let s = 0; s < items.length; s += batch) {
        const b = items.slice(s, s + batch);
        const drop = new Set(b.filter(() => rng.next() < p.cfDropout));
        const x = this.inputs(content, d, b, (i) => !drop.has(i));
        const y = new Tensor(new Float32Array(b.length * f), [b.length, f]);
        b.forEach((i, r) => {
          y.data.set(this.itemF.subarray(i * f, (i + 1) * f), r * f);
        });
        opt.zeroGrad();
        const loss = mse(tower.forward(x), y);
        loss.backward();
        opt.step();
        total += loss.item() * b.length;
      }
      this.towerLosses.push(total / Math.max(1, items.length));
      ctx.onEpoch(e + 1, { loss: this.towerLosses.at(-1)!, seconds: 0 });
      await ctx.pause();
    }
    return tower;
  }

  /** v = w·v_CF + (1 − w)·tower(content, v_CF if any events else 0), w = n / (n + blendShrink). */
  private blend(tower: Mlp, content: Float32Array, d: number, counts: Float64Array): void {
    const f = this.factors;
    const all = Array.from({ length: counts.length }, (_, i) => i);
    const out = noGrad(() => tower.forward(this.inputs(content, d, all, (i) => counts[i]! > 0)).data);
    const k = this.params.blendShrink;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i]!;
      const w = n + k > 0 ? n / (n + k) : 1;
      for (let a = 0; a < f; a++) this.itemF[i * f + a] = w * this.itemF[i * f + a]! + (1 - w) * out[i * f + a]!;
    }
    this.factorsChanged();
  }
}
