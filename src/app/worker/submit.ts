/**
 * Submitting a job from the command line (`layerwise jobs add`): in a cluster (LAYERWISE_REDIS_URL set) the job goes
 * to the BullMQ queue for a `layerwise worker` to run, and with `wait` this process follows its record until it has
 * finished; embedded (no Redis) the same handlers run here, in this process, with the same retries and job record —
 * so batch scoring, a sweep or a retrain work the same on one machine.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { JobRecord, Store } from '../../store/ports.js';
import { LocalBus } from '../cluster/bus.js';
import { redisSettings } from '../cluster/redis.js';
import type { Config, ServerConfig } from '../config.js';
import { openBlobs } from '../ingest/locations.js';
import { BullJobQueue } from '../jobs/bullmq.js';
import { InlineJobQueue } from '../jobs/inline.js';
import { DEFAULT_RETENTION, pruneJobRecords } from '../jobs/retention.js';
import { JOB_KINDS, type JobRequest } from '../jobs/types.js';
import { withStore } from '../store.js';
import { workerHandlers } from './handlers.js';

export interface SubmitOptions {
  /** Cluster mode: follow the job's record until it finishes (or `timeoutMs` passes). */
  wait?: boolean;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export async function waitForJob(store: Store, id: string, ms: number): Promise<JobRecord | null> {
  const end = Date.now() + ms;
  for (let wait = 20; ; wait = Math.min(500, wait * 2)) {
    const r = await store.getJobRecord(id);
    if (r !== null && (r.state === 'completed' || r.state === 'failed')) return r;
    if (Date.now() > end) return r;
    await new Promise((done) => setTimeout(done, wait));
  }
}

export async function submitJob(
  config: Config,
  server: ServerConfig,
  request: JobRequest,
  options: SubmitOptions = {},
): Promise<JobRecord> {
  if (!(JOB_KINDS as readonly string[]).includes(request.kind)) {
    throw new LayerwiseError('invalid_argument', `unknown job kind ${request.kind}: one of ${JOB_KINDS.join(', ')}`);
  }
  if (request.id !== undefined && !/^[A-Za-z0-9_.-]{1,200}$/.test(request.id)) {
    throw new LayerwiseError('invalid_argument', `job id ${request.id}: letters, digits and _.- only (at most 200)`);
  }
  return withStore(config, async (store) => {
    if (config.redisUrl !== null) {
      const queue = await BullJobQueue.open(redisSettings(config.redisUrl, config.redisPrefix), store);
      try {
        const r = await queue.enqueue(request);
        if (!options.wait) return r;
        return (await waitForJob(store, r.id, options.timeoutMs ?? 3_600_000)) ?? r;
      } finally {
        await queue.close();
      }
    }
    const handlers = workerHandlers({
      store,
      bus: new LocalBus(),
      blobs: openBlobs(store, config.dataDir),
      dataDir: config.dataDir,
      server,
      ...(options.log ? { log: options.log } : {}),
    });
    const queue = new InlineJobQueue(store, handlers);
    const r = await queue.enqueue(request);
    await queue.idle();
    await queue.close();
    const done = (await store.getJobRecord(r.id)) ?? r;
    await pruneJobRecords(store, DEFAULT_RETENTION); // no worker prunes an embedded store's job records
    return done;
  });
}
