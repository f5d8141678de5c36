/**
 * bench/scale serve: `layerwise serve` on a scale library (bench/scale/run.ts or `demo --scale` + ingest + train)
 * measured from outside — start-up time to a healthy /healthz, resident memory, then recommendations with reasons
 * (`explain=true`, k = 10, a random user of the store per request) at a fixed rate by an open-loop generator
 * (bench/api/open-loop.ts), with /healthz probed at 20 req/s at the same time: p50/p99 of both, errors, the server's
 * CPU seconds. Two phases: right after start-up, then again (steady state). `--bin` picks the CLI build, so the
 * same script measures a build before a change and after it on the same store.
 *
 *   npx tsx bench/scale/serve.ts --data-dir /path/to/data --label after [--bin bin/layerwise.js] [--rate 200]
 *     [--skew 0]   (users drawn uniformly — nearly every request a user the server has not seen — or, with s > 0,
 *                   Zipf(s) over a shuffled user list: a site's mix of returning and new visitors)
 *     [--duration 20] [--phases 2] [--node-args "--cpu-prof --cpu-prof-dir=DIR"]
 *     [--server-log FILE]
 *     [--server-config JSON]  (server settings merged over the bench's, e.g. '{"memory":{"heapGrowthPercent":0}}')
 *     [--route healthz]  (the load at --rate is /healthz instead of recommendations: the floor of a request on this
 *                         server and machine)
 * Appends one JSON line per phase to bench/scale/serve-results.jsonl.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Rng } from '../../src/core/rng.js';
import { openLoop } from '../api/open-loop.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback?: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dataDir = resolve(flag('data-dir') ?? '.layerwise');
const bin = resolve(flag('bin', join(import.meta.dirname, '..', '..', 'bin', 'layerwise.js'))!);
const label = flag('label', 'run')!;
const skew = Number(flag('skew', '0'));
const rate = Number(flag('rate', '200'));
const durationS = Number(flag('duration', '20'));
const phases = Number(flag('phases', '2'));
// extra node flags for the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), split on spaces
const nodeArgs = (flag('node-args') ?? '').split(' ').filter((a) => a !== '');
const serverConfig = { rateLimit: { max: 0 }, ...(JSON.parse(flag('server-config') ?? '{}') as object) };
const route = flag('route', 'recommendations')!;
if (route !== 'recommendations' && route !== 'healthz') throw new Error('--route: recommendations or healthz');
const out = join(import.meta.dirname, 'serve-results.jsonl');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// read-only and without migrations: the store may belong to an older build (the "before" run)
const db = new Database(join(dataDir, 'layerwise.db'), { readonly: true });
const users = (db.prepare('select id from users order by id').raw(true).all() as [string][]).map((r) => r[0]);
const events = (db.prepare('select max(seq) from events').raw(true).get() as [number])[0];
const items = (db.prepare("select count(*) from items where status <> 'removed'").raw(true).get() as [number])[0];
db.close();

function proc(pid: number): { rssMb: number; hwmMb: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, cpuS: ticks / 100 };
}

const port = 21_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
const t0 = performance.now();
// the load comes from one address: the per-address rate limit (on by default) would answer most of it with 429
const child: ChildProcess = spawn('node', [...nodeArgs, bin, 'serve', '--port', String(port), '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    LAYERWISE_SERVER_CONFIG: JSON.stringify(serverConfig),
    LAYERWISE_LOG_LEVEL: process.env.LAYERWISE_LOG_LEVEL ?? 'warn',
  },
});
let said = '';
// --server-log FILE keeps everything the server prints (e.g. with --node-args --trace-gc)
const serverLog = flag('server-log');
const heard = (d: Buffer) => {
  if (serverLog !== undefined) appendFileSync(serverLog, d);
  else said += d.toString();
};
child.stdout!.on('data', heard);
child.stderr!.on('data', heard);
try {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${said}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const startup = (performance.now() - t0) / 1000;
  const atStart = proc(child.pid!);
  console.log(
    `${label}: healthy after ${startup.toFixed(1)} s (${atStart.cpuS.toFixed(1)} CPU s), RSS ${atStart.rssMb.toFixed(0)} MB (${said.trim()})`,
  );
  const rng = new Rng(7);
  const pickUser = userPicker(users.length, skew, rng);
  for (let phase = 1; phase <= phases; phase++) {
    const before = proc(child.pid!);
    const recPath =
      route === 'healthz' ? () => '/healthz' : () => `/v1/users/${users[pickUser()]}/recommendations?k=10&explain=true`;
    const [recs, health] = await Promise.all([
      openLoop(base, recPath, { rate, durationS }),
      openLoop(base, () => '/healthz', { rate: 20, durationS }),
    ]);
    const after = proc(child.pid!);
    const row = {
      label,
      route,
      serverConfig,
      skew,
      phase,
      events,
      items,
      users: users.length,
      startupS: startup,
      startupCpuS: atStart.cpuS,
      rssAtStartMb: atStart.rssMb,
      rssMb: after.rssMb,
      peakRssMb: after.hwmMb,
      rate,
      achieved: recs.rate,
      recP50: recs.p50,
      recP99: recs.p99,
      recP999: recs.p999,
      recErrors: recs.errors,
      clientLateP99: recs.lateP99,
      healthP50: health.p50,
      healthP99: health.p99,
      serverCpuS: after.cpuS - before.cpuS,
      load: load(),
      at: new Date().toISOString(),
    };
    console.log(JSON.stringify(row));
    appendFileSync(out, `${JSON.stringify(row)}\n`);
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** Uniform (s = 0) or Zipf(s) draws of user positions; Zipf ranks are a seeded shuffle of the users. */
function userPicker(n: number, s: number, rng: Rng): () => number {
  if (!(s > 0)) return () => rng.int(n);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / (r + 1) ** s;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return () => {
    const u = rng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return perm[lo]!;
  };
}
