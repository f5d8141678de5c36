/**
 * The benchmark's server process (a separate process, so autocannon and the server each get a core): opens the
 * store in the data dir, builds the real services and server, adds one peer route `/bench/static` that sends a
 * pre-serialised recommendations body (the framework ceiling) and `/bench/cpu` (the process' CPU time, so the
 * benchmark can report CPU per request — robust when the machine is shared), listens, and prints the port.
 */
import { buildServer } from '../../src/api/server.js';
import { loadServerConfig } from '../../src/app/config.js';
import { createServices } from '../../src/app/serve/index.js';
import { applyServingThreads } from '../../src/app/serve/threads.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const [dataDir, shapeEncoder] = process.argv.slice(2);
applyServingThreads(); // as `layerwise serve` does
const store = await openSqliteStore(`${dataDir}/layerwise.db`);
// logs at the server's default level (info: a JSON line per request, to this process' stdout) unless
// LAYERWISE_LOG_LEVEL says otherwise
const config = loadServerConfig(
  { port: 0, rateLimit: { max: 0 } },
  { LAYERWISE_LOG_LEVEL: process.env.LAYERWISE_LOG_LEVEL },
);
const services = await createServices(store, config, {
  dataDir: dataDir!,
  pollMs: 2000,
  ...(shapeEncoder ? { shapeEncoder } : {}),
});
const app = await buildServer(services, config);
const sample = JSON.stringify(await services.recommendations.forUser('user-1', { k: 10, explain: true }));
app.get('/bench/static', { config: { scope: 'public' } }, async (_req, reply) =>
  reply.header('content-type', 'application/json; charset=utf-8').send(sample),
);
app.get('/bench/cpu', { config: { scope: 'public' } }, async () => process.cpuUsage());
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
