/**
 * `layerwise cluster --replicas 2 --workers 2 [--base-port 7070] [--data-dir D]`: a development launcher
 * (app/cluster/launcher.ts) — starts N `layerwise serve` replicas and M `layerwise worker` processes on this machine
 * against the PostgreSQL of LAYERWISE_DATABASE_URL and the Redis of LAYERWISE_REDIS_URL, each process with its own
 * data dir under D, prints their URLs, and stops them all on SIGINT/SIGTERM (or when one of them dies).
 */
import { startCluster } from '../../app/cluster/launcher.js';
import { loadConfig } from '../../app/config.js';
import { LayerwiseError } from '../../core/errors.js';
import { intFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface Flags {
  replicas: string;
  workers: string;
  basePort: string;
  dataDir?: string;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('cluster')
    .description(
      'start API replicas and job workers on this machine (needs LAYERWISE_DATABASE_URL, LAYERWISE_REDIS_URL)',
    )
    .option('--replicas <n>', 'API replicas (layerwise serve)', '2')
    .option('--workers <n>', 'job workers (layerwise worker)', '2')
    .option('--base-port <port>', "first replica's port; the others follow", '7070')
    .option('--data-dir <dir>', 'parent of the per-process data dirs (env LAYERWISE_DATA_DIR)')
    .action(async (f: Flags) => {
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      if (config.databaseUrl === null || config.redisUrl === null) {
        throw new LayerwiseError(
          'invalid_argument',
          'a cluster shares one PostgreSQL and one Redis: set LAYERWISE_DATABASE_URL=postgres://… and ' +
            'LAYERWISE_REDIS_URL=redis://… (see README, "Running as a cluster")',
        );
      }
      const cluster = await startCluster({
        databaseUrl: config.databaseUrl,
        redisUrl: config.redisUrl,
        redisPrefix: config.redisPrefix,
        replicas: intFlag('replicas', f.replicas, 0, 64),
        workers: intFlag('workers', f.workers, 0, 64),
        basePort: intFlag('base-port', f.basePort, 0, 65535),
        dataDir: config.dataDir,
        onLine: (name, line) => ctx.io.err(`[${name}] ${line}`),
      });
      ctx.io.out(
        `layerwise: cluster up: ${cluster.replicas.map((r) => `${r.name} ${r.url}`).join(', ')}; ` +
          `${cluster.workers.length} worker(s). Ctrl-C stops them all.`,
      );
      await new Promise<void>((done) => {
        let stopping = false;
        const stop = (why: string) => {
          if (stopping) return;
          stopping = true;
          ctx.io.err(`layerwise: cluster ${why}: stopping every process`);
          cluster.stop().then(done, done);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
        for (const p of [...cluster.replicas, ...cluster.workers]) {
          p.child.once('exit', (code, signal) => stop(`${p.name} exited (code ${code}, signal ${signal})`));
        }
      });
    });
};
