/**
 * iALS: implicit-feedback matrix factorisation with confidence c_ui = 1 + α·r_ui, solved by alternating least
 * squares. Hu, Koren & Volinsky, "Collaborative filtering for implicit feedback datasets", ICDM 2008; each
 * row's system is solved approximately by a few warm-started conjugate-gradient steps (Takács, Pilászy & Tikk,
 * "Applications of the conjugate gradient method for implicit feedback collaborative filtering", RecSys 2011).
 */
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { backend } from '../nn/backend/index.js';
import { gemm } from '../nn/linalg.js';
import type { TensorMap } from './artifact.js';
import { assertFinite, type FitContext } from './base.js';
import type { Interactions } from './interactions.js';
import { MatrixFactorization } from './matrix-factorization.js';
import type { Csr } from './sparse.js';

export const IALS_DEFAULTS = {
  /** Defaults chosen on a validation split of ML-100K (stratified). */
  factors: 64,
  /** L2 regularisation λ of both factor matrices (scaled per row when regExponent > 0). */
  reg: 40,
  /** Confidence slope α in c = 1 + α·r. */
  alpha: 5,
  epochs: 10,
  /**
   * ν of frequency-scaled regularisation (Rendle et al., "Revisiting the performance of iALS on item recommendation
   * benchmarks", RecSys 2022): row r uses λ·(w_r / mean w)^ν with w_r = (columns) + α·Σ r. 0 = plain λ.
   */
  regExponent: 1,
  /** Conjugate-gradient steps per row and epoch. */
  cgSteps: 3,
  /** Standard deviation of the initial factors. */
  initStd: 0.01,
};

export class Ials<P extends typeof IALS_DEFAULTS = typeof IALS_DEFAULTS> extends MatrixFactorization<P> {
  /** `kind` and `defaults` let a model built on iALS factors (hybrid) reuse the fit. */
  constructor(params: Readonly<Record<string, unknown>> = {}, kind = 'ials', defaults: P = IALS_DEFAULTS as P) {
    super(kind, defaults, params);
  }

  protected override validate(): void {
    const p = this.params;
    for (const k of ['factors', 'epochs', 'cgSteps'] as const) {
      if (!(p[k] >= 1 && Number.isInteger(p[k])))
        throw new LayerwiseError('invalid_argument', `${this.kind}: ${k} must be an integer ≥ 1, got ${p[k]}`);
    }
    if (!(p.reg >= 0 && p.alpha >= 0))
      throw new LayerwiseError('invalid_argument', `${this.kind}: reg and alpha must be ≥ 0`);
  }

  /** Mean row weight of the user side at the last epoch (scales the fold-in regularisation when ν > 0). */
  private userMeanW = 1;

  protected foldInSettings(weights: Float32Array): { alpha: number; w0: number; reg: number } {
    const { alpha, reg, regExponent } = this.params;
    if (regExponent === 0) return { alpha, w0: 1, reg };
    let w = this.itemF.length / this.factors;
    for (const x of weights) w += alpha * x;
    return { alpha, w0: 1, reg: reg * (w / this.userMeanW) ** regExponent };
  }

  protected override exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    const s = super.exportState();
    return { extra: { ...s.extra, userMeanW: this.userMeanW }, tensors: s.tensors };
  }

  protected override importState(extra: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    super.importState(extra, t, data);
    this.userMeanW = (extra.userMeanW as number | undefined) ?? 1;
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    const p = this.params;
    const f = p.factors;
    const rng = new Rng(ctx.seed);
    this.factors = f;
    this.userF = Float32Array.from({ length: data.nUsers * f }, () => rng.normal(0, p.initStd));
    this.itemF = Float32Array.from({ length: data.nItems * f }, () => rng.normal(0, p.initStd));
    this.itemBias = new Float32Array(0);
    const ui = data.matrix;
    const iu = data.byItem();
    for (let e = 0; e < p.epochs; e++) {
      const t0 = performance.now();
      this.userMeanW = this.solveSide(ui, this.userF, this.itemF, data.nItems);
      await ctx.pause();
      this.solveSide(iu, this.itemF, this.userF, data.nUsers);
      this.factorsChanged();
      assertFinite(this.kind, 'factors', this.userF);
      ctx.onEpoch(e, { seconds: (performance.now() - t0) / 1000 });
      await ctx.pause();
    }
    assertFinite(this.kind, 'item factors', this.itemF);
    return { epochs: p.epochs };
  }

  /**
   * One half-step: every row x of `x` solves (YᵀY + Σ (c−1) y yᵀ + λI) x = Σ c y by warm-started CG — on every core
   * with the native backend (native/src/ials.c), else in TypeScript (src/nn/backend/js-ials.ts).
   */
  private solveSide(m: Csr, x: Float32Array, y: Float32Array, nY: number): number {
    const f = this.factors;
    const { alpha, reg, regExponent, cgSteps } = this.params;
    const rowW = new Float64Array(m.rows).fill(nY);
    let meanW = 0;
    for (let row = 0; row < m.rows; row++) {
      for (let q = m.indptr[row]!; q < m.indptr[row + 1]!; q++) rowW[row]! += alpha * m.values[q]!;
      meanW += rowW[row]! / m.rows;
    }
    const lam = new Float32Array(m.rows);
    for (let row = 0; row < m.rows; row++)
      lam[row] = regExponent === 0 ? reg : reg * (rowW[row]! / meanW) ** regExponent;
    const g32 = new Float32Array(f * f);
    gemmGram(y, nY, f, g32);
    backend().ialsCg(m.indptr, m.indices, m.values, x, y, g32, lam, m.rows, nY, f, alpha, cgSteps);
    return meanW;
  }
}

/** YᵀY of a row-major nY × f matrix into out (f × f). */
function gemmGram(y: Float32Array, nY: number, f: number, out: Float32Array): void {
  gemm(true, false, f, f, nY, 1, y, y, 0, out);
}
