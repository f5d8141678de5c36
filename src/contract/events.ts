/** POST /v1/events: a batch of interactions and the per-event outcome. */
import { z } from 'zod';
import { named } from './registry.js';

export const MAX_EVENTS_PER_BATCH = 10_000;

export const EventInput = z.strictObject({
  userId: z.string().min(1).max(256),
  itemId: z.string().min(1).max(256),
  type: z.string().describe('view, like, download, make, collect, rating; negative feedback: dislike, hide, report'),
  timestamp: z.union([z.string(), z.number()]).optional().describe('ISO 8601 or epoch ms; default now'),
  weight: z.number().min(0).optional().describe('overrides the type weight (rating: 1–5)'),
  recommendationId: z
    .string()
    .max(200)
    .optional()
    .describe('the recommendationId of the response that showed the item (online metrics)'),
});
export type EventInput = z.infer<typeof EventInput>;

export const EventsBody = z.strictObject({ events: z.array(EventInput).min(1).max(MAX_EVENTS_PER_BATCH) });
export type EventsBody = z.infer<typeof EventsBody>;

export const EventsResult = named(
  'EventsResult',
  z.object({
    accepted: z.int(),
    rejected: z.array(z.object({ index: z.int(), code: z.string(), message: z.string() })),
  }),
);
export type EventsResult = z.infer<typeof EventsResult>;
