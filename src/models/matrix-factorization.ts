/**
 * Shared half of the latent-factor models (iALS, BPR-MF): user and item factor matrices, scoring by dot products,
 * fold-in of an unseen history by a confidence-weighted ridge solve (Hu, Koren & Volinsky 2008, eq. 4 with the item
 * factors fixed), and explanations that split a folded-in score into one term per history item:
 * score_j = Σ_i c_i · y_jᵀ A⁻¹ y_i (Hu et al. 2008, section 5).
 */
import { cholesky, choleskySolve, dgemm, gemm, nativeSingleThread } from '../nn/linalg.js';
import type { TensorMap } from './artifact.js';
import { BaseRecommender, type IndexEvidence, type Params } from './base.js';
import type { Interactions } from './interactions.js';

export abstract class MatrixFactorization<P extends Params> extends BaseRecommender<P> {
  protected factors = 0;
  protected userF: Float32Array = new Float32Array(0);
  protected itemF: Float32Array = new Float32Array(0);
  /** Item biases (BPR) or empty. */
  protected itemBias: Float32Array = new Float32Array(0);
  private gramCache: Float64Array | undefined;
  private normCache: Float64Array | undefined;

  protected override readonly servesWithoutMatrix: boolean = true;

  protected override releaseUserState(): void {
    this.userF = new Float32Array(0);
  }

  protected override userStateTensors(): string[] {
    return ['userF'];
  }

  /** Fold-in settings: confidence c = 1 + alpha·w on history items, weight w0 of the all-items term, ridge reg. */
  protected abstract foldInSettings(weights: Float32Array): { alpha: number; w0: number; reg: number };

  /** VᵀV (f × f) in float64, cached until the factors change. */
  protected itemGram(): Float64Array {
    if (this.gramCache) return this.gramCache;
    const f = this.factors;
    const g32 = new Float32Array(f * f);
    gemm(true, false, f, f, this.itemF.length / f, 1, this.itemF, this.itemF, 0, g32);
    this.gramCache = Float64Array.from(g32);
    return this.gramCache;
  }

  /** Computes what every fold-in shares (VᵀV) now, so a server's first request does not pay for it. */
  warm(): void {
    this.itemGram();
  }

  protected factorsChanged(): void {
    this.gramCache = undefined;
    this.normCache = undefined;
    this.forgetHistoryMemo(); // a factored fold-in system depends on the factors (and their Gram matrix)
  }

  private dotItems(x: ArrayLike<number>, out: Float32Array): void {
    const f = this.factors;
    const v = this.itemF;
    const bias = this.itemBias.length > 0 ? this.itemBias : undefined;
    for (let j = 0; j < out.length; j++) {
      let s = bias ? bias[j]! : 0;
      const o = j * f;
      for (let k = 0; k < f; k++) s += x[k]! * v[o + k]!;
      out[j] = s;
    }
  }

  override scoreUser(u: number, out: Float32Array): void {
    const f = this.factors;
    this.dotItems(this.userF.subarray(u * f, (u + 1) * f), out);
  }

  /** scoreUser for a block of users: one GEMM (users × f)·(items × f)ᵀ through the compute backend, plus the bias. */
  scoreUsers(users: Int32Array, out: Float32Array): void {
    const f = this.factors;
    const n = this.itemF.length / f;
    const block = new Float32Array(users.length * f);
    users.forEach((u, r) => {
      block.set(this.userF.subarray(u * f, (u + 1) * f), r * f);
    });
    gemm(false, true, users.length, n, f, 1, block, this.itemF, 0, out);
    const bias = this.itemBias;
    if (bias.length > 0)
      for (let r = 0; r < users.length; r++) {
        const o = r * n;
        for (let j = 0; j < n; j++) out[o + j]! += bias[j]!;
      }
  }

  private scratch = new Float64Array(0);

  /** Scratch for the fold-in's gathered rows (serving is synchronous; reused instead of ~100 KB per new user). */
  private foldInScratch(n: number): Float64Array {
    if (this.scratch.length < 2 * n) this.scratch = new Float64Array(2 * n);
    return this.scratch;
  }

  /**
   * The fold-in system A = w0·VᵀV + Σ (c_i − w0) y_i y_iᵀ + reg·I (its lower triangle exact; the upper one too when one GEMM builds it, else that of
   * w0·VᵀV alone) and right-hand side b = Σ c_i y_i.
   */
  private foldInSystem(
    items: Int32Array,
    weights: Float32Array,
  ): { a: Float64Array; b: Float64Array; c: Float64Array } {
    const f = this.factors;
    const { alpha, w0, reg } = this.foldInSettings(weights);
    const a = new Float64Array(f * f);
    if (w0 > 0) {
      const g = this.itemGram();
      for (let t = 0; t < f * f; t++) a[t] = w0 * g[t]!;
    }
    for (let d = 0; d < f; d++) a[d * f + d]! += reg;
    const b = new Float64Array(f);
    const c = new Float64Array(items.length);
    const v = this.itemF;
    if (items.length >= 4 && nativeSingleThread()) {
      // one GEMM, A += (diag(c − w0)·Y)ᵀ·Y over the history's rows Y: 8× faster than the loop below from ~40 items
      const h = items.length;
      const scratch = this.foldInScratch(h * f);
      const ys = scratch.subarray(0, h * f);
      const yd = scratch.subarray(h * f, 2 * h * f);
      for (let i = 0; i < h; i++) {
        const o = items[i]! * f;
        const ci = 1 + alpha * weights[i]!;
        c[i] = ci;
        const extra = ci - w0;
        for (let r = 0; r < f; r++) {
          const y = v[o + r]!;
          b[r]! += ci * y;
          yd[i * f + r] = y;
          ys[i * f + r] = extra * y;
        }
      }
      dgemm(true, false, f, f, h, 1, ys, yd, 1, a);
      return { a, b, c };
    }
    for (let h = 0; h < items.length; h++) {
      const o = items[h]! * f;
      const ci = 1 + alpha * weights[h]!;
      c[h] = ci;
      const extra = ci - w0;
      // the lower triangle only: the Cholesky factorisation (TypeScript or LAPACK) reads nothing else
      for (let r = 0; r < f; r++) {
        const yr = v[o + r]!;
        b[r]! += ci * yr;
        const e = extra * yr;
        const row = r * f;
        for (let s = 0; s <= r; s++) a[row + s]! += e * v[o + s]!;
      }
    }
    return { a, b, c };
  }

  /**
   * The item side as serving needs it for an index (maximum-inner-product search): the item factor matrix (row-major,
   * nItems × factors) and the item biases (empty when none); score = x·v_j + b_j for a folded-in x. Not copies.
   */
  itemFactors(): { factors: number; values: Float32Array; bias: Float32Array } {
    return { factors: this.factors, values: this.itemF, bias: this.itemBias };
  }

  /**
   * The latent vector of a history (exact least-squares fold-in). Through the history's factored system, which the
   * explanations of the same history then reuse: serving scores a history and explains its page from one build and
   * one Cholesky factorisation of the f × f system instead of two (the same factor spdSolve would compute).
   */
  foldIn(items: Int32Array, weights: Float32Array): Float64Array {
    const { l, b } = this.factoredSystem(items, weights);
    const x = Float64Array.from(b);
    choleskySolve(l, this.factors, x);
    return x;
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void {
    this.dotItems(this.foldIn(items, weights), out);
  }

  /** Squared norms of the item factors, cached until the factors change. */
  private itemSquaredNorms(): Float64Array {
    if (this.normCache) return this.normCache;
    const f = this.factors;
    const n = this.itemF.length / f;
    const norms = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < f; k++) s += this.itemF[j * f + k]! ** 2;
      norms[j] = s;
    }
    this.normCache = norms;
    return norms;
  }

  protected similarScores(item: number, out: Float32Array): void {
    const f = this.factors;
    const x = this.itemF.subarray(item * f, (item + 1) * f);
    const norms = this.itemSquaredNorms();
    const nx = norms[item]!;
    for (let j = 0; j < out.length; j++) {
      let s = 0;
      for (let k = 0; k < f; k++) s += x[k]! * this.itemF[j * f + k]!;
      const nj = norms[j]!;
      out[j] = nx > 0 && nj > 0 ? s / Math.sqrt(nx * nj) : 0;
    }
  }

  /**
   * The Cholesky factor of the history's fold-in system, its right-hand side and confidences (factored once per
   * history, for its fold-in and its explanations).
   */
  private factoredSystem(
    items: Int32Array,
    weights: Float32Array,
  ): { l: Float64Array; b: Float64Array; c: Float64Array } {
    return this.memoForHistory(items, weights, 0, () => {
      const { a, b, c } = this.foldInSystem(items, weights);
      cholesky(a, this.factors);
      return { l: a, b, c };
    });
  }

  protected explainIndex(items: Int32Array, weights: Float32Array, target: number): IndexEvidence {
    const f = this.factors;
    const { l, c } = this.factoredSystem(items, weights);
    const v = Float64Array.from(this.itemF.subarray(target * f, (target + 1) * f));
    choleskySolve(l, f, v);
    const parts: { index: number; weight: number }[] = [];
    let score = this.itemBias.length > 0 ? this.itemBias[target]! : 0;
    for (let h = 0; h < items.length; h++) {
      const o = items[h]! * f;
      let s = 0;
      for (let k = 0; k < f; k++) s += v[k]! * this.itemF[o + k]!;
      parts.push({ index: items[h]!, weight: c[h]! * s });
      score += c[h]! * s;
    }
    return { basis: 'items', score, parts };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    return {
      extra: { factors: this.factors },
      tensors: { userF: this.userF, itemF: this.itemF, itemBias: this.itemBias },
    };
  }

  protected importState(extra: Record<string, unknown>, t: TensorMap, _data: Interactions): void {
    this.factors = extra.factors as number;
    this.userF = t.userF as Float32Array;
    this.itemF = t.itemF as Float32Array;
    this.itemBias = t.itemBias as Float32Array;
    this.factorsChanged();
  }
}
