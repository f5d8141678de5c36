/**
 * The re-ranker: walks candidates in descending model score, drops those the filters reject, applies the
 * printability penalty (and the user's dislike and shape-taste multipliers), and stops as soon as no later candidate can enter the top k (penalties never raise a
 * score, so once the k-th best adjusted score is at least the next model score the answer is final). Diversity caps
 * are applied greedily in adjusted-score order. Cost is proportional to the candidates actually inspected.
 */
import type { ServerConfig } from '../config.js';
import type { Catalog, CatalogItem } from './catalog.js';
import { applyPenalty, type DiversityCap, type PrinterRule, printabilityPenalty } from './rules.js';

export interface Ranked {
  index: number;
  /** Adjusted score. */
  score: number;
  /** Printability penalty applied (1 = none). */
  penalty: number;
  /** Position in the candidate list it came from. */
  pos: number;
}

export interface RankInput {
  catalog: Catalog;
  /** Catalogue indices, best model score first. */
  candidates: ArrayLike<number>;
  /** Model scores aligned with `candidates`. */
  scores: ArrayLike<number>;
  count: number;
  k: number;
  filter: (item: CatalogItem) => boolean;
  printer: PrinterRule | undefined;
  recommend: ServerConfig['recommend'];
  makeCap: () => DiversityCap;
  /** Further multipliers ≤ 1 by catalogue index (the user's dislikes); never raise a score. */
  extraPenalty?: Map<number, number> | undefined;
  /** A multiplier ≤ 1 per item (candidates outside the user's shape taste); never raises a score. */
  itemPenalty?: ((item: CatalogItem) => number) | undefined;
}

export interface RankOutput {
  ranked: Ranked[];
  /** True when every candidate was inspected (a larger candidate set might give more or better results). */
  exhausted: boolean;
}

function insertSorted(pool: Ranked[], r: Ranked): void {
  let i = pool.length;
  pool.push(r);
  while (i > 0 && pool[i - 1]!.score < r.score) {
    pool[i] = pool[i - 1]!;
    i--;
  }
  pool[i] = r;
}

/** The first k of `pool` (sorted) that pass the caps. */
function admitted(pool: Ranked[], k: number, input: RankInput): Ranked[] {
  const cap = input.makeCap();
  if (!cap.active) return pool.slice(0, k);
  const out: Ranked[] = [];
  for (const r of pool) {
    if (out.length >= k) break;
    if (cap.admit(input.catalog.items[r.index]!)) out.push(r);
  }
  return out;
}

export function rankCandidates(input: RankInput): RankOutput {
  const { catalog, candidates, scores, count, k, filter, printer, recommend } = input;
  const capActive = input.makeCap().active;
  const pool: Ranked[] = [];
  for (let j = 0; j < count; j++) {
    const base = scores[j]!;
    if (pool.length >= k) {
      const kth = capActive ? admitted(pool, k, input) : pool;
      if (kth.length >= k && kth[k - 1]!.score >= base) return { ranked: admitted(pool, k, input), exhausted: false };
    }
    const item = catalog.items[candidates[j]!];
    if (item === undefined || !filter(item)) continue;
    const penalty =
      (printer ? printabilityPenalty(item, printer, recommend, null) : 1) *
      (input.extraPenalty?.get(item.index) ?? 1) *
      (input.itemPenalty?.(item) ?? 1);
    const score = applyPenalty(base, penalty);
    if (score === Number.NEGATIVE_INFINITY) continue;
    insertSorted(pool, { index: item.index, score, penalty, pos: j });
  }
  return { ranked: admitted(pool, k, input), exhausted: true };
}
