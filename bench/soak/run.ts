/**
 * Soak test (issue 15): an open-loop run of mixed traffic against the real server on the demo library, reporting per
 * minute the requests, errors, p50/p99 latency and the server's RSS. Open loop: request i is due at start + i / rate
 * whatever happened before, so a stall is charged to every request sent during it. The mix (seeded):
 * 55 % recommendations, 15 % similar items, 10 % text search, 19.8 % event batches (1–5 events), 0.2 % mesh uploads
 * (a fresh 2,000-triangle STL each, ~1 per second at 500 req/s).
 *
 *   npx tsx bench/soak/run.ts --data-dir D [--rate 500] [--minutes 10] [--seed 1] [--write]
 *
 * The data dir must hold a trained library (`layerwise demo && layerwise embed && layerwise train`); the server runs
 * in its own process (bench/api/server-child.ts: the real services and server, rate limit off). Target: 0 errors and
 * RSS growth < 10 % after the first (warm-up) minute. --write replaces the soak section of bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heavyStl } from '../../src/app/sandbox/hostile-meshes.js';
import { Rng } from '../../src/core/rng.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataDir = resolve(flag('data-dir') ?? '.layerwise');
const rate = Number(flag('rate') ?? 500);
const minutes = Number(flag('minutes') ?? 10);
const rng = new Rng(Number(flag('seed') ?? 1));

const store = await openSqliteStore(join(dataDir, 'layerwise.db'));
const users = (await store.listUsers({ limit: 10_000 })).items.map((u) => u.id);
const items = (await store.listItems({ limit: 10_000 })).items.filter((i) => i.status === 'ready').map((i) => i.id);
const words = [...new Set((await store.listItems({ limit: 2000 })).items.flatMap((i) => (i.title ?? '').split(/\W+/)))]
  .filter((w) => w.length > 3)
  .slice(0, 200);
await store.close();
if (users.length === 0 || items.length === 0) throw new Error(`no users or items in ${dataDir}; run layerwise demo`);

const child = spawn(process.execPath, ['--import', 'tsx', join(here, '../api/server-child.ts'), dataDir], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((ok, fail) => {
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const m = /PORT (\d+)/.exec(buf);
    if (m) ok(Number(m[1]));
  });
  child.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
});
const base = `http://127.0.0.1:${port}`;

const rssMb = (): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)]!;
const TYPES = ['view', 'view', 'view', 'like', 'download', 'collect', 'make'];
let uploads = 0;

function nextRequest(): { kind: string; run: () => Promise<Response> } {
  const r = rng.next();
  if (r < 0.55) {
    const u = encodeURIComponent(pick(users));
    return { kind: 'recommendations', run: () => fetch(`${base}/v1/users/${u}/recommendations?k=10`) };
  }
  if (r < 0.7) {
    const i = encodeURIComponent(pick(items));
    return { kind: 'similar', run: () => fetch(`${base}/v1/items/${i}/similar?k=10`) };
  }
  if (r < 0.8) {
    const q = encodeURIComponent(pick(words));
    return { kind: 'search', run: () => fetch(`${base}/v1/search?q=${q}&k=10`) };
  }
  if (r < 0.998) {
    const n = 1 + rng.int(5);
    const events = Array.from({ length: n }, () => ({ userId: pick(users), itemId: pick(items), type: pick(TYPES) }));
    const body = JSON.stringify({ events });
    return {
      kind: 'events',
      run: () => fetch(`${base}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
    };
  }
  const bytes = heavyStl(2000, 1000 + uploads++);
  return {
    kind: 'upload',
    run: () => {
      const form = new FormData();
      form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), `soak-${uploads}.stl`);
      form.set('title', `soak upload ${uploads}`);
      return fetch(`${base}/v1/items`, { method: 'POST', body: form });
    },
  };
}

interface Minute {
  minute: number;
  sent: number;
  errors: number;
  lat: number[];
  rss: number;
  load: number;
  errorKinds: Record<string, number>;
}
const buckets: Minute[] = [];
const bucket = (m: number): Minute => {
  while (buckets.length <= m) {
    buckets.push({ minute: buckets.length + 1, sent: 0, errors: 0, lat: [], rss: 0, load: 0, errorKinds: {} });
  }
  return buckets[m]!;
};

const total = Math.round(rate * minutes * 60);
const start = performance.now();
let sent = 0;
let done = 0;
const rssTimer = setInterval(() => {
  const b = bucket(Math.floor((performance.now() - start) / 60_000));
  b.rss = Math.max(b.rss, rssMb());
  b.load = loadavg()[0]!;
}, 1000);
await new Promise<void>((finish) => {
  const tick = (): void => {
    const now = performance.now();
    while (sent < total && start + (sent * 1000) / rate <= now) {
      const b = bucket(Math.floor((start + (sent * 1000) / rate - start) / 60_000));
      sent++;
      b.sent++;
      const req = nextRequest();
      const t0 = performance.now();
      req
        .run()
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status >= 400) throw new Error(`${res.status}`);
        })
        .then(
          () => b.lat.push(performance.now() - t0),
          (e: Error) => {
            b.errors++;
            const key = `${req.kind} ${e.message.slice(0, 40)}`;
            b.errorKinds[key] = (b.errorKinds[key] ?? 0) + 1;
          },
        )
        .finally(() => {
          if (++done === total) finish();
        });
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
});
clearInterval(rssTimer);
child.kill('SIGTERM');

const q = (xs: number[], p: number) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? Number.NaN;
};
const rows = buckets.map((b) => ({
  minute: b.minute,
  sent: b.sent,
  errors: b.errors,
  p50: q(b.lat, 0.5),
  p99: q(b.lat, 0.99),
  rss: b.rss,
  load: b.load,
  errorKinds: b.errorKinds,
}));
const warm = rows[0]?.rss ?? Number.NaN;
const last = rows.at(-1)?.rss ?? Number.NaN;
const growth = rows.length > 1 ? (last / (rows[1]?.rss ?? warm) - 1) * 100 : 0;
const errors = rows.reduce((a, r) => a + r.errors, 0);
const lines = [
  `| minute | requests | errors | p50 ms | p99 ms | server RSS MB | load (1 min) |`,
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.minute} | ${r.sent} | ${r.errors} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rss.toFixed(0)} | ${r.load.toFixed(1)} |`,
  ),
];
const summary =
  `${sent} requests at ${rate} req/s over ${minutes} min; ${errors} errors; ${uploads} uploads; ` +
  `RSS ${rows[1]?.rss.toFixed(0) ?? '?'} MB after the warm-up minute → ${last.toFixed(0)} MB at the end ` +
  `(${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %)`;
console.log(lines.join('\n'));
console.log(summary);
for (const r of rows) if (Object.keys(r.errorKinds).length > 0) console.log(`minute ${r.minute}:`, r.errorKinds);

if (args.includes('--write')) {
  const file = join(here, '../RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const section = [
    '<!-- soak:start -->',
    '## Soak (issue 15)',
    '',
    `\`npx tsx bench/soak/run.ts --data-dir <demo library> --rate ${rate} --minutes ${minutes} --write\` — open-loop ` +
      'mixed traffic (55 % recommendations, 15 % similar, 10 % search, 19.8 % event batches, 0.2 % uploads) ' +
      'against the real server in its own process, on the demo library (2,000 models, 2,000 users). The machine is ' +
      'shared (2 cores, ~8 agents working): the load column is the 1-minute load average during that minute; ' +
      "latency tails include other tenants' CPU use.",
    '',
    summary,
    '',
    ...lines,
    '<!-- soak:end -->',
  ].join('\n');
  const re = /<!-- soak:start -->[\s\S]*<!-- soak:end -->/;
  writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`);
}
process.exit(0);
