/** Users on the wire: pages of summaries, a user's history summary and the saved printer. */
import { z } from 'zod';
import { pageLimit, pageOf } from './common.js';
import { named } from './registry.js';

export const UserSummary = named(
  'UserSummary',
  z.object({ id: z.string(), events: z.int(), lastActive: z.string().nullable() }),
);
export type UserSummary = z.infer<typeof UserSummary>;

export const UserPage = named('UserPage', pageOf(UserSummary));
export type UserPage = z.infer<typeof UserPage>;

export const UserDetail = named(
  'User',
  UserSummary.extend({
    printer: z.string().nullable().describe('saved printer profile id (used when a request names none)'),
    byType: z.record(z.string(), z.number()),
    recent: z.array(z.object({ itemId: z.string(), type: z.string(), weight: z.number(), timestamp: z.string() })),
    topCategories: z.array(z.object({ category: z.string(), count: z.int() })),
  }),
);
export type UserDetail = z.infer<typeof UserDetail>;

/** GET /v1/users */
export const UserListQuery = z.object({ cursor: z.string().optional(), limit: pageLimit });
export type UserListQuery = z.output<typeof UserListQuery>;

/** PUT /v1/users/:id/printer */
export const SetPrinterBody = z.strictObject({
  printer: z.string().nullable().describe('printer profile id, e.g. prusa-mk4; null clears it'),
});
export type SetPrinterBody = z.infer<typeof SetPrinterBody>;
