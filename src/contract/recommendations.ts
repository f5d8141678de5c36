/** GET /v1/users/:id/recommendations: the query and the response. */
import { z } from 'zod';
import { kParam, type Limits, ModelRef, ScoredItem } from './common.js';
import { named } from './registry.js';

export function recommendQuery(limits: Limits) {
  return z.object({
    k: kParam(limits),
    printer: z.string().optional().describe('printer profile id, e.g. prusa-mk4'),
    category: z.string().optional(),
    tag: z.string().optional(),
    license: z.string().optional(),
    exclude: z.array(z.string()).optional().describe('item ids to leave out (comma-separated or repeated)'),
    explain: z.boolean().default(true).describe('include reasons (default true)'),
    maxPerCreator: z.int().min(0).max(1000).optional().describe('diversity: cap per creator (0 = no cap)'),
    maxPerFamily: z.int().min(0).max(1000).optional().describe('diversity: cap per family (0 = no cap)'),
  });
}
/** The query as the service receives it (defaults applied). */
export type RecommendQuery = z.output<ReturnType<typeof recommendQuery>>;

export const RecommendationResponse = named(
  'Recommendations',
  z.object({
    userId: z.string(),
    recommendationId: z.string().describe('send it back with events on these items (online metrics)'),
    model: ModelRef.nullable().describe('the model that scored; null when the cold-start ranking was used'),
    coldStart: z.boolean().describe('true when the user had no history: trending items were served'),
    printer: z.string().nullable(),
    experiment: z.string().nullable().describe('the running experiment the user is in'),
    arm: z.string().nullable().describe("the user's arm in it (sticky)"),
    items: z.array(ScoredItem),
  }),
);
export type RecommendationResponse = z.infer<typeof RecommendationResponse>;
