/**
 * Two-tower recommender: an item tower that reads an item's content (FitOptions.itemFeatures: shape embedding,
 * tags, printability, creator, remix lineage) and a learned id embedding, and a user tower that reads the user's
 * history (the weighted mean of per-item history rows, then an MLP), both ending in unit vectors; score =
 * dot(user, item). Trained with a logQ-corrected sampled softmax over in-batch and uniform negatives
 * (two-tower-train.ts; Yi et al., RecSys 2019; Yang et al., WWW 2020) with the id part dropped for a share of the
 * items (DropoutNet, Volkovs et al., NeurIPS 2017), so an item without events — or an upload after training
 * (`addItems`) — is scored from content alone, in the same softmax and on the same scale as the others; a new user
 * is a history, folded in by one pass of the user tower (no solve, no retrain). Explanations split a score over
 * the history by each item's share of the history times its similarity to the target in the item space (the tower
 * is not linear, so this is an attribution, not an exact decomposition). Without itemFeatures the item tower reads
 * ids only and items without events share one vector.
 */
import { LayerwiseError } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import { Rng } from '../core/rng.js';
import { gemm } from '../nn/linalg.js';
import { noGrad } from '../nn/tensor.js';
import type { TensorMap } from './artifact.js';
import { assertFinite, BaseRecommender, type FitContext, type IndexEvidence } from './base.js';
import { assertFeatures, featureIndex } from './content.js';
import { featureMatrix } from './hybrid.js';
import { Interactions } from './interactions.js';
import type { FeatureBlock, ItemFeatures } from './recommender.js';
import { TwoTowerNet } from './two-tower-net.js';
import { eventCounts, rowsOf, trainTowers } from './two-tower-train.js';

export const TWO_TOWER_DEFAULTS = {
  /** Width of the user and item vectors. */
  dim: 64,
  /** Hidden width of both towers. */
  hidden: 128,
  epochs: 8,
  /** Events per step (each one's item is an in-batch negative for the others). */
  batchSize: 512,
  /** Uniformly drawn negatives per step, shared by the batch. */
  negatives: 512,
  learningRate: 2e-3,
  /** Softmax temperature of the cosine scores. */
  temperature: 0.2,
  /** Share of a step's items whose id embedding is dropped (they are seen through content only). */
  idDropout: 0.3,
  /** Share of the other history items hidden from the user tower in each step (denoising). */
  historyDropout: 0.2,
  /** Events of one user that share a step (held out together from one pass of the user tower over the rest). */
  eventsPerUser: 8,
  /** Subtract log Q (the sampling rate) from each candidate's logit. */
  logQ: true,
};

type TwoTowerParams = typeof TWO_TOWER_DEFAULTS;

export class TwoTower extends BaseRecommender<TwoTowerParams> {
  /** Loss per epoch of the last fit. */
  losses: number[] = [];
  private net: TwoTowerNet | undefined;
  /** Item vectors [nItems × dim] (unit norm) and history rows [nItems × hidden]. */
  private vectors: Float32Array = new Float32Array(0);
  private rows: Float32Array = new Float32Array(0);
  /** 1 for items with training events (their id part is used). */
  private warm = new Uint8Array(0);
  private contentDim = 0;
  private blocks: FeatureBlock[] = [];

  protected override readonly servesWithoutMatrix: boolean = true;

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('twotower', TWO_TOWER_DEFAULTS, params);
  }

  /** True when the model reads content (fitted with itemFeatures, or loaded from such an artifact). */
  get usesContent(): boolean {
    return this.contentDim > 0;
  }

  get featureBlocks(): readonly FeatureBlock[] {
    return this.blocks;
  }

  protected override validate(): void {
    const p = this.params;
    const bad = (what: string): never => {
      throw new LayerwiseError('invalid_argument', `twotower: ${what}`);
    };
    for (const k of ['dim', 'hidden', 'batchSize', 'eventsPerUser'] as const)
      if (!(Number.isInteger(p[k]) && p[k] >= 1)) bad(`${k} must be an integer ≥ 1, got ${p[k]}`);
    for (const k of ['epochs', 'negatives'] as const)
      if (!(Number.isInteger(p[k]) && p[k] >= 0)) bad(`${k} must be an integer ≥ 0, got ${p[k]}`);
    if (!(p.learningRate > 0)) bad(`learningRate must be > 0, got ${p.learningRate}`);
    if (!(p.temperature > 0)) bad(`temperature must be > 0, got ${p.temperature}`);
    for (const k of ['idDropout', 'historyDropout'] as const)
      if (!(p[k] >= 0 && p[k] < 1)) bad(`${k} must be in [0, 1), got ${p[k]}`);
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs: number; losses: number[] }> {
    const p = this.params;
    const f = ctx.itemFeatures;
    const dC = f ? f.dim : 0;
    const content = f ? featureMatrix(data, f) : undefined;
    if (!f) ctx.warnings.push('twotower: no itemFeatures given; the item tower reads ids only (no cold start)');
    const rng = new Rng(ctx.seed);
    const net = new TwoTowerNet({ contentDim: dC, nItems: data.nItems, hidden: p.hidden, dim: p.dim }, rng);
    this.losses = await trainTowers(net, data, content, p, rng, ctx);
    const counts = eventCounts(data);
    this.warm = Uint8Array.from(counts, (n) => (n > 0 ? 1 : 0));
    this.contentDim = dC;
    this.blocks = f ? [...(f.blocks ?? [{ name: 'content', offset: 0, dim: dC }])] : [];
    this.net = net;
    const all = Int32Array.from({ length: data.nItems }, (_, i) => i);
    this.vectors = new Float32Array(data.nItems * p.dim);
    this.rows = new Float32Array(data.nItems * p.hidden);
    this.embedItems(all, content, all, true);
    assertFinite(this.kind, 'item vectors', this.vectors);
    return { epochs: p.epochs, losses: this.losses };
  }

  /**
   * Item vectors and history rows of `items` (model indices) from their content rows (`content` indexed by `at`),
   * in chunks; with `ids`, warm items use their id embeddings (only right after a fit, while the tables exist).
   */
  private embedItems(items: Int32Array, content: Float32Array | undefined, at: Int32Array, ids: boolean): void {
    const net = this.net!;
    const { dim, hidden } = this.params;
    const d = this.contentDim;
    for (let s = 0; s < items.length; s += 1024) {
      const chunk = items.subarray(s, s + 1024);
      const x = content && d > 0 ? rowsOf(content, d, at.subarray(s, s + 1024)) : undefined;
      const keep = Uint8Array.from(chunk, (i) => (ids ? this.warm[i]! : 0));
      const lookup = ids ? chunk : new Int32Array(chunk.length);
      const v = noGrad(() => net.items(lookup, x, keep).data);
      const h = net.historyRows(lookup, x, false);
      for (let r = 0; r < chunk.length; r++) {
        const i = chunk[r]!;
        this.vectors.set(v.subarray(r * dim, (r + 1) * dim), i * dim);
        if (keep[r]) for (let k = 0; k < hidden; k++) h[r * hidden + k] += net.userIds.data[i * hidden + k]!;
        this.rows.set(h.subarray(r * hidden, (r + 1) * hidden), i * hidden);
      }
    }
  }

  /** The user vector of a history: the user tower over the weighted mean of its history rows. */
  userVector(items: Int32Array, weights: Float32Array): Float32Array {
    return this.memoForHistory(items, weights, 0, () => {
      const h = this.params.hidden;
      const pre = new Float32Array(h);
      let sum = 0;
      for (let t = 0; t < items.length; t++) sum += weights[t]!;
      if (sum > 0)
        for (let t = 0; t < items.length; t++) {
          const w = weights[t]! / sum;
          const o = items[t]! * h;
          for (let k = 0; k < h; k++) pre[k] = pre[k]! + w * this.rows[o + k]!;
        }
      return this.net!.usersFromHidden(pre, 1);
    });
  }

  /** The folded-in user vector (serving's maximum-inner-product retrieval reads it with itemFactors). */
  foldIn(items: Int32Array, weights: Float32Array): Float64Array {
    return Float64Array.from(this.userVector(items, weights));
  }

  /** The item side for an inner-product index: unit item vectors, no biases (not copies). */
  itemFactors(): { factors: number; values: Float32Array; bias: Float32Array } {
    return { factors: this.params.dim, values: this.vectors, bias: new Float32Array(0) };
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void {
    const z = this.userVector(items, weights);
    gemm(false, false, this.data.nItems, 1, this.params.dim, 1, this.vectors, z, 0, out);
  }

  private dot(i: number, j: number): number {
    const d = this.params.dim;
    let s = 0;
    for (let k = 0; k < d; k++) s += this.vectors[i * d + k]! * this.vectors[j * d + k]!;
    return s;
  }

  protected similarScores(item: number, out: Float32Array): void {
    const d = this.params.dim;
    gemm(
      false,
      false,
      this.data.nItems,
      1,
      d,
      1,
      this.vectors,
      this.vectors.subarray(item * d, (item + 1) * d),
      0,
      out,
    );
  }

  protected explainIndex(items: Int32Array, weights: Float32Array, target: number): IndexEvidence {
    const z = this.userVector(items, weights);
    const d = this.params.dim;
    let score = 0;
    for (let k = 0; k < d; k++) score += z[k]! * this.vectors[target * d + k]!;
    let sum = 0;
    for (const w of weights) sum += w;
    const parts = Array.from(items, (i, t) => ({
      index: i,
      weight: sum > 0 ? (weights[t]! / sum) * this.dot(i, target) : 0,
    }));
    return { basis: 'items', score, parts };
  }

  /**
   * Scores items that arrived after training by their content, without a retrain: unknown ids are appended, and
   * known items without events get their content vector again (their content may have changed). Items with events
   * keep their vectors. Needs a model fitted with itemFeatures; rows must have its dim.
   */
  addItems(features: ItemFeatures): { added: number; updated: number } {
    if (!this.usesContent)
      throw new LayerwiseError('invalid_argument', 'twotower: addItems needs a model fitted with itemFeatures');
    assertFeatures(features);
    if (features.dim !== this.contentDim)
      throw new LayerwiseError(
        'invalid_argument',
        `twotower: item features have ${features.dim} columns, the model was trained on ${this.contentDim}`,
      );
    const data = this.data;
    const fresh = features.ids.filter((id) => !data.items.has(id));
    const stale = features.ids.filter((id) => {
      const i = data.items.index(id);
      return i !== undefined && this.warm[i] === 0;
    });
    if (fresh.length + stale.length === 0) return { added: 0, updated: 0 };
    if (fresh.length > 0) {
      const ids = [...data.items.toArray(), ...fresh];
      const n = ids.length;
      this.replaceData(new Interactions(data.users, IdMap.from(ids), { ...data.matrix, cols: n }, data.times));
      this.vectors = grow(this.vectors, n * this.params.dim);
      this.rows = grow(this.rows, n * this.params.hidden);
      this.warm = Uint8Array.from({ length: n }, (_, i) => this.warm[i] ?? 0);
    }
    const rows = featureIndex(features);
    const targets = [...fresh, ...stale];
    const items = Int32Array.from(targets, (id) => this.data.items.index(id)!);
    const at = Int32Array.from(targets, (id) => rows.get(id)!);
    this.embedItems(items, features.values, at, false);
    this.forgetHistoryMemo();
    return { added: fresh.length, updated: stale.length };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    const tensors: TensorMap = { vectors: this.vectors, rows: this.rows, warm: Int32Array.from(this.warm) };
    for (const [n, t] of this.net!.servingNamed()) tensors[`net.${n}`] = t.data;
    return { extra: { contentDim: this.contentDim, blocks: this.blocks }, tensors };
  }

  protected importState(extra: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    const p = this.params;
    this.contentDim = (extra.contentDim as number | undefined) ?? 0;
    this.blocks = (extra.blocks as FeatureBlock[] | undefined) ?? [];
    const sizes = { contentDim: this.contentDim, nItems: data.nItems, hidden: p.hidden, dim: p.dim };
    const net = new TwoTowerNet(sizes, new Rng(0), false);
    const take = (name: string, size: number, type: 'f32' | 'i32' = 'f32'): Float32Array | Int32Array => {
      const v = t[name];
      const ok = type === 'f32' ? v instanceof Float32Array : v instanceof Int32Array;
      if (!ok || v.length !== size)
        throw new LayerwiseError('invalid_argument', `twotower: artifact tensor '${name}' is missing or mis-sized`);
      return v as Float32Array | Int32Array;
    };
    for (const [n, param] of net.servingNamed()) param.data.set(take(`net.${n}`, param.size));
    this.vectors = take('vectors', data.nItems * p.dim) as Float32Array;
    this.rows = take('rows', data.nItems * p.hidden) as Float32Array;
    this.warm = Uint8Array.from(take('warm', data.nItems, 'i32'));
    this.net = net;
    this.forgetHistoryMemo();
  }
}

function grow(a: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  out.set(a);
  return out;
}
