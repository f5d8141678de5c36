/** Operations: liveness and readiness bodies (/metrics is Prometheus text, outside the JSON contract). */
import { z } from 'zod';
import { named } from './registry.js';

export const Health = named('Health', z.object({ status: z.string() }));
export type Health = z.infer<typeof Health>;

export const ReadyState = named(
  'Ready',
  z.object({
    ready: z.boolean(),
    checks: z.record(z.string(), z.object({ ok: z.boolean(), message: z.string() })),
  }),
);
export type ReadyState = z.infer<typeof ReadyState>;
