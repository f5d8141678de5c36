/** GET /v1/search (BM25 text search blended with popularity) and POST /v1/search/shape (by upload). */
import { z } from 'zod';
import { kParam, type Limits, ScoredItem } from './common.js';
import { named } from './registry.js';

export function searchQuery(limits: Limits) {
  return z.object({ q: z.string().min(1).max(200), k: kParam(limits), category: z.string().optional() });
}
export type SearchQuery = z.output<ReturnType<typeof searchQuery>>;

export const SearchHit = named(
  'SearchHit',
  ScoredItem.extend({ textScore: z.number().describe('the BM25 text score before blending with popularity') }),
);
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = named('SearchResults', z.object({ query: z.string(), items: z.array(SearchHit) }));
export type SearchResponse = z.infer<typeof SearchResponse>;

/** POST /v1/search/shape */
export function shapeSearchQuery(limits: Limits) {
  return z.object({ k: kParam(limits) });
}
