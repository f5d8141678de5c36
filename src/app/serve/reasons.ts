/**
 * Explanations drawn from evidence, never invented: the model's own contributions (`explainHistoryIndices`: the history
 * items — or neighbour users — that produced the score), the nearest shape in the user's history (shape
 * embeddings), and popularity counts. Each reason carries the weight it came with. Model and shape evidence is
 * gathered as numbers (`ReasonEvidence`) so it can be cached compactly (reason-slots.ts) and turned into text per
 * response.
 */
import type { CatalogItem } from './catalog.js';
import type { ServedModel } from './served-model.js';
import type { ServingState } from './state.js';
import type { Reason } from './types.js';
import type { UserState } from './user-history.js';

/** Cosine above which a history item counts as "the same shape family". */
export const SHAPE_REASON_MIN = 0.9;

const VERB: Record<string, string> = {
  make: 'printed',
  download: 'downloaded',
  like: 'liked',
  collect: 'collected',
  rating: 'rated',
  view: 'looked at',
};

function quote(s: string): string {
  return `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;
}

/**
 * The evidence of one recommendation as numbers: `basis` 0 none, 1 history items, 2 neighbour users; `src` [history
 * source 1, history source 2, closest history shape] as catalogue indices (−1 none) — for basis 2, `src[0]` is the
 * number of neighbour users and `weight[0]` their summed weight; `weight` the matching weights.
 */
export interface ReasonEvidence {
  basis: number;
  src: Int32Array;
  weight: Float64Array;
}

/**
 * Fills `ev` (model part) from the served model's contributions for catalogue item `index` given the user's history
 * in model index space (`hist`, as `ServedModel.historyArrays` returns it): up to two positive history items, or the
 * positive neighbour users. Items the model never saw get no model reason rather than a guess.
 */
export function modelEvidence(
  served: ServedModel,
  hist: { items: Int32Array; weights: Float32Array },
  index: number,
  state: ServingState,
  ev: ReasonEvidence,
): void {
  ev.basis = 0;
  ev.src[0] = ev.src[1] = -1;
  ev.weight[0] = ev.weight[1] = 0;
  const m = served.modelIndex(index);
  if (m < 0 || hist.items.length === 0) return;
  const e = served.model.explainHistoryIndices(hist.items, hist.weights, m, 3);
  if (e.basis === 'items') {
    ev.basis = 1;
    let n = 0;
    for (const c of e.parts) {
      if (!(c.weight > 0) || n >= 2) continue;
      const src = served.toCatalog[c.index] ?? -1;
      if (state.catalog.items[src] === undefined) continue;
      ev.src[n] = src;
      ev.weight[n++] = c.weight;
    }
  } else if (e.basis === 'users') {
    ev.basis = 2;
    let n = 0;
    let weight = 0;
    for (const c of e.parts) {
      if (c.weight > 0) {
        n++;
        weight += c.weight;
      }
    }
    ev.src[0] = n;
    ev.weight[0] = weight;
  }
}

/** Fills `ev` (shape part): the history item closest in shape to catalogue item `index`, when close enough. */
export function shapeEvidence(state: ServingState, user: UserState, index: number, ev: ReasonEvidence): void {
  const shapes = state.shapes;
  ev.src[2] = shapes === null ? -1 : shapes.closest(index, user.items.keys(), SHAPE_REASON_MIN, simOut);
  ev.weight[2] = ev.src[2]! >= 0 ? simOut[0]! : 0;
}

/** The model and shape reasons that `ev` holds, as the API shows them. */
export function reasonsFromEvidence(ev: ReasonEvidence, state: ServingState, user: UserState): Reason[] {
  const reasons: Reason[] = [];
  const items = state.catalog.items;
  if (ev.basis === 1) {
    for (let j = 0; j < 2; j++) {
      const src = items[ev.src[j]!];
      if (src === undefined) continue;
      const verb = VERB[user.strongest.get(src.index) ?? 'view'] ?? 'looked at';
      const text = `because you ${verb} ${quote(src.title)}`;
      reasons.push({ kind: 'history', itemId: src.id, weight: ev.weight[j]!, text });
    }
  } else if (ev.basis === 2 && ev.src[0]! > 0) {
    const n = ev.src[0]!;
    reasons.push({
      kind: 'history',
      weight: ev.weight[0]!,
      text: `printed by ${n === 1 ? 'someone' : `${n} people`} whose prints resemble yours`,
    });
  }
  const shape = items[ev.src[2]!];
  if (shape !== undefined) reasons.push(shapeReasonOf(shape, ev.weight[2]!));
  return reasons;
}

/** "Same shape family as Y": the history item closest in shape, when it is close enough. */
export function shapeReason(state: ServingState, user: UserState, item: CatalogItem): Reason | null {
  const shapes = state.shapes;
  if (shapes === null) return null;
  const best = shapes.closest(item.index, user.items.keys(), SHAPE_REASON_MIN, simOut);
  if (best < 0) return null;
  return shapeReasonOf(state.catalog.items[best]!, simOut[0]!);
}

function shapeReasonOf(src: CatalogItem, weight: number): Reason {
  return { kind: 'shape', itemId: src.id, weight, text: `same shape family as ${quote(src.title)}` };
}

const simOut = new Float64Array(1);

/** Popularity reasons for items in the top decile (all-time or trending). */
export function popularityReason(
  item: CatalogItem,
  state: ServingState,
  thresholds: { popular: number; trending: number },
  coldStart: boolean,
): Reason | null {
  const pop = state.stats.popularity[item.index] ?? 0;
  const trend = state.stats.trending[item.index] ?? 0;
  if (coldStart && trend > 0) {
    return { kind: 'trending', weight: trend, text: 'trending on the site lately' };
  }
  if (pop > 0 && pop >= thresholds.popular) {
    const what = item.category ? `${item.category.toLowerCase()} models` : 'models like this';
    return { kind: 'popular', weight: pop, text: `popular with people who print ${what}` };
  }
  if (coldStart) return { kind: 'cold_start', weight: 0, text: 'new or not yet rated: shown to help you discover it' };
  return null;
}
