/**
 * Hybrid cold start: iALS plus an item tower that maps an item's content (FitOptions.itemFeatures: shape embedding,
 * tags, text, printability, creator, remix lineage) into iALS's item-factor space, in the manner of DropoutNet
 * (Volkovs, Yu & Poutanen, "DropoutNet: addressing cold start in recommender systems", NeurIPS 2017): the tower reads
 * [content, CF factor] and is trained to output the item's iALS factor, with the CF part zeroed for a share
 * `cfDropout` of the items in each batch, so it also works with no CF part at all. An item's final factor blends the
 * two by its event count n:
 *   v = w·v_CF + (1 − w)·c·tower(content, v_CF or 0),   w = n / (n + blendShrink),
 * where c = 1 for items with events and, for items without any, the calibration c = coldScale·ρ: ρ is the ratio of
 * the mean norm of the iALS factors to the mean norm of the tower's content-only outputs on the same training items.
 * A regression onto the factors predicts their conditional mean, which is shrunken towards zero; without ρ a cold
 * item's scores sit below every established item's and it never reaches a top 10 among all items (measured in
 * bench/QUALITY.md, "Cold start"). Users, fold-in, explanations and similar items are iALS's over the blended factors.
 * The tower and the calibration are saved in the artifact, so `addItems` gives an item that arrives after training
 * (an upload) its factor from content at once. Without itemFeatures it is plain iALS.
 */
import { LayerwiseError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import { Rng } from '../core/rng.js';
import { Mlp } from '../nn/layers.js';
import { mse } from '../nn/losses.js';
import { Adam } from '../nn/optim.js';
import { noGrad, Tensor } from '../nn/tensor.js';
import type { TensorMap } from './artifact.js';
import type { FitContext } from './base.js';
import { assertFeatures, featureIndex } from './content.js';
import { IALS_DEFAULTS, Ials } from './ials.js';
import { Interactions } from './interactions.js';
import type { FeatureBlock, ItemFeatures } from './recommender.js';

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
  /** Multiplier of the norm calibration ρ of items without events (0: raw tower output, no calibration). */
  coldScale: 1,
};

/** Item content aligned to item indices: [nItems × dim], zeros where an item has no row. */
export function featureMatrix(data: Interactions, features: ItemFeatures): Float32Array {
  assertFeatures(features);
  const d = features.dim;
  const out = new Float32Array(data.nItems * d);
  features.ids.forEach((id, r) => {
    const i = data.items.index(id);
    if (i !== undefined) out.set(features.values.subarray(r * d, (r + 1) * d), i * d);
  });
  return out;
}

function eventCounts(data: Interactions): Float64Array {
  const counts = new Float64Array(data.nItems);
  for (const j of data.matrix.indices) counts[j]!++;
  return counts;
}

export class Hybrid extends Ials<typeof HYBRID_DEFAULTS> {
  /** Tower loss per epoch of the last fit (empty without item features). */
  towerLosses: number[] = [];
  private tower: Mlp | undefined;
  private contentDim = 0;
  /** The calibration ρ·coldScale applied to content-only factors. */
  private coldGain = 1;
  private blocks: FeatureBlock[] = [];

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super(params, 'hybrid', HYBRID_DEFAULTS);
  }

  /** With a content tower, `addItems` reads the items' event counts from the training matrix: it stays. */
  override releaseTrainingData(): boolean {
    return this.tower === undefined && super.releaseTrainingData();
  }

  /** The tower is only known once loaded: a serving load keeps everything (releaseTrainingData decides after). */
  protected override servingSkips(): string[] {
    return [];
  }

  /** True when the model has a content tower (fitted with itemFeatures, or loaded from such an artifact). */
  get usesContent(): boolean {
    return this.tower !== undefined;
  }

  /** The content blocks the tower reads (empty without content). */
  get featureBlocks(): readonly FeatureBlock[] {
    return this.blocks;
  }

  /** The calibration gain of content-only factors (1 when uncalibrated). */
  get coldCalibration(): number {
    return this.coldGain;
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
    if (!(p.coldScale >= 0)) bad('coldScale must be ≥ 0');
  }

  protected override async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    this.tower = undefined;
    this.contentDim = 0;
    this.coldGain = 1;
    this.blocks = [];
    const r = await super.fitImpl(data, ctx);
    this.towerLosses = [];
    if (!ctx.itemFeatures) {
      ctx.warnings.push('hybrid: no itemFeatures given; items without events keep empty factors (plain iALS)');
      return r;
    }
    const d = ctx.itemFeatures.dim;
    const content = featureMatrix(data, ctx.itemFeatures);
    const counts = eventCounts(data);
    this.contentDim = d;
    this.blocks = [...(ctx.itemFeatures.blocks ?? [{ name: 'content', offset: 0, dim: d }])];
    this.tower = await this.trainTower(content, d, counts, ctx);
    this.coldGain = this.params.coldScale > 0 ? this.params.coldScale * this.normRatio(content, counts) : 1;
    this.blend(content, counts);
    return r;
  }

  /** Tower inputs: [content, CF factor × keep] for the given items. */
  private inputs(content: Float32Array, items: ArrayLike<number>, keep: (i: number) => boolean): Tensor {
    const d = this.contentDim;
    const f = this.factors;
    const x = new Tensor(new Float32Array(items.length * (d + f)), [items.length, d + f]);
    for (let r = 0; r < items.length; r++) {
      const i = items[r]!;
      x.data.set(content.subarray(i * d, (i + 1) * d), r * (d + f));
      if (keep(i)) x.data.set(this.itemF.subarray(i * f, (i + 1) * f), r * (d + f) + d);
    }
    return x;
  }

  private targets(counts: Float64Array): number[] {
    return Array.from({ length: counts.length }, (_, i) => i).filter((i) => counts[i]! >= this.params.minEvents);
  }

  private async trainTower(content: Float32Array, d: number, counts: Float64Array, ctx: FitContext): Promise<Mlp> {
    const p = this.params;
    const f = this.factors;
    const rng = new Rng(ctx.seed + 1);
    const tower = new Mlp([d + f, p.towerHidden, f], rng, { activation: 'relu' });
    const opt = new Adam(tower.parameters(), { lr: p.towerLr });
    const items = this.targets(counts);
    const batch = 256;
    for (let e = 0; e < p.towerEpochs; e++) {
      const t0 = performance.now();
      rng.shuffle(items);
      let total = 0;
      for (let s = 0; s < items.length; s += batch) {
        const b = items.slice(s, s + batch);
        const drop = new Set(b.filter(() => rng.next() < p.cfDropout));
        const x = this.inputs(content, b, (i) => !drop.has(i));
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
      ctx.onEpoch(e + 1, { loss: this.towerLosses.at(-1)!, seconds: (performance.now() - t0) / 1000 });
      await ctx.pause();
    }
    return tower;
  }

  /** ρ = mean ‖v_CF‖ / mean ‖tower(content, 0)‖ over the tower's training items (1 when undefined). */
  private normRatio(content: Float32Array, counts: Float64Array): number {
    const items = this.targets(counts);
    if (items.length === 0) return 1;
    const f = this.factors;
    const out = noGrad(() => this.tower!.forward(this.inputs(content, items, () => false)).data);
    let cf = 0;
    let tw = 0;
    items.forEach((i, r) => {
      let a = 0;
      let b = 0;
      for (let k = 0; k < f; k++) {
        a += this.itemF[i * f + k]! ** 2;
        b += out[r * f + k]! ** 2;
      }
      cf += Math.sqrt(a);
      tw += Math.sqrt(b);
    });
    return tw > 0 ? cf / tw : 1;
  }

  /** The factors of the given items from content: blend with CF by event count, calibrated when content-only. */
  private blendItems(content: Float32Array, items: ArrayLike<number>, counts: ArrayLike<number>): void {
    const f = this.factors;
    const out = noGrad(() => this.tower!.forward(this.inputs(content, items, (i) => counts[i]! > 0)).data);
    const k = this.params.blendShrink;
    for (let r = 0; r < items.length; r++) {
      const i = items[r]!;
      const n = counts[i]!;
      const w = n + k > 0 ? n / (n + k) : 1;
      const g = n > 0 ? 1 : this.coldGain;
      for (let a = 0; a < f; a++) this.itemF[i * f + a] = w * this.itemF[i * f + a]! + (1 - w) * g * out[r * f + a]!;
    }
    this.factorsChanged();
  }

  private blend(content: Float32Array, counts: Float64Array): void {
    this.blendItems(
      content,
      Array.from({ length: counts.length }, (_, i) => i),
      counts,
    );
  }

  /**
   * Scores items that arrived after training by their content, without a retrain: ids the model does not know are
   * appended (no events), and known items without events get their content factor again (their content may have
   * changed). Items with events keep their factors. Needs a model with a content tower; rows must have its dim.
   */
  addItems(features: ItemFeatures): { added: number; updated: number } {
    if (!this.tower)
      throw new LayerwiseError('invalid_argument', 'hybrid: addItems needs a model fitted with itemFeatures');
    assertFeatures(features);
    if (features.dim !== this.contentDim)
      throw new LayerwiseError(
        'invalid_argument',
        `hybrid: item features have ${features.dim} columns, the model was trained on ${this.contentDim}`,
      );
    const data = this.data;
    const counts = eventCounts(data);
    const fresh = features.ids.filter((id) => !data.items.has(id));
    const stale = features.ids.filter((id) => {
      const i = data.items.index(id);
      return i !== undefined && counts[i] === 0;
    });
    if (fresh.length + stale.length === 0) return { added: 0, updated: 0 };
    let next = data;
    if (fresh.length > 0) {
      const items = data.items.toArray();
      const ids = [...items, ...fresh];
      next = new Interactions(data.users, IdMap.from(ids), { ...data.matrix, cols: ids.length }, data.times);
      const grown = new Float32Array(ids.length * this.factors);
      grown.set(this.itemF);
      this.itemF = grown;
      this.replaceData(next);
    }
    const d = this.contentDim;
    const rows = featureIndex(features);
    const targets = [...fresh, ...stale].map((id) => next.items.index(id)!);
    const content = new Float32Array(next.nItems * d);
    for (const id of [...fresh, ...stale]) {
      const r = rows.get(id)!;
      content.set(features.values.subarray(r * d, (r + 1) * d), next.items.index(id)! * d);
    }
    for (const i of targets) this.itemF.fill(0, i * this.factors, (i + 1) * this.factors);
    this.blendItems(content, targets, new Float64Array(next.nItems));
    return { added: fresh.length, updated: stale.length };
  }

  protected override exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    const s = super.exportState();
    const tensors: TensorMap = { ...s.tensors };
    if (this.tower) for (const [n, t] of this.tower.namedParameters('tower')) tensors[n] = t.data;
    return {
      extra: { ...s.extra, contentDim: this.contentDim, coldGain: this.coldGain, blocks: this.blocks },
      tensors,
    };
  }

  protected override importState(extra: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    super.importState(extra, t, data);
    this.contentDim = (extra.contentDim as number | undefined) ?? 0;
    this.coldGain = (extra.coldGain as number | undefined) ?? 1;
    this.blocks = (extra.blocks as FeatureBlock[] | undefined) ?? [];
    this.tower = undefined;
    if (this.contentDim > 0) {
      const tower = new Mlp([this.contentDim + this.factors, this.params.towerHidden, this.factors], new Rng(0));
      for (const [n, p] of tower.namedParameters('tower')) {
        const v = t[n];
        if (!(v instanceof Float32Array) || v.length !== p.size)
          throw new LayerwiseError('invalid_argument', `hybrid: artifact tensor '${n}' is missing or mis-sized`);
        p.data.set(v);
      }
      this.tower = tower;
    }
  }
}
