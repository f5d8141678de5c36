/**
 * API benchmark: throughput and p50/p99 latency of recommendations and similar items on a demo-sized library
 * (10k users, 5k items), fixed-rate latency at 1,000 req/s, and event ingestion rate — with autocannon against the
 * real server in a separate process. Peer (same run): a Fastify route in the same server that sends a
 * pre-serialised recommendations body, i.e. the framework's ceiling; ratios are ours / ceiling.
 *
 *   npx tsx bench/api/run.ts [--data-dir D] [--encoder E] [--duration 5] [--repeats 3] [--no-pin] [--write]
 *
 * On a machine with ≥ 2 cores and `taskset`, the server runs on core 0 and this process (the load generators) on
 * core 1, so the client neither takes the server's core nor adds its pauses to the server's tail — what a load
 * generator on another machine gives. The fixed-rate runs are repeated with both processes free to use both cores
 * (`unpinned` rows); --no-pin skips pinning altogether.
 * Without --data-dir a seeded synthetic library of the demo's size is built in a temp dir (bench/api/library.ts).
 * --write replaces the "API" section of bench/RESULTS.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadServerConfig } from '../../src/app/config.js';
import { createServices } from '../../src/app/serve/index.js';
import { Rng } from '../../src/core/rng.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { buildLibrary } from './library.js';
import type { OpenLoopResult } from './open-loop.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const duration = Number(flag('duration') ?? 5);
const repeats = Number(flag('repeats') ?? 3);
let dataDir = flag('data-dir');
const encoder = flag('encoder');
let tmp: string | undefined;

if (dataDir === undefined) {
  tmp = mkdtempSync(join(tmpdir(), 'layerwise-bench-api-'));
  dataDir = tmp;
  const t0 = performance.now();
  const store = await openSqliteStore(join(tmp, 'layerwise.db'));
  const { events } = await buildLibrary(store);
  await store.close();
  console.log(
    `synthetic library: 5000 items, 10000 users, ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
dataDir = resolve(dataDir);

const store = await openSqliteStore(join(dataDir, 'layerwise.db'));
const users: string[] = [];
for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
  const page = await store.listUsers(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
  users.push(...page.items.map((u) => u.id));
  cursor = page.nextCursor ?? undefined;
}
const items: string[] = [];
for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
  const page = await store.listItems(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
  items.push(...page.items.map((u) => u.id));
  cursor = page.nextCursor ?? undefined;
}
const eventsBefore = await store.countEvents();
await store.close();
console.log(`library: ${items.length} items, ${users.length} users, ${eventsBefore} events`);

/** Sets the CPU affinity of every thread of a process (`cores` as taskset takes it); false when not possible. */
function pin(pid: number, cores: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const t0 = performance.now();
// BENCH_SERVER_FLAGS (e.g. "--trace-gc") go to the server's node; its stdout is copied to BENCH_SERVER_LOG if set
const serverFlags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter((f) => f !== '');
const child = spawn(
  process.execPath,
  [...serverFlags, '--import', 'tsx', join(here, 'server-child.ts'), dataDir, ...(encoder ? [encoder] : [])],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const pinned = !args.includes('--no-pin') && cpus().length >= 2 && pin(child.pid!, '0') && pin(process.pid, '1');
console.log(pinned ? 'server pinned to core 0, load generators to core 1' : 'not pinned');
const port = await new Promise<number>((ok, fail) => {
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, d);
    if (buf.length > 1e5) return; // the port line is long past
    buf += d.toString();
    const m = /PORT (\d+)/.exec(buf);
    if (m) ok(Number(m[1]));
  });
  child.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
});
const startupS = (performance.now() - t0) / 1000;
const base = `http://127.0.0.1:${port}`;
console.log(`server up on ${base} in ${startupS.toFixed(1)} s`);

const rng = new Rng(1);
const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)]!;

interface Row {
  name: string;
  /** Server CPU (user + system) per request, µs: robust to other load on the machine. */
  cpuUs: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function run(name: string, opts: autocannon.Options, pathFn?: () => string, body?: () => string): Promise<Row> {
  const requests: autocannon.Request[] = [
    {
      method: opts.method ?? 'GET',
      ...(body ? { headers: { 'content-type': 'application/json' } } : {}),
      setupRequest: (req) => ({ ...req, ...(pathFn ? { path: pathFn() } : {}), ...(body ? { body: body() } : {}) }),
    },
  ];
  const cpu = async () => (await (await fetch(`${base}/bench/cpu`)).json()) as { user: number; system: number };
  const c0 = await cpu();
  const r = await autocannon({ connections: 10, duration, ...opts, requests });
  const c1 = await cpu();
  const row = {
    name,
    cpuUs: (c1.user + c1.system - c0.user - c0.system) / Math.max(1, r.requests.total),
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
  };
  console.log(
    `${name.padEnd(44)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ` +
      `cpu ${row.cpuUs.toFixed(0)} µs/req  errors ${row.errors}`,
  );
  return row;
}

const recPath = () => `/v1/users/${encodeURIComponent(pick(users))}/recommendations?k=10`;
await run('warm-up (recommendations)', { url: base, duration: 3 }, recPath);
const batch = 100;
const eventsBody = () =>
  JSON.stringify({
    events: Array.from({ length: batch }, () => ({ userId: pick(users), itemId: pick(items), type: 'view' })),
  });
const scenarios: [string, autocannon.Options, (() => string) | undefined, (() => string) | undefined][] = [
  ['peer: static JSON route, same server', { url: `${base}/bench/static` }, undefined, undefined],
  ['recommendations k=10 (explain), max rate', { url: base }, recPath, undefined],
  ['recommendations k=10 (explain), 1000 req/s', { url: base, overallRate: 1000 }, recPath, undefined],
  ['recommendations k=10 printer=prusa-mini, max', { url: base }, () => `${recPath()}&printer=prusa-mini`, undefined],
  [
    'similar k=10 by=behaviour, max rate',
    { url: base },
    () => `/v1/items/${pick(items)}/similar?k=10&by=behaviour`,
    undefined,
  ],
  [
    'similar k=10 by=hybrid, max rate',
    { url: base },
    () => `/v1/items/${pick(items)}/similar?k=10&by=hybrid`,
    undefined,
  ],
  [
    `events: POST batches of ${batch}`,
    { url: `${base}/v1/events`, method: 'POST', connections: 4 },
    undefined,
    eventsBody,
  ],
  [
    'events: POST single events',
    { url: `${base}/v1/events`, method: 'POST', connections: 4 },
    undefined,
    () => JSON.stringify({ events: [{ userId: pick(users), itemId: pick(items), type: 'like' }] }),
  ],
];
// scenarios interleaved round-robin, `repeats` times, so each sees the same background load; medians reported.
// Reads first, then writes: events change users' histories and so invalidate their cached candidates.
const samples: Row[][] = scenarios.map(() => []);
const usersFile = join(mkdtempSync(join(tmpdir(), 'layerwise-bench-users-')), 'users.json');
writeFileSync(usersFile, JSON.stringify(users));
let openSeed = 1;
/**
 * One open-loop run in its own process (bench/api/open-loop-child.ts), pinned to `cores` when given. It starts after
 * 3 s of quiet, so the garbage collector's catch-up after the scenario before (similar by=hybrid allocates heavily)
 * is not charged to this one.
 */
async function openLoopProcess(rate: number, cores: string | undefined): Promise<OpenLoopResult> {
  await new Promise((r) => setTimeout(r, 3000));
  const argv = ['--import', 'tsx', join(here, 'open-loop-child.ts'), base, usersFile, String(rate), String(duration)];
  argv.push(String(openSeed++));
  const p = cores
    ? spawn('taskset', ['-c', cores, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((ok) => p.on('exit', ok));
  if (code !== 0) throw new Error(`open-loop client exited with ${code}`);
  return JSON.parse(out) as OpenLoopResult;
}
const openRates = [500, 1000, 2000];
const open: OpenLoopResult[][] = openRates.map(() => []);
const unpinned: OpenLoopResult[] = [];
const logOpen = (label: string, o: OpenLoopResult): void =>
  console.log(
    `${label.padEnd(44)} p50 ${o.p50.toFixed(2)} ms  p99 ${o.p99.toFixed(2)} ms  p99.9 ${o.p999.toFixed(2)} ms  ` +
      `client lateness p99 ${o.lateP99.toFixed(2)} ms  errors ${o.errors}`,
  );
for (const [gi, group] of [scenarios.slice(0, 6), scenarios.slice(6)].entries()) {
  for (let r = 0; r < repeats; r++) {
    for (const [name, opts, path, body] of group) {
      samples[scenarios.findIndex((x) => x[0] === name)]!.push(await run(name, opts, path, body));
    }
    if (gi > 0) continue;
    // open loop (uniform arrivals) at fixed rates, in the same interleaving
    for (const [i, rate] of openRates.entries()) {
      const o = await openLoopProcess(rate, pinned ? '1' : undefined);
      open[i]!.push(o);
      logOpen(`recommendations open loop ${rate} req/s`, o);
    }
    if (pinned) {
      // the same at 1,000 req/s with client and server sharing both cores
      pin(child.pid!, '0-1');
      const o = await openLoopProcess(1000, undefined);
      unpinned.push(o);
      logOpen('recommendations open loop 1000 req/s, unpinned', o);
      pin(child.pid!, '0');
    }
  }
}
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const med = samples.map((rs) => ({
  name: rs[0]!.name,
  cpuUs: median(rs.map((r) => r.cpuUs)),
  rps: median(rs.map((r) => r.rps)),
  p50: median(rs.map((r) => r.p50)),
  p99: median(rs.map((r) => r.p99)),
  errors: rs.reduce((s, r) => s + r.errors, 0),
}));
const rows = med.slice(0, 6);
const ev = med[6]!;
const ev1 = med[7]!;
child.kill('SIGTERM');

// the service layer alone, in this process (no HTTP): per-call latency of recommendations, cold and cached
const inproc = await (async () => {
  const st = await openSqliteStore(join(dataDir, 'layerwise.db'));
  const cfg = loadServerConfig({ port: 0 }, {});
  const svc = await createServices(st, cfg, {
    dataDir,
    pollMs: 0,
    ...(encoder ? { shapeEncoder: encoder } : {}),
  });
  const sample = Array.from({ length: Math.min(2000, users.length) }, () => pick(users));
  const time = async (f: (u: string) => unknown): Promise<{ p50: number; p99: number }> => {
    const t: number[] = [];
    for (const u of sample) {
      const a = performance.now();
      await f(u); // a cold call reads the user's history from the store
      t.push((performance.now() - a) * 1000);
    }
    t.sort((x, y) => x - y);
    return { p50: t[Math.floor(t.length / 2)]!, p99: t[Math.floor(t.length * 0.99)]! };
  };
  const q = { k: 10, explain: true };
  const cold = await time((u) => svc.recommendations.forUser(u, q));
  const warm = await time((u) => svc.recommendations.forUser(u, q));
  await svc.close?.();
  return { cold, warm };
})();
if (tmp) rmSync(tmp, { recursive: true, force: true });
rmSync(dirname(usersFile), { recursive: true, force: true });

const peer = rows[0]!;
const table = [
  '| run | server CPU µs/req | CPU vs peer | req/s | p50 ms | p99 ms | errors | req/s vs peer |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.cpuUs.toFixed(0)} | ${(r.cpuUs / peer.cpuUs).toFixed(2)} | ${r.rps.toFixed(0)} | ${r.p50} | ` +
      `${r.p99} | ${r.errors} | ${(r.rps / peer.rps).toFixed(2)} |`,
  ),
  `| ${ev.name} | ${ev.cpuUs.toFixed(0)} | — | ${ev.rps.toFixed(0)} (= ${(ev.rps * batch).toFixed(0)} events/s) | ` +
    `${ev.p50} | ${ev.p99} | ${ev.errors} | — |`,
  `| ${ev1.name} | ${ev1.cpuUs.toFixed(0)} | — | ${ev1.rps.toFixed(0)} | ${ev1.p50} | ${ev1.p99} | ${ev1.errors} | — |`,
].join('\n');
const openRow = (label: string, rs: OpenLoopResult[]): string => {
  const m = (f: (o: OpenLoopResult) => number) => median(rs.map(f)).toFixed(2);
  const each = rs.map((o) => o.p99.toFixed(2)).join(', ');
  return (
    `| ${label} | ${m((o) => o.rate)} | ${m((o) => o.p50)} | ${m((o) => o.p99)} | ${each} | ${m((o) => o.p999)} | ` +
    `${m((o) => o.max)} | ${m((o) => o.lateP99)} | ${rs.reduce((s, o) => s + o.errors, 0)} |`
  );
};
const openTable = [
  '| recommendations k=10 (explain), open loop: uniform arrivals at a fixed rate | achieved req/s | p50 ms | p99 ms (median) | p99 ms of each repeat | p99.9 ms | max ms | client lateness p99 ms | errors |',
  '|---|---|---|---|---|---|---|---|---|',
  ...openRates.map((rate, i) => openRow(`${rate} req/s${pinned ? ' (server core 0, client core 1)' : ''}`, open[i]!)),
  ...(unpinned.length > 0 ? [openRow('1000 req/s, unpinned (both processes on both cores)', unpinned)] : []),
].join('\n');
const us = (x: number) => (x / 1000).toFixed(3);
const inprocTable = [
  '| service layer only (in-process, no HTTP), recommendations k=10 with reasons | p50 ms | p99 ms |',
  '|---|---|---|',
  `| first request of a user (scores the history with the model) | ${us(inproc.cold.p50)} | ${us(inproc.cold.p99)} |`,
  `| cached candidates (history and model unchanged) | ${us(inproc.warm.p50)} | ${us(inproc.warm.p99)} |`,
].join('\n');
const section = [
  '## API (bench/api)',
  '',
  `Command: \`npx tsx bench/api/run.ts ${args.join(' ')}\`${args.length ? '' : ' (synthetic demo-sized library)'} — ` +
    `${items.length} items, ${users.length} users, ${eventsBefore} events; server in its own process, autocannon ` +
    `(10 connections, ${duration} s per run, ${repeats} interleaved repeats, medians) in another, ${cpus().length} ` +
    `cores${pinned ? ' (server pinned to core 0, load generators to core 1)' : ''}, load average ${loadavg()[0]!.toFixed(1)} at the end; server start-up ${startupS.toFixed(1)} s. ` +
    'Peer: a route in the same Fastify server sending a pre-serialised recommendations body (framework ceiling). ' +
    'Users and items drawn at random per request; similar-item lists are cached per item after the first request. ' +
    'Server CPU per request (process.cpuUsage of the server over the run ÷ requests) is the figure least disturbed ' +
    'by other work on a shared machine; 1,000 µs of CPU per request = 1,000 req/s per core.',
  '',
  table,
  '',
  "autocannon's `overallRate` sends each connection's quota for a second back to back at the start of the second " +
    '(bursts of 10 concurrent requests); the open-loop generator (bench/api/open-loop.ts: raw keep-alive sockets, ' +
    'in a process of its own) sends request i at start + i / rate whatever the server does, which is what "p99 at ' +
    '1,000 req/s" means. Latency runs from the send; how late the client itself sent (its timer ticks) is the ' +
    'lateness column — the scheduling noise of the machine, not the server:',
  '',
  openTable,
  '',
  inprocTable,
  '',
].join('\n');
console.log(`\n${section}`);
if (args.includes('--write')) {
  // Replaces "## API (bench/api)" through the `<!-- api:end -->` marker; a hand-written reading placed after the
  // marker survives reruns. Without the marker, the section ends at the next heading or marker comment.
  const END = '<!-- api:end -->';
  const file = join(here, '..', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## API (bench/api)');
  const block = `${section}${END}\n`;
  let out: string;
  if (start < 0) out = `${text.trimEnd()}\n\n${block}`;
  else {
    const marker = text.indexOf(END, start);
    const ends = [text.indexOf('\n## ', start + 1), text.indexOf('\n<!--', start + 1)].filter((i) => i >= 0);
    const next = marker >= 0 ? marker + END.length + 1 : ends.length === 0 ? -1 : Math.min(...ends) + 1;
    out = text.slice(0, start) + block + (next < 0 ? '' : text.slice(next));
  }
  writeFileSync(file, out);
  console.log('wrote bench/RESULTS.md');
}
