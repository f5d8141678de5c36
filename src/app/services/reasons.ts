/**
 * Explanations drawn from evidence, never invented: the model's own contributions (`explainForHistory`: the history
 * items — or neighbour users — that produced the score), the nearest shape in the user's history (shape
 * embeddings), and popularity counts. Each reason carries the weight it came with.
 */
import type { HistoryEntry, Recommender } from '../../models/recommender.js';
import type { CatalogItem } from './catalog.js';
import type { UserState } from './interactions-state.js';
import type { ServingState } from './state.js';
import type { Reason } from './types.js';

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

/** Reasons from the model's evidence for `item` given the user's history. */
export function modelReasons(
  model: Recommender,
  history: readonly HistoryEntry[],
  item: CatalogItem,
  state: ServingState,
  user: UserState,
): Reason[] {
  const reasons: Reason[] = [];
  let ev: ReturnType<Recommender['explainForHistory']>;
  try {
    ev = model.explainForHistory(history, item.id, 3);
  } catch {
    return reasons; // the model cannot explain this item (e.g. unknown to it): say nothing rather than guess
  }
  if (ev.basis === 'items') {
    for (const c of ev.contributions) {
      if (c.item === undefined || !(c.weight > 0) || reasons.length >= 2) continue;
      const src = state.catalog.get(c.item);
      if (src === undefined) continue;
      const verb = VERB[user.strongest.get(src.index)?.type ?? 'view'] ?? 'looked at';
      reasons.push({
        kind: 'history',
        itemId: c.item,
        weight: c.weight,
        text: `because you ${verb} ${quote(src.title)}`,
      });
    }
  } else if (ev.basis === 'users') {
    const pos = ev.contributions.filter((c) => c.weight > 0);
    if (pos.length > 0) {
      const weight = pos.reduce((s, c) => s + c.weight, 0);
      reasons.push({
        kind: 'history',
        weight,
        text: `printed by ${pos.length === 1 ? 'someone' : `${pos.length} people`} whose prints resemble yours`,
      });
    }
  }
  return reasons;
}

/** "Same shape family as Y": the history item closest in shape, when it is close enough. */
export function shapeReason(state: ServingState, user: UserState, item: CatalogItem): Reason | null {
  const shapes = state.shapes;
  if (shapes === null || !shapes.has(item.index)) return null;
  let best = -1;
  let bestSim = SHAPE_REASON_MIN;
  for (const h of user.items.keys()) {
    const s = shapes.similarity(h, item.index);
    if (s >= bestSim) {
      bestSim = s;
      best = h;
    }
  }
  if (best < 0) return null;
  const src = state.catalog.items[best]!;
  return { kind: 'shape', itemId: src.id, weight: bestSim, text: `same shape family as ${quote(src.title)}` };
}

/** Popularity reasons for items in the top decile (all-time or trending). */
export function popularityReason(
  item: CatalogItem,
  state: ServingState,
  thresholds: { popular: number; trending: number },
  coldStart: boolean,
): Reason | null {
  const pop = state.interactions.popularity[item.index] ?? 0;
  const trend = state.interactions.trending[item.index] ?? 0;
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
