/** Shapes shared by many routes: the error body, the `:id` path parameter, pages, reasons and scored items. */
import { z } from 'zod';
import { named } from './registry.js';

export const ErrorBody = named(
  'Error',
  z
    .object({
      code: z.string().describe('invalid_argument, unauthorized, forbidden, not_found, limit_exceeded, …'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .describe('Every 4xx/5xx body: a machine-readable code and a human message.'),
);
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Path parameter of every `/…/:id` route. */
export const IdParams = z.object({ id: z.string().min(1).max(256) });
export type IdParams = z.infer<typeof IdParams>;

export const Reason = named(
  'Reason',
  z
    .object({
      kind: z
        .enum(['history', 'sequence', 'shape', 'shape_taste', 'remix', 'popular', 'trending', 'cold_start', 'printer'])
        .describe(
          'history: the model’s item-item evidence; sequence: what the user just did (print next); shape: a shape ' +
            'neighbour; popular / trending: counts',
        ),
      itemId: z.string().optional().describe('the item the reason refers to (e.g. the printed item that led here)'),
      weight: z.number().describe('contribution (model units for history, similarity for shape, share for popularity)'),
      text: z.string(),
    })
    .describe('Why an item was recommended: the model’s own evidence, shape neighbours or popularity.'),
);
export type Reason = z.infer<typeof Reason>;

export const ScoredItem = named(
  'ScoredItem',
  z.object({
    itemId: z.string(),
    score: z.number(),
    title: z.string(),
    category: z.string().nullable(),
    creator: z.string().nullable(),
    thumbnailUrl: z.string(),
    reasons: z.array(Reason),
  }),
);
export type ScoredItem = z.infer<typeof ScoredItem>;

export const ModelRef = named('ModelRef', z.object({ id: z.string(), name: z.string(), version: z.int() }));
export type ModelRef = z.infer<typeof ModelRef>;

/** One page of a listing; `nextCursor` is opaque and null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The schema of a page of `item`s (register the result with `named`). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('opaque cursor of the next page; null on the last page'),
  });
}

/** `k` (result count) limits of the server: its default and maximum come from the server config. */
export interface Limits {
  defaultK: number;
  maxK: number;
}

/** The querystring `k` of a server with these limits. */
export function kParam(limits: Limits) {
  return z.int().min(1).max(limits.maxK).default(limits.defaultK).describe('number of results');
}

/** Page size of the listings (items, users). */
export const pageLimit = z.int().min(1).max(500).default(50);
