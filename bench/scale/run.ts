/**
 * bench/scale: the whole single-machine pipeline at growing sizes — demo --scale → ingest items → ingest events →
 * train (pop + iALS, sampled validation) → serve start-up (time to a healthy /healthz, RSS, one recommendation) —
 * each stage a child process of the built CLI measured by /usr/bin/time (wall, user+sys CPU, peak RSS). Prints one
 * JSON line per stage and appends them to bench/scale/results.jsonl; `report.ts` turns that file into the
 * RESULTS.md table and the log–log SVG.
 *
 *   npx tsc -p tsconfig.build.json && npx tsx bench/scale/run.ts 1000000 [10000000 …] [--from train]
 *   LAYERWISE_DATABASE_URL=postgres://… npx tsx bench/scale/run.ts 10000000   (the PostgreSQL row)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'layerwise.js');
const out = join(import.meta.dirname, 'results.jsonl');
const dialect = process.env.LAYERWISE_DATABASE_URL ? 'postgres' : 'sqlite';
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Row {
  events: number;
  items: number;
  dialect: string;
  stage: string;
  wall: number;
  cpu: number;
  rssMb: number;
  note?: string;
  load: string;
  at: string;
}

function record(r: Omit<Row, 'load' | 'at'>): void {
  const row: Row = { ...r, load: load(), at: new Date().toISOString() };
  console.log(JSON.stringify(row));
  appendFileSync(out, `${JSON.stringify(row)}\n`);
}

/**
 * Runs the CLI under /usr/bin/time; returns the measurements and the command's stdout. Its stderr (progress lines
 * with RSS) goes to `<log>` as it runs, so a long stage can be followed with `tail -f`.
 */
function timed(args: string[], log: string): { wall: number; cpu: number; rssMb: number; stdout: string } {
  const fd = openSync(log, 'w');
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', 'node', bin, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', fd],
  });
  closeSync(fd);
  const stderr = readFileSync(log, 'utf8');
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
  if (r.status !== 0 || !m) throw new Error(`layerwise ${args.join(' ')} failed (${r.status}): ${stderr.slice(-2000)}`);
  return { wall: +m[1]!, cpu: +m[2]! + +m[3]!, rssMb: +m[4]! / 1024, stdout: r.stdout };
}

async function serveStartup(dataDir: string): Promise<{ wall: number; rssMb: number; note: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const t0 = performance.now();
  const child: ChildProcess = spawn('node', [bin, 'serve', '--port', String(port), '--data-dir', dataDir], {
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const wall = (performance.now() - t0) / 1000;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssMb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    const t1 = performance.now();
    const rec = await fetch(`http://127.0.0.1:${port}/v1/users/u00001/recommendations?limit=10`);
    const note = `first recommendation HTTP ${rec.status} in ${(performance.now() - t1).toFixed(0)} ms`;
    return { wall, rssMb, note };
  } finally {
    child.kill('SIGTERM');
  }
}

// --from <stage>: start at demo (default) | items | events | train | serve, reusing the folder an earlier run left
const argv = process.argv.slice(2);
const fromAt = argv.indexOf('--from');
const STAGES = ['demo', 'items', 'events', 'train', 'serve'];
const from = fromAt >= 0 ? STAGES.indexOf(argv[fromAt + 1]!) : 0;
if (from < 0) throw new Error(`--from takes one of ${STAGES.join(', ')}`);
const runs = argv.filter((a, i) => /^\d+$/.test(a) && (fromAt < 0 || i !== fromAt + 1));
const does = (stage: string) => STAGES.indexOf(stage) >= from;

for (const arg of runs) {
  const events = Number(arg);
  const items = Math.min(1_000_000, Math.max(10_000, events / 100));
  const dir = `/tmp/scale-bench-${events}`;
  if (from === 0) rmSync(dir, { recursive: true, force: true });
  else if (from === 1) rmSync(join(dir, 'data'), { recursive: true, force: true }); // a fresh store, same files
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  const files = join(dir, 'demo');
  const base = { events, items, dialect };
  const log = (stage: string) => join(dir, `${stage}.log`);
  if (does('demo')) {
    const g = timed(
      [
        'demo',
        '--scale',
        '--items',
        String(items),
        '--events',
        String(events),
        '--out',
        files,
        '--no-ingest',
        '--no-progress',
        '--data-dir',
        data,
      ],
      log('demo'),
    );
    record({ ...base, stage: 'demo --scale', wall: g.wall, cpu: g.cpu, rssMb: g.rssMb });
  }
  if (does('items')) {
    const it = timed(
      ['ingest', 'items', join(files, 'items.jsonl'), '--data-dir', data, '--no-progress'],
      log('items'),
    );
    record({ ...base, stage: 'ingest items', wall: it.wall, cpu: it.cpu, rssMb: it.rssMb, note: it.stdout.trim() });
  }
  if (does('events')) {
    const ev = timed(
      ['ingest', 'events', join(files, 'events.csv'), '--unknown-items', 'reject', '--data-dir', data, '--no-progress'],
      log('events'),
    );
    const note = `${Math.round(events / ev.wall)} rows/s wall, ${Math.round(events / ev.cpu)} rows per CPU-second`;
    record({ ...base, stage: 'ingest events', wall: ev.wall, cpu: ev.cpu, rssMb: ev.rssMb, note });
  }
  if (does('train')) {
    const tr = timed(
      ['train', '--models', 'pop,ials', '--validation-users', '2000', '--item-features', 'none', '--data-dir', data],
      log('train'),
    );
    const note = tr.stdout.trim().replace(/\n/g, '; ');
    record({ ...base, stage: 'train pop,ials', wall: tr.wall, cpu: tr.cpu, rssMb: tr.rssMb, note });
  }
  const sv = await serveStartup(data);
  record({ ...base, stage: 'serve start-up', wall: sv.wall, cpu: Number.NaN, rssMb: sv.rssMb, note: sv.note });
}
