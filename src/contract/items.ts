/** Catalogue items on the wire: summaries, details with printability, pages, similar items and upload fields. */
import { z } from 'zod';
import { kParam, type Limits, pageOf, ScoredItem } from './common.js';
import { PrintabilityReport } from './printability.js';
import { named } from './registry.js';

export const ItemSummary = named(
  'ItemSummary',
  z.object({
    id: z.string(),
    title: z.string(),
    category: z.string().nullable(),
    tags: z.array(z.string()),
    creator: z.string().nullable(),
    license: z.string().nullable(),
    format: z.string().nullable(),
    thumbnailUrl: z.string(),
    popularity: z.number().describe('weighted interaction count (all event types, config weights)'),
  }),
);
export type ItemSummary = z.infer<typeof ItemSummary>;

export const ItemDetail = named(
  'Item',
  ItemSummary.extend({
    description: z.string(),
    sizeBytes: z.int().nullable(),
    createdAt: z.string().nullable(),
    remixOf: z.string().nullable(),
    family: z.string().nullable(),
    printability: PrintabilityReport.nullable(),
    stats: z.record(z.string(), z.number()).describe('event counts by type'),
  }),
);
export type ItemDetail = z.infer<typeof ItemDetail>;

export const ItemPage = named('ItemPage', pageOf(ItemSummary));
export type ItemPage = z.infer<typeof ItemPage>;

/** GET /v1/items */
export const ItemListQuery = z.object({
  query: z.string().max(200).optional().describe('case-insensitive substring of title/tags'),
  category: z.string().optional(),
  tag: z.string().optional(),
  printer: z.string().optional().describe('only items that fit this printer (profile id)'),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
  limit: z.int().min(1).max(500).default(50),
});
export type ItemListQuery = z.output<typeof ItemListQuery>;
/** What a client sends (every field optional). */
export type ItemListParams = z.input<typeof ItemListQuery>;

export const SimilarBy = z.enum(['shape', 'behaviour', 'hybrid']);
export type SimilarBy = z.infer<typeof SimilarBy>;

export const SimilarResponse = named(
  'Similar',
  z.object({
    itemId: z.string().nullable().describe('the query item; null for shape search by upload'),
    by: SimilarBy,
    items: z.array(ScoredItem),
  }),
);
export type SimilarResponse = z.infer<typeof SimilarResponse>;

/** GET /v1/items/:id/similar */
export function similarQuery(limits: Limits) {
  return z.object({ k: kParam(limits), by: SimilarBy.default('hybrid') });
}
export type SimilarQuery = z.output<ReturnType<typeof similarQuery>>;

/** The text fields of a multipart upload (POST /v1/items) besides the `file` part. */
export const UploadFields = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  tags: z.string().optional().describe('comma-separated'),
  license: z.string().optional(),
  creator: z.string().optional(),
  category: z.string().optional(),
});
export type UploadFields = z.infer<typeof UploadFields>;

const RemixRef = z.object({ itemId: z.string(), title: z.string(), thumbnailUrl: z.string() });

/** GET /v1/items/:id/remixes: the item's remix lineage. */
export const RemixesResponse = named(
  'Remixes',
  z.object({
    item: RemixRef,
    ancestors: z.array(RemixRef).describe('the item it remixes first, then that one’s parent, … the original last'),
    descendants: z
      .array(RemixRef.extend({ parentId: z.string(), depth: z.int() }))
      .describe('its remixes in depth-first order (depth 1 = direct remix), at most 3 levels and 50 items'),
    truncated: z.int().describe('remixes left out by those bounds'),
  }),
);
export type RemixesResponse = z.infer<typeof RemixesResponse>;
