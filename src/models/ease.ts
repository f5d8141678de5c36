/**
 * EASE: embarrassingly shallow autoencoder, a closed-form item–item linear model with a zero diagonal:
 * B = I − P · diag(1/diag(P)), P = (XᵀX + λI)⁻¹. Steck, "Embarrassingly shallow autoencoders for sparse data",
 * WWW 2019. The inverse goes through nn/linalg spdInverse (OpenBLAS when the native backend is built).
 */
import { LayerwiseError } from '../core/errors.js';
import { topK } from '../core/math.js';
import { spdInverse } from '../nn/linalg.js';
import type { TensorMap } from './artifact.js';
import { BaseRecommender, type FitContext, type IndexEvidence } from './base.js';
import type { Interactions } from './interactions.js';

export const EASE_DEFAULTS = {
  /** L2 regularisation λ on the diagonal of the Gram matrix. */
  lambda: 500,
  /** Model only the most popular items (0 = all); the others score −∞. Bounds memory at n² floats. */
  maxItems: 0,
};

/**
 * Largest item count EASE fits: the Gram matrix and its inverse are n² float64 each (16,000 items: 2 × 2 GB) plus
 * n² float32 weights. Above it the fit stops up front with `unsupported` instead of exhausting memory.
 */
export const EASE_ITEM_LIMIT = 16_000;

export class Ease extends BaseRecommender<typeof EASE_DEFAULTS> {
  /** Local index → item index. */
  private cols: Int32Array = new Int32Array(0);
  /** Item index → local index or −1. */
  private local: Int32Array = new Int32Array(0);
  /** n × n weights, row-major: row i = what item i contributes to each item. */
  private b: Float32Array = new Float32Array(0);

  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('ease', EASE_DEFAULTS, params);
  }

  protected override validate(): void {
    if (!(this.params.lambda > 0))
      throw new LayerwiseError('invalid_argument', `ease: lambda must be > 0, got ${this.params.lambda}`);
    if (!(this.params.maxItems >= 0)) throw new LayerwiseError('invalid_argument', 'ease: maxItems must be ≥ 0');
  }

  private setCols(cols: Int32Array, nItems: number): void {
    this.cols = cols;
    this.local = new Int32Array(nItems).fill(-1);
    cols.forEach((c, l) => {
      this.local[c] = l;
    });
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    const m = data.matrix;
    const deg = new Float64Array(data.nItems);
    for (const j of m.indices) deg[j]!++;
    let cols = Int32Array.from({ length: data.nItems }, (_, i) => i).filter((i) => deg[i]! > 0);
    const max = this.params.maxItems;
    if (max > 0 && cols.length > max) {
      cols = Int32Array.from(topK(deg, max)).sort();
      ctx.warnings.push(`ease: modelling the ${max} most popular of ${data.nItems} items (maxItems)`);
    }
    if (cols.length > EASE_ITEM_LIMIT) {
      const gb = (cols.length ** 2 * 20) / 1e9;
      throw new LayerwiseError(
        'unsupported',
        `ease: ${cols.length} items would need ~${gb.toFixed(0)} GB (n² Gram, inverse and weights); its limit is ` +
          `${EASE_ITEM_LIMIT} items. Model the most popular ones with maxItems (--params '{"ease":{"maxItems":` +
          `${EASE_ITEM_LIMIT}}}') or use ials, itemknn or rp3beta, which scale with the interactions`,
        { details: { items: cols.length, limit: EASE_ITEM_LIMIT } },
      );
    }
    this.setCols(cols, data.nItems);
    const n = cols.length;
    const g = new Float64Array(n * n);
    const li: number[] = [];
    const lv: number[] = [];
    for (let u = 0; u < m.rows; u++) {
      li.length = 0;
      lv.length = 0;
      for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
        const l = this.local[m.indices[p]!]!;
        if (l >= 0) {
          li.push(l);
          lv.push(m.values[p]!);
        }
      }
      for (let a = 0; a < li.length; a++) {
        const row = li[a]! * n;
        const va = lv[a]!;
        for (let c = 0; c < li.length; c++) g[row + li[c]!]! += va * lv[c]!;
      }
      if (u % 512 === 511) await ctx.pause();
    }
    for (let i = 0; i < n; i++) g[i * n + i]! += this.params.lambda;
    await ctx.pause();
    const p = spdInverse(g, n);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -p[i * n + j]! / p[j * n + j]!;
    }
    this.b = b;
    return {};
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void {
    const n = this.cols.length;
    const acc = new Float64Array(n);
    for (let h = 0; h < items.length; h++) {
      const l = this.local[items[h]!]!;
      if (l < 0) continue;
      const w = weights[h]!;
      const row = l * n;
      for (let j = 0; j < n; j++) acc[j]! += w * this.b[row + j]!;
    }
    out.fill(Number.NEGATIVE_INFINITY);
    for (let j = 0; j < n; j++) out[this.cols[j]!] = acc[j]!;
  }

  protected similarScores(item: number, out: Float32Array): void {
    out.fill(Number.NEGATIVE_INFINITY);
    const l = this.local[item]!;
    if (l < 0) return;
    const n = this.cols.length;
    for (let j = 0; j < n; j++) out[this.cols[j]!] = this.b[l * n + j]!;
  }

  protected explainIndex(items: Int32Array, weights: Float32Array, target: number): IndexEvidence {
    const t = this.local[target]!;
    if (t < 0) return { basis: 'items', score: Number.NEGATIVE_INFINITY, parts: [] };
    const n = this.cols.length;
    const parts: { index: number; weight: number }[] = [];
    let score = 0;
    for (let h = 0; h < items.length; h++) {
      const l = this.local[items[h]!]!;
      if (l < 0) continue;
      const w = weights[h]! * this.b[l * n + t]!;
      parts.push({ index: items[h]!, weight: w });
      score += w;
    }
    return { basis: 'items', score, parts };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    return { extra: {}, tensors: { cols: this.cols, b: this.b } };
  }

  protected importState(_e: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    this.setCols(t.cols as Int32Array, data.nItems);
    this.b = t.b as Float32Array;
  }
}
