/**
 * `layerwise serve [--port 7070] [--host H] [--data-dir D] [--log-level L]`: the HTTP API (OpenAPI at /docs) over the
 * store in the data dir, and the web UI's static files at / when src/ui/web/dist exists; JSON logs on stdout. Without API keys (LAYERWISE_API_KEYS)
 * the API is open, so it listens on 127.0.0.1 only and says so. Stops cleanly on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../api/server.js';
import { connectRedisForRequests, redisSettings } from '../../app/cluster/redis.js';
import { effectiveHost, LOG_LEVELS, loadConfig, loadServerConfig } from '../../app/config.js';
import { createServices } from '../../app/serve/index.js';
import { applyServingMemory } from '../../app/serve/memory.js';
import { joinCluster } from '../../app/serve/replica.js';
import { applyServingThreads } from '../../app/serve/threads.js';
import { chooseShapeEncoder, loadShapeCheckpoint } from '../../app/shapes/embedder.js';
import { openStore, SQLITE_FILE } from '../../app/store.js';
import { LayerwiseError } from '../../core/errors.js';
import type { RegisterCommand } from './types.js';

interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  shapeEncoder?: string;
  logLevel?: string;
}

/** src/ui/web/dist from the package root (this file runs as dist/cli/commands/serve.js or from src/). */
function uiDist(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = resolve(here, '..', '..', '..', 'src', 'ui', 'web', 'dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('serve')
    .description('serve the HTTP API (OpenAPI docs at /docs) and the web UI')
    .option('--port <n>', 'TCP port (env LAYERWISE_PORT, default 7070)')
    .option('--host <host>', 'interface to bind (env LAYERWISE_HOST; forced to 127.0.0.1 without API keys)')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--shape-encoder <name>', 'embeddings used for shape similarity (default: the most complete set)')
    .option(
      '--log-level <level>',
      `JSON log on stdout: ${LOG_LEVELS.join(', ')} (env LAYERWISE_LOG_LEVEL, default info: a line per request)`,
    )
    .action(async (opts: ServeFlags) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
        throw new LayerwiseError('invalid_argument', `--port must be an integer 0–65535, got ${opts.port}`);
      }
      const config = loadConfig({ flags: { dataDir: opts.dataDir } });
      const flags: { port?: number; host?: string; logLevel?: string } = {};
      if (port !== undefined) flags.port = port;
      if (opts.host !== undefined) flags.host = opts.host;
      if (opts.logLevel !== undefined) flags.logLevel = opts.logLevel;
      const ui = uiDist();
      const serverConfig = loadServerConfig(ui ? { uiDir: ui } : {}, process.env, flags);
      const started = performance.now();
      applyServingThreads(); // small solves per request: BLAS threads would only spin (app/serve/threads.ts)
      const memory = applyServingMemory(serverConfig.memory); // RSS near the live data over hours (app/serve/memory.ts)
      // point reads of histories and items: a 16 MiB page cache (the OS caches the file) keeps resident memory flat
      const store = await openStore(config, { cacheKiB: 16_384 });
      const shapeEncoder = await chooseShapeEncoder(store, opts.shapeEncoder);
      // uploads are embedded in the mesh worker threads, which restore this checkpoint
      const shapeCheckpoint = await loadShapeCheckpoint(store, shapeEncoder);
      const services = await createServices(store, serverConfig, {
        dataDir: config.dataDir,
        ...(shapeEncoder ? { shapeEncoder } : {}),
        ...(shapeCheckpoint ? { shapeCheckpoint } : {}),
        // a SQLite store: API event batches are committed on a thread of their own (no fsync on the request thread)
        ...(config.databaseUrl ? {} : { eventCommitThread: { file: join(resolve(config.dataDir), SQLITE_FILE) } }),
      });
      // a cluster replica (LAYERWISE_REDIS_URL): uploads through workers, kept current by the others, shared limits
      const redis = config.redisUrl === null ? null : redisSettings(config.redisUrl, config.redisPrefix);
      const replica = redis ? await joinCluster(services, store, redis, { dataDir: config.dataDir }) : null;
      const limits = redis ? await connectRedisForRequests(redis) : null;
      const app = await buildServer(replica?.services ?? services, serverConfig, {
        ...(limits && redis ? { rateLimitRedis: { redis: limits, nameSpace: `${redis.prefix}:rate:` } } : {}),
      });
      app.addHook('onClose', async () => memory.stop());
      if (limits) app.addHook('onClose', async () => void (await limits.quit().catch(() => limits.disconnect())));
      const { host, openLocalOnly } = effectiveHost(serverConfig);
      const address = await app.listen({ port: serverConfig.port, host });
      memory.serving(); // the heap's growth setting once the state is loaded
      const g = services.health.gauges();
      ctx.io.out(
        `layerwise: serving ${g.items} items, model ${g.model?.id ?? 'none (popularity)'} ` +
          (redis ? `as a cluster replica (Redis prefix ${redis.prefix}) ` : '') +
          `at ${address} (${ui ? `web UI at ${address}/, ` : ''}API docs at ${address}/docs); ready in ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s` +
          (g.startup && Object.keys(g.startup).length > 0
            ? ` (${Object.entries(g.startup)
                .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
                .join(', ')})`
            : ''),
      );
      if (openLocalOnly) {
        ctx.io.err(
          'layerwise: no API keys configured (LAYERWISE_API_KEYS=read:K1,write:K2,admin:K3): the API is open, ' +
            'so it listens on 127.0.0.1 only',
        );
      }
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          ctx.io.err(`layerwise: ${signal}: closing`);
          app.close().then(done, done);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
};
