/** Removal on the wire (admin): unpublish an item, edit its metadata, erase a user. */
import { z } from 'zod';

/** DELETE /v1/items/:id */
export const RemoveItemQuery = z.object({
  purgeEvents: z.boolean().default(false).describe('also delete its events'),
});
export type RemoveItemQuery = z.output<typeof RemoveItemQuery>;

export const RemoveItemResult = z.object({
  id: z.string(),
  removed: z.boolean(),
  events: z.int().describe('events deleted (0 unless purged)'),
});
export type RemoveItemResult = z.infer<typeof RemoveItemResult>;

const text = (max: number) => z.string().max(max).nullable().optional();

/** PATCH /v1/items/:id: `null` clears a field, an absent one is kept (title and tags cannot be cleared). */
export const ItemPatch = z
  .strictObject({
    title: z.string().min(1).max(1000).optional(),
    description: text(10_000),
    tags: z.array(z.string().min(1).max(100)).max(100).optional(),
    license: text(200),
    creator: text(200),
    category: text(200),
    remixOf: text(256),
  })
  .refine((p) => Object.keys(p).length > 0, 'nothing to edit')
  .meta({ minProperties: 1 });
export type ItemPatch = z.infer<typeof ItemPatch>;

/** DELETE /v1/users/:id */
export const EraseUserResult = z.object({
  id: z.string(),
  events: z.int().describe('events deleted'),
  impressions: z.int().describe('impressions deleted'),
});
export type EraseUserResult = z.infer<typeof EraseUserResult>;
