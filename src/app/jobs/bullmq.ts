/**
 * The job queue on BullMQ: one queue (`jobs`, under `<prefix>:bull` in Redis) whose job names are the job kinds.
 * BullMQ does the hard parts — locks, stalled-job detection (a worker killed mid-job loses its lock and another
 * worker takes the job), retries with exponential backoff, dedup by job id, repeatable schedules — and this module
 * mirrors each job's state into the store's job records for `GET /v1/jobs`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobRecord, Store } from '../../store/ports.js';
import { connectRedis, type RedisSettings } from '../cluster/redis.js';
import { bullKeep, DEFAULT_RETENTION, type JobRetention } from './retention.js';
import { isPermanent, type JobHandlers, type JobKind, type JobQueue, type JobRequest } from './types.js';

export const QUEUE_NAME = 'jobs';

export function bullPrefix(settings: RedisSettings): string {
  return `${settings.prefix}:bull`;
}

export class BullJobQueue implements JobQueue {
  readonly mode = 'bullmq' as const;

  private constructor(
    readonly queue: Queue,
    private readonly store: Store,
    private readonly connection: Redis,
  ) {}

  static async open(settings: RedisSettings, store: Store): Promise<BullJobQueue> {
    const connection = await connectRedis(settings, 'layerwise-queue');
    const queue = new Queue(QUEUE_NAME, { connection, prefix: bullPrefix(settings) });
    return new BullJobQueue(queue, store, connection);
  }

  async enqueue(request: JobRequest): Promise<JobRecord> {
    const id = request.id ?? randomUUID();
    const attempts = request.attempts ?? 3;
    // The record first: a fast worker may start (and write `active`) before `add` returns.
    if ((await this.store.getJobRecord(id)) === null) {
      await this.store.saveJobRecord({
        id,
        kind: request.kind,
        state: 'waiting',
        maxAttempts: attempts,
        data: request.data,
      });
    }
    // Same id while BullMQ still holds the job: `add` returns that job unchanged (no second run).
    const job = await this.queue.add(request.kind, request.data, {
      jobId: id,
      attempts,
      backoff: { type: 'exponential', delay: 1000 },
      // how long finished jobs stay in Redis is the workers' setting (WorkerOptions.retention)
    });
    const state = await job.getState();
    if (state === 'failed') {
      // Asking again for a job that failed for good is asking to try it again.
      await job.retry('failed');
      await this.store.saveJobRecord({ id, state: 'waiting', error: null, finishedAt: null, attempts: 0 });
    } else if (state === 'waiting' && job.attemptsStarted === 0) {
      const rec = await this.store.getJobRecord(id);
      if (rec !== null && rec.state !== 'waiting' && rec.state !== 'active') {
        await this.store.saveJobRecord({ id, state: 'waiting', error: null, finishedAt: null, progress: 0 });
      }
    }
    return (await this.store.getJobRecord(id)) as JobRecord;
  }

  /** Registers (or updates) a repeating job: BullMQ's job scheduler enqueues it every `everyMs`. */
  async schedule(
    schedulerId: string,
    kind: JobKind,
    everyMs: number,
    data: Record<string, unknown> = {},
  ): Promise<void> {
    await this.queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name: kind, data, opts: { attempts: 2 } });
  }

  async close(): Promise<void> {
    await this.queue.close();
    // BullMQ leaves a connection it was given open
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

export interface WorkerOptions {
  handlers: JobHandlers;
  /** Jobs run at once by this process (default 1). */
  concurrency?: number;
  /** How long a job's lock lives without renewal (default 30 s): a killed worker's job is retried after this. */
  lockMs?: number;
  /** How often stalled jobs are looked for (default lockMs / 2). */
  stalledCheckMs?: number;
  /** Name shown in job records (default host:pid). */
  name?: string;
  /** How long finished jobs stay in Redis (default DEFAULT_RETENTION). */
  retention?: JobRetention;
}

/** A BullMQ worker that runs `handlers` and writes every state change into the store's job records. */
export async function startBullWorker(settings: RedisSettings, store: Store, options: WorkerOptions): Promise<Worker> {
  const connection = await connectRedis(settings, 'layerwise-worker');
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const lockDuration = options.lockMs ?? 30_000;
  const retention = options.retention ?? DEFAULT_RETENTION;
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      const kind = job.name as JobKind;
      const handler = options.handlers[kind];
      const id = job.id as string;
      const attempt = job.attemptsStarted;
      await store.saveJobRecord({
        id,
        kind,
        state: 'active',
        attempts: attempt,
        maxAttempts: job.opts.attempts ?? 1,
        worker: name,
        data: job.data,
      });
      if (handler === undefined) {
        throw new UnrecoverableError(`no handler for job kind ${JSON.stringify(kind)} in worker ${name}`);
      }
      try {
        return await handler(job.data as Record<string, unknown>, {
          id,
          attempt,
          progress: async (fraction) => {
            const p = Math.max(0, Math.min(1, fraction));
            await job.updateProgress(p);
            await store.saveJobRecord({ id, progress: p });
          },
        });
      } catch (e) {
        // bad input stays bad: fail now instead of retrying, and keep the typed error for whoever waits on the job
        if (isPermanent(e)) {
          const { code, message, details } = e as { code: string; message: string; details?: unknown };
          await store.saveJobRecord({ id, result: { error: { code, message, ...(details ? { details } : {}) } } });
          throw new UnrecoverableError(message);
        }
        throw e;
      }
    },
    {
      connection,
      prefix: bullPrefix(settings),
      concurrency: options.concurrency ?? 1,
      lockDuration,
      stalledInterval: options.stalledCheckMs ?? Math.max(500, Math.floor(lockDuration / 2)),
      maxStalledCount: 2,
      removeOnComplete: bullKeep(retention.completed),
      removeOnFail: bullKeep(retention.failed),
    },
  );
  worker.on('completed', (job, result) => {
    record(store, job.id as string, {
      state: 'completed',
      progress: 1,
      result: result ?? null,
      error: null,
      finishedAt: Date.now(),
    });
  });
  worker.on('failed', (job, err) => {
    if (job === undefined) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    record(store, job.id as string, {
      state: final ? 'failed' : 'delayed',
      error: err.message,
      ...(final ? { finishedAt: Date.now() } : {}),
    });
  });
  worker.on('error', (err) => console.error(`worker ${name}: ${err.message}`));
  // BullMQ leaves a connection it was given open
  worker.on('closed', () => connection.disconnect());
  await worker.waitUntilReady();
  return worker;
}

function record(store: Store, id: string, patch: Omit<Parameters<Store['saveJobRecord']>[0], 'id'>): void {
  store.saveJobRecord({ id, ...patch }).catch((e: unknown) => {
    console.error(`job ${id}: could not record state ${String(patch.state)}: ${(e as Error).message}`);
  });
}
