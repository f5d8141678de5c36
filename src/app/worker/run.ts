/**
 * `layerwise worker`: one process of a cluster that runs background jobs — BullMQ consumers on the cluster's Redis
 * (LAYERWISE_REDIS_URL, key prefix LAYERWISE_REDIS_PREFIX) over the shared store (LAYERWISE_DATABASE_URL) and its
 * blob store — plus, when asked, the scheduler: BullMQ job schedulers that enqueue a gated retrain every
 * `retrainEveryMs` and a stale-embedding sweep every `sweepEveryMs` (one schedule per id however many workers
 * register it, so two workers never double the schedule). Finished jobs are kept per `retention` (in Redis by
 * BullMQ; in the store's job records by a prune every `pruneEveryMs` in each worker).
 */
import { hostname } from 'node:os';
import type { Worker } from 'bullmq';
import { LayerwiseError } from '../../core/errors.js';
import type { Store } from '../../store/ports.js';
import { RedisBus } from '../cluster/bus.js';
import { redisSettings } from '../cluster/redis.js';
import type { Config, ServerConfig } from '../config.js';
import { openBlobs } from '../ingest/locations.js';
import { BullJobQueue, startBullWorker } from '../jobs/bullmq.js';
import { DEFAULT_RETENTION, type JobRetention, pruneJobRecords } from '../jobs/retention.js';
import { openStore } from '../store.js';
import { workerHandlers } from './handlers.js';

export interface WorkerOptions {
  /** Jobs run at once (default 1). */
  concurrency?: number;
  /** Job lock lifetime, ms: a killed worker's job goes to another worker after this (default 30 s). */
  lockMs?: number;
  /** Enqueue a gated retrain this often (ms); absent: no retrain schedule from this worker. */
  retrainEveryMs?: number;
  /** Enqueue a stale-embedding sweep this often (ms). */
  sweepEveryMs?: number;
  /** Pause after each item of a multi-item job (ms). */
  itemPauseMs?: number;
  /** How long finished jobs are kept (default DEFAULT_RETENTION). */
  retention?: JobRetention;
  /** How often this worker prunes the store's finished job records, ms (default 10 min; 0: never). */
  pruneEveryMs?: number;
  log?: (line: string) => void;
}

export interface RunningWorker {
  name: string;
  store: Store;
  worker: Worker;
  close(): Promise<void>;
}

export async function startWorker(
  config: Config,
  server: ServerConfig,
  options: WorkerOptions = {},
): Promise<RunningWorker> {
  if (config.redisUrl === null) {
    throw new LayerwiseError(
      'invalid_argument',
      'layerwise worker takes jobs from Redis: set LAYERWISE_REDIS_URL=redis://host:6379 (and LAYERWISE_DATABASE_URL ' +
        'so that every process shares one store); without Redis, `serve` runs everything in-process',
    );
  }
  const settings = redisSettings(config.redisUrl, config.redisPrefix);
  const log = options.log ?? (() => {});
  const name = `${hostname()}:${process.pid}`;
  const retention = options.retention ?? DEFAULT_RETENTION;
  const store = await openStore(config);
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const bus = await RedisBus.open(settings);
    closers.push(() => bus.close());
    const handlers = workerHandlers({
      store,
      bus,
      blobs: openBlobs(store, config.dataDir),
      dataDir: config.dataDir,
      server,
      log,
      ...(options.itemPauseMs ? { itemPauseMs: options.itemPauseMs } : {}),
    });
    if (options.retrainEveryMs !== undefined || options.sweepEveryMs !== undefined) {
      const queue = await BullJobQueue.open(settings, store);
      closers.push(() => queue.close());
      if (options.retrainEveryMs !== undefined) {
        await queue.schedule('retrain', 'train', options.retrainEveryMs, { gated: true });
      }
      if (options.sweepEveryMs !== undefined) await queue.schedule('sweep', 'sweep', options.sweepEveryMs);
    }
    const worker = await startBullWorker(settings, store, {
      handlers,
      name,
      concurrency: options.concurrency ?? 1,
      retention,
      ...(options.lockMs !== undefined ? { lockMs: options.lockMs } : {}),
    });
    worker.on('active', (job) => log(`job ${job.id} (${job.name}) started, attempt ${job.attemptsStarted}`));
    worker.on('completed', (job) => log(`job ${job.id} (${job.name}) completed`));
    worker.on('failed', (job, err) => log(`job ${job?.id} (${job?.name}) failed: ${err.message}`));
    closers.push(() => worker.close());
    const pruneEvery = options.pruneEveryMs ?? 600_000;
    if (pruneEvery > 0) {
      let pruning: Promise<void> = Promise.resolve();
      const prune = () => {
        pruning = pruneJobRecords(store, retention).then(
          (n) => (n > 0 ? log(`pruned ${n} finished job record(s)`) : undefined),
          (e: unknown) => log(`pruning job records failed (retried later): ${(e as Error).message}`),
        );
      };
      prune();
      const timer = setInterval(prune, pruneEvery);
      timer.unref();
      closers.push(async () => {
        clearInterval(timer);
        await pruning;
      });
    }
    return { name, store, worker, close };
  } catch (e) {
    await close();
    throw e;
  }
}
