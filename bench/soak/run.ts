/**
 * Soak test (issue 15): an open-loop run of mixed traffic against the real `layerwise serve` (built CLI, its own
 * process, the library's shape encoder embedding uploads) on a copy of a demo library, reporting per minute the
 * requests, errors, p50/p99/max latency (from each request's due time: no coordinated omission), the server's RSS
 * and CPU, and the machine's load. The mix (seeded): 55 % recommendations, 15 % similar items, 10 % text search,
 * 19.8 % event batches (1–5 events of known users on known items), 0.2 % uploads (a demo STL with a fresh header,
 * so each is a new item: ~1 per second at 500 req/s). Target: 0 errors and RSS growth < 10 % after the first
 * (warm-up) minute.
 *
 *   npx tsc -p tsconfig.build.json     # the CLI the server runs
 *   npx layerwise demo --data-dir D && npx layerwise embed --data-dir D && npx layerwise train --data-dir D
 *   npx tsx bench/soak/run.ts --data-dir D [--rate 500] [--minutes 10] [--seed 1] [--log-level info] [--write]
 *     [--cpu-prof DIR]   (the server writes a V8 CPU profile to DIR when it stops)
 *     [--uploads SHARE]  (the share of requests that are uploads, 0.002 by default; 0 separates a leak from the
 *                         catalogue growing; what it frees goes to event batches)
 *     [--node-args "…"]  (extra flags for the server's node, e.g. "--trace-gc"; split on spaces)
 *     [--server-log FILE] (the server's stdout and stderr go to FILE instead of being dropped / inherited)
 *
 * The data dir is copied to a temp dir first (the run writes events and items) and removed afterwards. The server
 * runs with the defaults of `layerwise serve` except the per-address rate limit, which is off
 * (`LAYERWISE_SERVER_CONFIG={"rateLimit":{"max":0}}`): all traffic comes from one address here, from many users in
 * production. Its request log (info, one JSON line per request) goes to /dev/null. --write replaces the soak
 * section of bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/rng.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { type LoadRequest, type Outcome, openLoop } from './open-loop.js';
import { type Minute, report } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const source = flag('data-dir');
if (source === undefined || !existsSync(join(source, 'layerwise.db'))) {
  throw new Error('--data-dir D: a demo library (layerwise demo, embed, train; see the header of this file)');
}
if (!existsSync(join(root, 'dist', 'cli', 'main.js')))
  throw new Error('build the CLI first: npx tsc -p tsconfig.build.json');
const rate = Number(flag('rate') ?? 500);
const minutes = Number(flag('minutes') ?? 10);
const seed = Number(flag('seed') ?? 1);
const logLevel = flag('log-level') ?? 'info';
/** --cpu-prof DIR: the server writes a V8 CPU profile there when it stops (for finding what a run spends time on). */
const cpuProf = flag('cpu-prof');
const uploadShare = Number(flag('uploads') ?? 0.002);
if (!(uploadShare >= 0 && uploadShare <= 0.2)) throw new Error('--uploads SHARE: a share between 0 and 0.2');
const nodeArgs = (flag('node-args') ?? '').split(' ').filter((a) => a.length > 0);
const serverLog = flag('server-log');
const rng = new Rng(seed);

// ---- the library: a private copy, and what the traffic draws from ----
const dataDir = mkdtempSync(join(tmpdir(), 'layerwise-soak-'));
// the store, blobs and model files; not the generated demo files (items read them where ingest found them)
const demoDir = join(resolve(source), 'demo');
cpSync(resolve(source), dataDir, { recursive: true, filter: (p) => p !== demoDir });
const store = await openSqliteStore(join(dataDir, 'layerwise.db'));
const users: string[] = [];
const items: { id: string; title: string }[] = [];
for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
  const page = await store.listUsers(cursor === undefined ? { limit: 500 } : { limit: 500, cursor });
  users.push(...page.items.map((u) => u.id));
  cursor = page.nextCursor ?? undefined;
}
for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
  const page = await store.listItems(cursor === undefined ? { limit: 500 } : { limit: 500, cursor });
  items.push(...page.items.filter((i) => i.status === 'ready').map((i) => ({ id: i.id, title: i.title ?? '' })));
  cursor = page.nextCursor ?? undefined;
}
const eventsAtStart = await store.countEvents();
await store.close();
const words = [...new Set(items.flatMap((i) => i.title.toLowerCase().split(/\W+/)))].filter((w) => w.length > 3);
const stlDir = join(demoDir, 'models');
const stls = existsSync(stlDir)
  ? readdirSync(stlDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.stl'))
      .slice(0, 200)
      .map((f) => ({ category: dirname(f), bytes: readFileSync(join(stlDir, f)) }))
  : [];
if (users.length === 0 || items.length === 0 || stls.length === 0) {
  throw new Error(`${source}: no users, items or demo STL files; build it with layerwise demo`);
}
const library = `${basename(resolve(source))}: ${items.length} items, ${users.length} users, ${eventsAtStart} events`;

// ---- the server: the built CLI ----
const port = await new Promise<number>((ok) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => ok(p));
  });
});
const logFd = serverLog === undefined ? -1 : openSync(resolve(serverLog), 'w');
const server = spawn(
  process.execPath,
  [
    ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProf)}`] : []),
    ...nodeArgs,
    join(root, 'bin', 'layerwise.js'),
    'serve',
    '--data-dir',
    dataDir,
    '--port',
    String(port),
  ],
  {
    stdio: serverLog === undefined ? ['ignore', 'ignore', 'inherit'] : ['ignore', logFd, logFd],
    env: {
      ...process.env,
      LAYERWISE_SERVER_CONFIG: JSON.stringify({ rateLimit: { max: 0 } }),
      LAYERWISE_LOG_LEVEL: logLevel,
    },
  },
);
const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
const t0 = performance.now();
for (;;) {
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
    (r) => r.status === 200,
    () => false,
  );
  if (ready) break;
  if (server.exitCode !== null) throw new Error(`layerwise serve exited with ${server.exitCode}`);
  if (performance.now() - t0 > 300_000) throw new Error('layerwise serve not ready after 300 s');
  await new Promise((r) => setTimeout(r, 250));
}
const startupS = (performance.now() - t0) / 1000;

const proc = (): { rssMb: number; cpuS: number; anonMb: number; fileMb: number } => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, in clock ticks (100 per s)
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rssMb: kb('VmRSS'), cpuS: ticks / 100, anonMb: kb('RssAnon'), fileMb: kb('RssFile') + kb('RssShmem') };
};
/** The server's V8 heap in use and its external memory (MB), from its Prometheus metrics. */
let heapNow = { heap: Number.NaN, external: Number.NaN };
const sampleHeap = async (): Promise<void> => {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name} ([\\d.e+]+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    heapNow = {
      heap: metric('nodejs_heap_size_used_bytes') / 2 ** 20,
      external: metric('nodejs_external_memory_bytes') / 2 ** 20,
    };
  } catch {
    // a busy server may not answer in time; the previous sample stands
  }
};

// ---- the traffic ----
const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
const TYPES = ['view', 'view', 'view', 'like', 'download', 'collect', 'make'];
const HOST = `Host: 127.0.0.1:${port}\r\n`;
const cache = new Map<string, Buffer>();
const get = (kind: string, path: string): LoadRequest => {
  let bytes = cache.get(path);
  if (bytes === undefined) {
    bytes = Buffer.from(`GET ${path} HTTP/1.1\r\n${HOST}\r\n`, 'latin1');
    cache.set(path, bytes);
  }
  return { kind, bytes };
};
const post = (kind: string, path: string, type: string, body: Buffer): LoadRequest => ({
  kind,
  bytes: Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\n${HOST}Content-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`),
    body,
  ]),
});
let uploads = 0;
function upload(): LoadRequest {
  const n = ++uploads;
  const stl = pick(stls);
  const bytes = Buffer.from(stl.bytes);
  bytes.fill(32, 0, 80).write(`layerwise soak upload ${n} seed ${seed}`, 0, 'latin1'); // new bytes: a new item
  const b = `soakBoundary${n}`;
  const body = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSoak upload ${n}\r\n`),
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="category"\r\n\r\n${stl.category}\r\n`),
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="soak-${n}.stl"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  return post('upload', '/v1/items', `multipart/form-data; boundary=${b}`, body);
}
function next(): LoadRequest {
  const r = rng.next();
  if (r < 0.55) return get('recommendations', `/v1/users/${encodeURIComponent(pick(users))}/recommendations?k=10`);
  if (r < 0.7) return get('similar', `/v1/items/${encodeURIComponent(pick(items).id)}/similar?k=10`);
  if (r < 0.8) return get('search', `/v1/search?q=${encodeURIComponent(pick(words))}&k=10`);
  if (r < 1 - uploadShare) {
    const events = Array.from({ length: 1 + rng.int(5) }, () => ({
      userId: pick(users),
      itemId: pick(items).id,
      type: pick(TYPES),
    }));
    return post('events', '/v1/events', 'application/json', Buffer.from(JSON.stringify({ events })));
  }
  return upload();
}

// ---- the run ----
const buckets: Minute[] = [];
const bucket = (m: number): Minute => {
  while (buckets.length <= m) {
    buckets.push({ minute: buckets.length + 1, lat: [], errors: 0, rss: Number.NaN, rssMax: 0, cpuS: 0, load: 0 });
  }
  return buckets[m]!;
};
const errorKinds = new Map<string, number>();
const byKind = new Map<string, number[]>();
const rssStart = proc().rssMb;
const runStart = performance.now();
let minuteNow = 0;
let cpuLast = proc().cpuS;
let cpuAtMinute = cpuLast;
const sampler = setInterval(() => {
  const m = Math.floor((performance.now() - runStart) / 60_000);
  if (m >= minutes) return;
  const p = proc();
  if (m !== minuteNow) {
    minuteNow = m;
    cpuAtMinute = cpuLast;
  }
  cpuLast = p.cpuS;
  const b = bucket(m);
  b.rss = p.rssMb; // the last sample of the minute is its end-of-minute RSS
  b.rssMax = Math.max(b.rssMax, p.rssMb);
  b.anon = p.anonMb;
  b.file = p.fileMb;
  b.heap = heapNow.heap;
  b.external = heapNow.external;
  if (Math.floor((performance.now() - runStart) / 1000) % 10 === 0) void sampleHeap();
  b.cpuS = p.cpuS - cpuAtMinute;
  b.load = loadavg()[0]!;
}, 1000);
const { sent } = await openLoop({
  host: '127.0.0.1',
  port,
  rate,
  durationS: minutes * 60,
  next,
  onOutcome: (o: Outcome) => {
    const b = bucket(Math.floor(o.due / 60_000));
    b.lat.push(o.latency);
    (byKind.get(o.kind) ?? byKind.set(o.kind, []).get(o.kind)!).push(o.latency);
    if (o.error !== undefined) {
      b.errors++;
      const key = `${o.kind}: ${o.error}`;
      errorKinds.set(key, (errorKinds.get(key) ?? 0) + 1);
    }
  },
});
clearInterval(sampler);
server.kill('SIGTERM');
const exitCode = await exited;
rmSync(dataDir, { recursive: true, force: true });

const out = report({
  rate,
  minutes,
  seed,
  sent,
  uploads,
  uploadShare,
  library,
  startupS,
  rssStart,
  buckets,
  byKind,
  errorKinds,
  logLevel,
  exitCode,
});
console.log(out.text);
if (args.includes('--write')) {
  const file = join(here, '../RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const re = /<!-- soak:start -->[\s\S]*<!-- soak:end -->/;
  const section = `<!-- soak:start -->\n${out.markdown}\n<!-- soak:end -->`;
  writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
}
process.exit(0);
