/** Background jobs on the wire (GET /v1/jobs, GET /v1/jobs/:id): ingest, embed, thumbnail, train, sweep, score. */
import { z } from 'zod';
import { named } from './registry.js';

export const JOB_STATE_NAMES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

export const JobInfo = named(
  'Job',
  z.object({
    id: z.string().describe('the queue id (deterministic for work that must run once, e.g. `upload-<hash>`)'),
    kind: z.string().describe('ingest, embed, thumbnail, train, sweep, score'),
    state: z.enum(JOB_STATE_NAMES).describe('delayed: waiting for a retry after a failed attempt'),
    progress: z.number().min(0).max(1),
    attempts: z.int().describe('attempts started so far'),
    maxAttempts: z.int(),
    error: z.string().nullable().describe("the last attempt's error"),
    worker: z.string().nullable().describe('the process that ran (or runs) it'),
    data: z.unknown().describe('what the job was asked to do'),
    result: z.unknown().describe('what it returned (null until completed)'),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  }),
);
export type JobInfo = z.infer<typeof JobInfo>;

/** GET /v1/jobs */
export const JobListQuery = z.object({
  state: z.enum(JOB_STATE_NAMES).optional(),
  kind: z.string().min(1).max(64).optional(),
  limit: z.int().min(1).max(1000).default(50),
});
export type JobListQuery = z.output<typeof JobListQuery>;

/** GET /v1/users/:id/scores: the user's top-k as the last batch-scoring (`score`) job stored it. */
export const StoredScores = named(
  'StoredScores',
  z.object({
    userId: z.string(),
    model: z.string().nullable().describe('`name@version` of the model that scored; null: the cold-start ranking'),
    k: z.int(),
    coldStart: z.boolean(),
    items: z.array(z.object({ itemId: z.string(), score: z.number() })).describe('best first'),
    jobId: z.string().nullable().describe('the score job that wrote it'),
    scoredAt: z.string(),
  }),
);
export type StoredScores = z.infer<typeof StoredScores>;
