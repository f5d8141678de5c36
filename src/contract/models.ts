/** Trained model versions on the wire (GET /v1/models, POST /v1/models/:id/activate, GET /v1/models/history). */
import { z } from 'zod';
import { named } from './registry.js';

export const ModelInfo = named(
  'Model',
  z.object({
    id: z.string().describe('name@version: what POST /v1/models/:id/activate takes'),
    name: z.string(),
    kind: z.string().describe('algorithm (ease, ials, …) from the artifact config; the name when unknown'),
    version: z.int(),
    createdAt: z.string(),
    active: z.boolean(),
    configHash: z.string(),
    metrics: z.record(z.string(), z.unknown()).describe('validation metrics as the trainer recorded them'),
    features: z
      .array(z.object({ name: z.string(), dim: z.int() }))
      .describe('item content the model reads (e.g. shape 160, tags 256); empty for behaviour-only models'),
  }),
);
export type ModelInfo = z.infer<typeof ModelInfo>;

const interval = z.tuple([z.number(), z.number()]);

/**
 * The metrics the trainer records, as clients read them from `ModelInfo.metrics` (which stays an open object:
 * other keys pass through). `ModelMetrics.parse(model.metrics)` checks the known ones.
 */
export const ModelMetrics = z.looseObject({
  ndcg: z.number().optional(),
  recall: z.number().optional(),
  precision: z.number().optional(),
  map: z.number().optional(),
  hitRate: z.number().optional(),
  k: z.number().optional(),
  fitSeconds: z.number().optional(),
  ci: z.object({ ndcg: interval.optional(), recall: interval.optional() }).partial().optional(),
  curves: z.object({ k: z.array(z.number()), ndcg: z.array(z.number()), recall: z.array(z.number()) }).optional(),
  losses: z.array(z.number()).optional(),
});
export type ModelMetrics = z.infer<typeof ModelMetrics>;

export const ModelChange = named(
  'ModelChange',
  z.object({
    name: z.string(),
    version: z.int(),
    action: z.enum(['activate', 'promote', 'reject', 'rollback', 'prune']),
    previous: z.int().nullable().describe('the version serving before the change (null when none)'),
    reason: z.string(),
    details: z.unknown().describe('what the trainer or operator recorded (gate scores, …)'),
    at: z.string(),
  }),
);
export type ModelChange = z.infer<typeof ModelChange>;

/** GET /v1/models/history */
export const ModelHistoryQuery = z.object({ limit: z.int().min(1).max(1000).default(50) });
export type ModelHistoryQuery = z.output<typeof ModelHistoryQuery>;
