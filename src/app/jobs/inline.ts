/**
 * The embedded job queue (no Redis): a job runs in this process, one at a time per queue, with the same retries
 * with exponential backoff and the same job records as a cluster's BullMQ workers — so `GET /v1/jobs` and
 * `layerwise jobs` work the same on a single machine. A job id still known (waiting, active, completed) is not run
 * again; a failed one is.
 */
import { randomUUID } from 'node:crypto';
import { LayerwiseError } from '../../core/errors.js';
import type { JobRecord, Store } from '../../store/ports.js';
import { isPermanent, type JobHandlers, type JobQueue, type JobRequest } from './types.js';

export class InlineJobQueue implements JobQueue {
  readonly mode = 'inline' as const;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly handlers: JobHandlers,
    /** First retry delay; doubles each try (tests shorten it). */
    private readonly backoffMs = 1000,
  ) {}

  async enqueue(request: JobRequest): Promise<JobRecord> {
    const id = request.id ?? randomUUID();
    const existing = await this.store.getJobRecord(id);
    if (existing !== null && existing.state !== 'failed') return existing;
    const attempts = request.attempts ?? 3;
    await this.store.saveJobRecord({
      id,
      kind: request.kind,
      state: 'waiting',
      attempts: 0,
      maxAttempts: attempts,
      progress: 0,
      error: null,
      finishedAt: null,
      data: request.data,
      worker: `inline:${process.pid}`,
    });
    this.chain = this.chain.then(() => this.run(id, request, attempts));
    return (await this.store.getJobRecord(id)) as JobRecord;
  }

  /** Resolves when every job enqueued so far has finished (or failed for good). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async run(id: string, request: JobRequest, attempts: number): Promise<void> {
    const handler = this.handlers[request.kind];
    for (let attempt = 1; attempt <= attempts && !this.closed; attempt++) {
      await this.store.saveJobRecord({ id, state: 'active', attempts: attempt });
      try {
        if (handler === undefined)
          throw new LayerwiseError('unsupported', `no handler for job kind ${request.kind} in this process`);
        const result = await handler(request.data, {
          id,
          attempt,
          progress: (p) => this.store.saveJobRecord({ id, progress: Math.max(0, Math.min(1, p)) }),
        });
        await this.store.saveJobRecord({
          id,
          state: 'completed',
          progress: 1,
          result: result ?? null,
          finishedAt: Date.now(),
        });
        return;
      } catch (e) {
        const last = attempt >= attempts || handler === undefined || isPermanent(e);
        await this.store.saveJobRecord({
          id,
          state: last ? 'failed' : 'delayed',
          error: (e as Error).message,
          ...(last ? { finishedAt: Date.now() } : {}),
        });
        if (last) {
          console.error(`job ${id} (${request.kind}) failed after ${attempt} tries: ${(e as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
  }
}
