/**
 * Background jobs: what kinds exist, what a handler gets, and the queue every process enqueues into. In a cluster
 * the queue is BullMQ on Redis (src/app/jobs/bullmq.ts) and `layerwise worker` processes run the handlers; embedded
 * (no Redis) jobs run in this process (src/app/jobs/inline.ts). Either way each job's state is written to the
 * store's job records, so `GET /v1/jobs` on any replica shows the same list.
 */
import type { JobRecord } from '../../store/ports.js';

export const JOB_KINDS = ['ingest', 'embed', 'thumbnail', 'train', 'score', 'sweep'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface JobRequest {
  kind: JobKind;
  data: Record<string, unknown>;
  /**
   * Idempotency key: a job with this id that is still known to the queue is not added again. Letters, digits and
   * `_.-` (BullMQ forbids `:`). Default: a random id.
   */
  id?: string;
  /** Tries before the job is failed (default 3); retries back off exponentially from 1 s. */
  attempts?: number;
}

export interface JobContext {
  id: string;
  /** 1 on the first try. */
  attempt: number;
  /** Reports progress 0..1 (written to the job record). */
  progress(fraction: number): Promise<void>;
}

/** Runs one job. Must be idempotent: a job retried after a crash may find part of its work already done. */
export type JobHandler = (data: Record<string, unknown>, ctx: JobContext) => Promise<unknown>;

export type JobHandlers = Partial<Record<JobKind, JobHandler>>;

export interface JobQueue {
  readonly mode: 'bullmq' | 'inline';
  /** Adds a job (or finds the one with the same id) and returns its record. */
  enqueue(request: JobRequest): Promise<JobRecord>;
  close(): Promise<void>;
}

/**
 * Errors that another try cannot fix (the input is bad, the thing is gone): such a job fails at once instead of
 * being retried.
 */
export const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'invalid_argument',
  'parse_error',
  'limit_exceeded',
  'not_found',
  'unsupported',
  'conflict',
]);

export function isPermanent(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && PERMANENT_CODES.has((e as { code: string }).code);
}

const ID = /^[A-Za-z0-9_.-]{1,200}$/;

/** A job id from parts (item ids, hashes), safe for BullMQ: other characters become `_`. */
export function jobId(...parts: (string | number)[]): string {
  const id = parts.map((p) => String(p).replace(/[^A-Za-z0-9_.-]/g, '_')).join('-');
  return ID.test(id) ? id : id.slice(0, 200);
}
