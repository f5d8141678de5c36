/**
 * Random-walk item–item models. P3alpha: three-step walks user → item → user → item with transition probabilities
 * raised to α (Cooper, Lee, Radecki & Kaminski, "Random walks in recommender systems: exact computation and
 * simulations", WWW 2014). RP3beta: the same, each target item divided by its popularity^β (Paudel, Christoffel,
 * Newell & Bernstein, "Updatable, accurate, diverse, and scalable recommendations for interactive applications",
 * TiiS 2017). Both keep the top-k items per row, as in Ferrari Dacrema et al. (RecSys 2019).
 */
import { LayerwiseError } from '../core/errors.js';
import type { FitContext } from './base.js';
import type { Interactions } from './interactions.js';
import { ItemSimilarityModel, itemItemTopK, l1NormalizeRows } from './item-similarity.js';
import { type Csr, mapValues } from './sparse.js';

export const P3ALPHA_DEFAULTS = {
  /** Exponent on the transition probabilities (1 = plain walk). */
  alpha: 1,
  /** Items kept per row. */
  neighbours: 100,
  /** Scale each row to sum 1 after pruning. */
  normalize: false,
};

export const RP3BETA_DEFAULTS = { ...P3ALPHA_DEFAULTS, alpha: 0.8, beta: 0.3, neighbours: 200 };

function rowSums(m: Csr): Float64Array {
  const s = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) s[i]! += m.values[p]!;
  return s;
}

/** W = (P_iu)^α (P_ui)^α, optionally divided by pop_j^β, top-k per row. */
async function walkSimilarity(
  data: Interactions,
  alpha: number,
  beta: number,
  k: number,
  normalize: boolean,
  ctx: FitContext,
): Promise<Csr> {
  const ui = data.matrix;
  const iu = data.byItem();
  const us = rowSums(ui);
  const is = rowSums(iu);
  const pui = mapValues(ui, (v, u) => (v / us[u]!) ** alpha);
  const piu = mapValues(iu, (v, i) => (v / is[i]!) ** alpha);
  const deg = new Float64Array(data.nItems);
  for (const j of ui.indices) deg[j]!++;
  const sim = await itemItemTopK(piu, pui, k, (_i, j, raw) => (beta === 0 ? raw : raw / deg[j]! ** beta), ctx);
  return normalize ? l1NormalizeRows(sim) : sim;
}

function checkWalkParams(kind: string, alpha: number, neighbours: number): void {
  if (!(alpha > 0)) throw new LayerwiseError('invalid_argument', `${kind}: alpha must be > 0, got ${alpha}`);
  if (!(neighbours >= 1 && Number.isInteger(neighbours))) {
    throw new LayerwiseError('invalid_argument', `${kind}: neighbours must be an integer ≥ 1, got ${neighbours}`);
  }
}

export class P3Alpha extends ItemSimilarityModel<typeof P3ALPHA_DEFAULTS> {
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('p3alpha', P3ALPHA_DEFAULTS, params);
  }
  protected override validate(): void {
    checkWalkParams(this.kind, this.params.alpha, this.params.neighbours);
  }
  protected buildSimilarity(data: Interactions, ctx: FitContext): Promise<Csr> {
    const p = this.params;
    return walkSimilarity(data, p.alpha, 0, p.neighbours, p.normalize, ctx);
  }
}

export class Rp3Beta extends ItemSimilarityModel<typeof RP3BETA_DEFAULTS> {
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('rp3beta', RP3BETA_DEFAULTS, params);
  }
  protected override validate(): void {
    checkWalkParams(this.kind, this.params.alpha, this.params.neighbours);
    if (!(this.params.beta >= 0)) throw new LayerwiseError('invalid_argument', 'rp3beta: beta must be ≥ 0');
  }
  protected buildSimilarity(data: Interactions, ctx: FitContext): Promise<Csr> {
    const p = this.params;
    return walkSimilarity(data, p.alpha, p.beta, p.neighbours, p.normalize, ctx);
  }
}
