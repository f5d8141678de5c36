/**
 * `layerwise worker [--concurrency N] [--retrain-every 6h] [--sweep-every 10m] [--data-dir D]`: a cluster job worker
 * (app/worker): BullMQ consumers for ingest, embed, thumbnail, train, sweep and score jobs on LAYERWISE_REDIS_URL,
 * over the store of LAYERWISE_DATABASE_URL; with `--retrain-every` / `--sweep-every` it also schedules those jobs. Prints
 * `layerwise: worker NAME ready` when it takes jobs; stops on SIGINT/SIGTERM after the running job (a SIGKILL
 * leaves the job to another worker once its lock expires). `--keep-completed` / `--keep-failed AGE,COUNT` bound how
 * many finished jobs stay in Redis and in the store's job records.
 */
import { loadConfig, loadServerConfig } from '../../app/config.js';
import { DEFAULT_RETENTION, type KeepJobs } from '../../app/jobs/retention.js';
import { startWorker } from '../../app/worker/run.js';
import { durationFlag, intFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  dataDir?: string;
  concurrency: string;
  retrainEvery?: string;
  sweepEvery?: string;
  lockMs?: string;
  itemPauseMs?: string;
  keepCompleted?: string;
  keepFailed?: string;
  pruneEvery?: string;
}

/** `AGE,COUNT` (e.g. `1d,1000`), `AGE` or `,COUNT`: what is not given keeps its default. */
function keepFlag(name: string, value: string | undefined, def: KeepJobs): KeepJobs {
  if (value === undefined || value.trim() === '') return def;
  const [age, count] = value.split(',').map((s) => s.trim());
  return {
    ageMs: age ? durationFlag(name, age) : def.ageMs,
    count: count ? intFlag(name, count, 0) : def.count,
  };
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('worker')
    .description('run background jobs of a cluster (ingest, embed, thumbnail, train, sweep, score) from Redis')
    .option('--data-dir <dir>', 'data directory for local scratch (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--concurrency <n>', 'jobs run at once by this process', '1')
    .option('--retrain-every <duration>', 'schedule a gated retrain (e.g. 6h); one schedule for the whole cluster')
    .option('--sweep-every <duration>', 'schedule a sweep that embeds items without shape vectors (e.g. 10m)')
    .option(
      '--lock-ms <ms>',
      "job lock lifetime (env LAYERWISE_WORKER_LOCK_MS): a killed worker's job moves on after it",
    )
    .option('--item-pause-ms <ms>', 'pause after each item of a multi-item job (env LAYERWISE_WORKER_ITEM_PAUSE_MS)')
    .option(
      '--keep-completed <age,count>',
      'completed jobs kept in Redis and the job records (env LAYERWISE_JOBS_KEEP_COMPLETED, default 1d,1000)',
    )
    .option('--keep-failed <age,count>', 'failed jobs kept (env LAYERWISE_JOBS_KEEP_FAILED, default 7d,1000)')
    .option('--prune-every <duration>', 'how often this worker prunes finished job records (default 10m)')
    .action(async (f: Flags) => {
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      const server = loadServerConfig({}, process.env, {});
      const env = process.env;
      const retention = {
        completed: keepFlag(
          'keep-completed',
          f.keepCompleted ?? env.LAYERWISE_JOBS_KEEP_COMPLETED,
          DEFAULT_RETENTION.completed,
        ),
        failed: keepFlag('keep-failed', f.keepFailed ?? env.LAYERWISE_JOBS_KEEP_FAILED, DEFAULT_RETENTION.failed),
      };
      const w = await startWorker(config, server, {
        retention,
        ...(f.pruneEvery ? { pruneEveryMs: durationFlag('prune-every', f.pruneEvery) } : {}),
        concurrency: intFlag('concurrency', f.concurrency, 1, 64),
        lockMs: intFlag('lock-ms', f.lockMs ?? process.env.LAYERWISE_WORKER_LOCK_MS ?? '30000', 500),
        itemPauseMs: intFlag('item-pause-ms', f.itemPauseMs ?? process.env.LAYERWISE_WORKER_ITEM_PAUSE_MS ?? '0', 0),
        ...(f.retrainEvery ? { retrainEveryMs: durationFlag('retrain-every', f.retrainEvery, 60_000) } : {}),
        ...(f.sweepEvery ? { sweepEveryMs: durationFlag('sweep-every', f.sweepEvery) } : {}),
        log: (line) => ctx.io.err(`layerwise worker: ${line}`),
      });
      ctx.io.out(
        `layerwise: worker ${w.name} ready (${w.store.dialect} store, Redis prefix ${config.redisPrefix}` +
          `${f.retrainEvery ? `, retrain every ${f.retrainEvery}` : ''}${f.sweepEvery ? `, sweep every ${f.sweepEvery}` : ''})`,
      );
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          ctx.io.err(`layerwise: worker ${signal}: finishing the running job`);
          w.close().then(done, done);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
};
