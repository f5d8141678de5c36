/**
 * Text search: BM25 over title (×3), tags (×2) and description, blended with behaviour — 80 % normalised text
 * score + 20 % normalised log-popularity — so among equally relevant items the ones people print come first.
 */
import { topK } from '../../core/math.js';
import { scored } from './recommendations.js';
import type { ServingState } from './state.js';
import type { SearchHit, SearchResponse } from './types.js';

export const TEXT_WEIGHT = 0.8;

export function textSearch(state: ServingState, q: string, k: number, category?: string): SearchResponse {
  const hits = state.text.search(q);
  if (hits.size === 0) return { query: q, items: [] };
  const cat = category?.toLowerCase();
  const pop = state.stats.popularity;
  let maxText = 0;
  let maxPop = 0;
  const docs: number[] = [];
  const text: number[] = [];
  for (const [doc, s] of hits) {
    const item = state.catalog.items[doc];
    if (item === undefined || item.removed || (cat !== undefined && item.category?.toLowerCase() !== cat)) continue;
    docs.push(doc);
    text.push(s);
    if (s > maxText) maxText = s;
    const p = Math.log1p(pop[doc] ?? 0);
    if (p > maxPop) maxPop = p;
  }
  const blended = new Float64Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    const p = maxPop > 0 ? Math.log1p(pop[docs[i]!] ?? 0) / maxPop : 0;
    blended[i] = TEXT_WEIGHT * (text[i]! / maxText) + (1 - TEXT_WEIGHT) * p;
  }
  const items: SearchHit[] = topK(blended, k).map((i) => {
    const it = state.catalog.items[docs[i]!]!;
    const reasons =
      (pop[it.index] ?? 0) > 0
        ? [{ kind: 'popular' as const, weight: pop[it.index]!, text: 'matches your search and is often printed' }]
        : [];
    return { ...scored(it, blended[i]!, reasons), textScore: text[i]! };
  });
  return { query: q, items };
}
