/**
 * bench/cluster (issue 17): what running as a cluster costs and gives on one machine — the built `layerwise serve`
 * replicas and `layerwise worker` processes started by the same launcher as `layerwise cluster`, on the local
 * PostgreSQL (schema `lw_bench_cluster`: the demo library, its shape vectors and an iALS model) and Redis (a fresh
 * key prefix per run).
 *   1. Recommendations, 1 vs 2 replicas, same run, alternating twice: closed loop (16 keep-alive connections dealt
 *      round-robin to the replicas, as a balancer would) → requests/s and p50/p99; open loop at a fixed rate
 *      (`--rate`, default 1,000 req/s) → p50/p99 from each request's due time; and the replicas' CPU time (user +
 *      system, /proc) per request served — on a 2-core machine that also runs the client, a second replica cannot add
 *      cores, so the figure to read is that CPU µs per request does not grow with the replica count.
 *   2. Embedding throughput, 1 vs 2 workers: the whole library re-embedded (`embed` jobs of 25 items with
 *      `recompute`), items/s from enqueue to the last job completed.
 *   3. Upload → searchable on every replica: uploads through one replica (alternating), time until `POST /v1/items`
 *      answered 201 and until both replicas find the item by text search and by shape (`similar?by=shape`).
 *
 *   npx tsc -p tsconfig.build.json                        # the CLI the processes run
 *   npx tsx bench/cluster/run.ts --prepare                # once (~2 min): the library into PostgreSQL
 *   flock -x /work/coord/quiet.lock flock /work/coord/bench.lock npx tsx bench/cluster/run.ts [--seconds 12] [--rate 1000] [--write]
 *
 * Env LAYERWISE_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), LAYERWISE_BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379). Uploads add items to the bench schema (unique boxes); `--prepare` starts over.
 * `--write` replaces the cluster section of bench/RESULTS.md.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type ClusterProcess, startCluster } from '../../src/app/cluster/launcher.js';
import { redisSettings } from '../../src/app/cluster/redis.js';
import { BullJobQueue } from '../../src/app/jobs/bullmq.js';
import { computeEmbeddings } from '../../src/app/shapes/embed.js';
import { trainFromStore } from '../../src/app/train/train.js';
import { Rng } from '../../src/core/rng.js';
import { runDemo } from '../../src/demo/index.js';
import { box } from '../../src/geometry/primitives.js';
import { encodeStlBinary } from '../../src/io/encode.js';
import { openPostgresStore } from '../../src/store/postgres.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const PG_URL = process.env.LAYERWISE_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.LAYERWISE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCHEMA = 'lw_bench_cluster';
const dbUrl = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${SCHEMA}`;
const LIBRARY = { items: 400, users: 4000, seed: 3 };
const ENCODER = 'descriptors';
const seconds = Number(flag('seconds') ?? 12);
const CONNECTIONS = 16;

async function prepare(): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists ${SCHEMA} cascade`);
  await c.end();
  const dir = mkdtempSync(join(tmpdir(), 'lw-bench-cluster-'));
  const t0 = performance.now();
  await runDemo({ dataDir: dir, databaseUrl: dbUrl }, { out: join(dir, 'demo'), ...LIBRARY });
  const store = await openPostgresStore(PG_URL, { schema: SCHEMA });
  await computeEmbeddings(store, dir, { encoder: ENCODER });
  await trainFromStore(store, { kinds: ['ials'], activate: true });
  const stats = await store.stats();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `prepared ${SCHEMA}: ${stats.items.total} items, ${stats.users} users, ${stats.events.total} events in ` +
      `${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

if (args.includes('--prepare')) {
  await prepare();
  process.exit(0);
}

// ---- the cluster ----
const store = await openPostgresStore(PG_URL, { schema: SCHEMA });
const stats = await store.stats();
if (stats.users === 0) throw new Error(`no library in schema ${SCHEMA}: run bench/cluster/run.ts --prepare first`);
const users: string[] = [];
for (let cursor: string | undefined; ; ) {
  const page = await store.listUsers(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
  users.push(...page.items.map((u) => u.id));
  cursor = page.nextCursor ?? undefined;
  if (cursor === undefined) break;
}
const itemIds: string[] = [];
for (let cursor: string | undefined; ; ) {
  const page = await store.listItems(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
  itemIds.push(...page.items.filter((i) => i.status === 'ready').map((i) => i.id));
  cursor = page.nextCursor ?? undefined;
  if (cursor === undefined) break;
}
const dir = mkdtempSync(join(tmpdir(), 'lw-bench-cluster-'));
const usersFile = join(dir, 'users.json');
writeFileSync(usersFile, JSON.stringify(users));
const prefix = `lwbench-cluster-${process.pid}`;
const loads: number[] = [];
const sampleLoad = setInterval(() => loads.push(loadavg()[0]!), 5000);
const tail: string[] = [];
const startT = performance.now();
const cluster = await startCluster({
  databaseUrl: dbUrl,
  redisUrl: REDIS_URL,
  redisPrefix: prefix,
  replicas: 2,
  workers: 1,
  dataDir: join(dir, 'cluster'),
  basePort: 0,
  env: { LAYERWISE_LOG_LEVEL: 'warn', LAYERWISE_SERVER_CONFIG: '{"rateLimit":{"max":0}}' },
  onLine: (name, line) => {
    tail.push(`[${name}] ${line}`);
    if (tail.length > 50) tail.shift();
  },
  readyTimeoutMs: 180_000,
});
const startupS = (performance.now() - startT) / 1000;
const urls = cluster.replicas.map((r) => r.url!);
const queue = await BullJobQueue.open(redisSettings(REDIS_URL, prefix), store);

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
function cpuSeconds(p: ClusterProcess): number {
  const stat = readFileSync(`/proc/${p.child.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

interface LoadResult {
  mode: string;
  seconds: number;
  done: number;
  errors: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  perBase: number[];
}

async function load(mode: 'closed' | 'open', bases: string[], level: number, secs: number, seed = 1) {
  const procs = [...cluster.replicas, ...cluster.workers];
  const before = procs.map(cpuSeconds);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      join(here, 'load.ts'),
      mode,
      bases.join(','),
      usersFile,
      String(level),
      String(secs),
      String(seed),
    ],
    { cwd: root, maxBuffer: 1 << 20 },
  );
  const after = procs.map(cpuSeconds);
  const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
  const replicaCpu = cluster.replicas.reduce((s, _, i) => s + after[i]! - before[i]!, 0);
  const workerCpu = cluster.workers.reduce((s, _, i) => {
    const j = cluster.replicas.length + i;
    return s + after[j]! - before[j]!;
  }, 0);
  return { ...r, replicas: bases.length, cpuUsPerRequest: (replicaCpu * 1e6) / Math.max(1, r.done), workerCpu };
}

// 1. recommendations
console.log(`cluster up in ${startupS.toFixed(1)} s; warming up both replicas`);
await load('closed', urls, CONNECTIONS, 10, 99);
const closed: Awaited<ReturnType<typeof load>>[] = [];
for (const round of [1, 2]) {
  for (const n of [1, 2]) {
    const r = await load('closed', urls.slice(0, n), CONNECTIONS, seconds, round * 10 + n);
    closed.push(r);
    console.log(
      `closed ${n} replica(s): ${r.rate.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms, ${r.cpuUsPerRequest.toFixed(0)} CPU µs/req`,
    );
  }
}
const rate = Number(flag('rate') ?? 1000);
const open: Awaited<ReturnType<typeof load>>[] = [];
for (const round of [1, 2]) {
  for (const n of [1, 2]) {
    const r = await load('open', urls.slice(0, n), rate, seconds, round * 100 + n);
    open.push(r);
    console.log(
      `open ${rate}/s ${n} replica(s): p99 ${r.p99.toFixed(1)} ms, ${r.cpuUsPerRequest.toFixed(0)} CPU µs/req`,
    );
  }
}

// 2. embedding throughput
async function embedAll(tag: string): Promise<{ workers: number; items: number; seconds: number; perS: number }> {
  const ids: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < itemIds.length; i += 25) {
    const id = `bench-embed-${tag}-${i / 25}`;
    ids.push(id);
    await queue.enqueue({ kind: 'embed', id, data: { itemIds: itemIds.slice(i, i + 25), recompute: true } });
  }
  for (;;) {
    const records = await Promise.all(ids.map((id) => store.getJobRecord(id)));
    const failed = records.find((r) => r?.state === 'failed');
    if (failed) throw new Error(`embed job ${failed.id} failed: ${failed.error}\n${tail.join('\n')}`);
    if (records.every((r) => r?.state === 'completed')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const s = (performance.now() - t0) / 1000;
  return { workers: workers.length, items: itemIds.length, seconds: s, perS: itemIds.length / s };
}
const workers = [...cluster.workers];
const embeds = [await embedAll(`${prefix}-w1`)];
workers.push(await cluster.addWorker());
embeds.push(await embedAll(`${prefix}-w2`));
for (const e of embeds) console.log(`embed ${e.workers} worker(s): ${e.perS.toFixed(1)} items/s`);

// 3. upload → searchable on every replica
const rng = new Rng(Date.now() % 1_000_000_007); // new boxes every run: the same bytes would be a 409
const uploads: { via: number; answered: number; everywhere: number }[] = [];
for (let i = 0; i < 10; i++) {
  const title = `benchupload${process.pid}x${i}`;
  const mesh = box([10 + rng.uniform(0, 80), 10 + rng.uniform(0, 80), 5 + rng.uniform(0, 40)]);
  const form = new FormData();
  form.append('title', title);
  form.append('file', new Blob([new Uint8Array(encodeStlBinary(mesh))]), `${title}.stl`);
  const via = i % urls.length;
  const t0 = performance.now();
  const res = await fetch(`${urls[via]}/v1/items`, { method: 'POST', body: form });
  const answered = performance.now() - t0;
  const body = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`upload ${i}: ${res.status} ${JSON.stringify(body)}`);
  const found = async (url: string) => {
    const s = await fetch(`${url}/v1/search?q=${title}&k=5`);
    const hits = s.status === 200 ? ((await s.json()) as { items: { itemId: string }[] }).items : [];
    if (!hits.some((h) => h.itemId === body.id)) return false;
    const sim = await fetch(`${url}/v1/items/${body.id}/similar?by=shape&k=3`);
    return sim.status === 200 && ((await sim.json()) as { items: unknown[] }).items.length > 0;
  };
  for (;;) {
    if ((await Promise.all(urls.map(found))).every(Boolean)) break;
    if (performance.now() - t0 > 30_000) throw new Error(`upload ${i} not searchable everywhere after 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
  uploads.push({ via, answered, everywhere: performance.now() - t0 });
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `upload → searchable everywhere: median ${med(uploads.map((u) => u.everywhere)).toFixed(0)} ms, ` +
    `max ${Math.max(...uploads.map((u) => u.everywhere)).toFixed(0)} ms`,
);

clearInterval(sampleLoad);
await queue.close();
await cluster.stop(5000);
await store.close();
rmSync(dir, { recursive: true, force: true });
const r = new Redis(REDIS_URL);
const keys = await r.keys(`${prefix}*`);
if (keys.length > 0) await r.del(...keys);
r.disconnect();

// ---- report ----
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const loadText = `${f1(Math.min(...loads))}–${f1(Math.max(...loads))} (1-min load average sampled every 5 s)`;
const lines = [
  '## Cluster: replicas, workers, upload to searchable (bench/cluster, issue 17)',
  '',
  `Command: \`npx tsc -p tsconfig.build.json && npx tsx bench/cluster/run.ts --prepare && flock -x /work/coord/quiet.lock flock /work/coord/bench.lock npx tsx bench/cluster/run.ts --seconds ${seconds} --rate ${rate} --write\`.`,
  `Run ${new Date().toISOString().slice(0, 16)}Z on the 2-core machine; load average during the run ${loadText}.`,
  `Library: the demo (${stats.items.total} items, ${stats.users} users, ${stats.events.total} events; \`descriptors\` shape`,
  'vectors; iALS active) in PostgreSQL, Redis local; each process started by the `layerwise cluster` launcher with its own',
  `data dir, request log at \`warn\`, per-address rate limit off (one client address). Cluster start-up ${f1(startupS)} s.`,
  'The load client runs in its own process on the same two cores; replicas are not pinned.',
  '',
  `**Recommendations** (\`GET /v1/users/:id/recommendations?k=10\`, random users), ${seconds} s per row, in run order.`,
  `Closed loop: ${CONNECTIONS} keep-alive connections dealt round-robin to the replicas. Open loop: ${rate} req/s (as in`,
  "bench/api's rows), latency from each request's due time. CPU µs/request: user + system time of all replicas",
  '(/proc) over the requests served; workers used ' +
    `${f1(Math.max(...[...closed, ...open].map((r) => r.workerCpu)))} s of CPU at most per row (idle).`,
  '',
  '| load | replicas | req/s | p50 ms | p99 ms | errors | replica CPU µs/request | requests per replica |',
  '|---|---|---|---|---|---|---|---|',
  ...[...closed, ...open].map(
    (r) =>
      `| ${r.mode === 'closed' ? `closed, ${CONNECTIONS} conns` : `open, ${rate}/s`} | ${r.replicas} | ${f0(r.rate)} | ` +
      `${f1(r.p50)} | ${f1(r.p99)} | ${r.errors} | ${f0(r.cpuUsPerRequest)} | ${r.perBase.join(' / ')} |`,
  ),
  '',
  `**Embedding throughput**: the ${itemIds.length} ready items re-embedded (\`embed\` jobs of 25 items, \`recompute\`),`,
  'from the first enqueue to the last job completed; the replicas reload the vectors they are told about meanwhile.',
  '',
  '| workers | items | seconds | items/s |',
  '|---|---|---|---|',
  ...embeds.map((e) => `| ${e.workers} | ${e.items} | ${f1(e.seconds)} | ${f1(e.perS)} |`),
  `| ratio 2 : 1 | | | ${(embeds[1]!.perS / embeds[0]!.perS).toFixed(2)}× |`,
  '',
  '**Upload → searchable on every replica** (10 uploads of a new box STL, alternating the replica that takes it; a worker',
  'runs the pipeline; "everywhere" = both replicas return it from text search and from `similar?by=shape`):',
  '',
  '| | median ms | max ms |',
  '|---|---|---|',
  `| POST /v1/items answered 201 | ${f0(med(uploads.map((u) => u.answered)))} | ${f0(Math.max(...uploads.map((u) => u.answered)))} |`,
  `| searchable on both replicas | ${f0(med(uploads.map((u) => u.everywhere)))} | ${f0(Math.max(...uploads.map((u) => u.everywhere)))} |`,
];
const markdown = lines.join('\n');
console.log(`\n${markdown}`);
if (args.includes('--write')) {
  const file = join(here, '../RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const re = /<!-- cluster:start -->[\s\S]*<!-- cluster:end -->/;
  const section = `<!-- cluster:start -->\n${markdown}\n<!-- cluster:end -->`;
  writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
}
process.exit(0);
