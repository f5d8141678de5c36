/**
 * "Print next": GET /v1/users/:id/next (after the user's latest event) and POST /v1/recommendations/session (an
 * anonymous session: the item ids it went through, oldest first). Both answer `NextItems`.
 */
import { z } from 'zod';
import { kParam, type Limits, ModelRef, ScoredItem } from './common.js';
import { named } from './registry.js';

/** Item ids a session may carry (its latest ones count; older ones are dropped beyond this). */
export const SESSION_MAX_ITEMS = 200;

export function nextQuery(limits: Limits) {
  return z.object({
    k: kParam(limits),
    printer: z.string().optional().describe('printer profile id, e.g. prusa-mk4 (default: the user’s saved one)'),
    explain: z.boolean().default(true).describe('include reasons (default true)'),
  });
}
/** The query as the service receives it (defaults applied). */
export type NextQuery = z.output<ReturnType<typeof nextQuery>>;

export function sessionBody(limits: Limits) {
  return z.object({
    items: z
      .array(z.string().min(1).max(256))
      .min(1)
      .max(SESSION_MAX_ITEMS)
      .describe(
        'item ids the session looked at, downloaded or printed, oldest first (a repeat counts at its latest place)',
      ),
    k: kParam(limits),
    printer: z.string().optional().describe('printer profile id, e.g. prusa-mk4'),
    explain: z.boolean().default(true),
  });
}
export type SessionRequest = z.output<ReturnType<typeof sessionBody>>;

export const NextItems = named(
  'NextItems',
  z.object({
    userId: z.string().nullable().describe('null for an anonymous session'),
    source: z
      .enum(['sequential', 'latest-neighbours', 'trending'])
      .describe(
        'sequential: the active sequential model read the history in order; latest-neighbours: no sequential ' +
          'model is trained, so the personal model’s neighbours of the latest items; trending: no usable history',
      ),
    model: ModelRef.nullable().describe('the model that scored; null for trending'),
    after: z
      .object({ itemId: z.string(), title: z.string() })
      .nullable()
      .describe('the latest item of the history: what these follow'),
    printer: z.string().nullable(),
    ignored: z.array(z.string()).describe('session item ids not in the catalogue (left out of the sequence)'),
    items: z.array(ScoredItem),
  }),
);
export type NextItems = z.infer<typeof NextItems>;
