/**
 * bench/scale/ingest: bulk event import of a `demo --scale` library into SQLite and PostgreSQL — new rows, the
 * catalogue ingested first, `--unknown-items reject` as bench/scale/run.ts uses — with the parser on a worker thread
 * (the shipped path; on PostgreSQL four batches in flight, commits without waiting for WAL flush) against the same import parsed in-thread with one batch
 * at a time (peer, same run). Each import starts from a fresh
 * store; the event file is read once beforehand so it is in the page cache. Reports rows/s wall and rows per
 * CPU-second (this process, all threads; for PostgreSQL also the server's CPU: every `postgres` process on the
 * machine, so other jobs' queries count too), and the load average.
 *
 *   npx tsc -p tsconfig.build.json && npx tsx bench/scale/ingest.ts 10000000 [--no-pg | --pg-only] [--no-peer]
 *     [--pg-variants 2:sync,3:async,...]   (PostgreSQL worker-thread runs: batches in flight, commit mode)
 *     [--batch 50000]   (rows per batch)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const root = join(import.meta.dirname, '..', '..');
const dist = (p: string) => join(root, 'dist', p);
const { ingestEvents } = await import(dist('app/ingest/events.js'));
const { ingestItemsFile } = await import(dist('app/ingest/items.js'));
const { openSqliteStore } = await import(dist('store/sqlite.js'));
const { openPostgresStore } = await import(dist('store/postgres.js'));

const args = process.argv.slice(2);
const events = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000_000);
const withPg = !args.includes('--no-pg');
const withPeer = !args.includes('--no-peer');
const pgOnly = args.includes('--pg-only');
const batchSize = args.includes('--batch') ? Number(args[args.indexOf('--batch') + 1]) : undefined;
const variantArg = args[args.indexOf('--pg-variants') + 1];
/** PostgreSQL worker-thread variants: batches in flight and commit mode (undefined: the shipped defaults). */
const pgVariants: ({ inFlight: number; asyncCommit: boolean } | undefined)[] = args.includes('--pg-variants')
  ? variantArg!.split(',').map((v) => {
      const [n, mode] = v.split(':');
      return { inFlight: Number(n), asyncCommit: mode === 'async' };
    })
  : [undefined];
const PG_URL = process.env.LAYERWISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const items = Math.min(1_000_000, Math.max(10_000, events / 100));
const dir = `/tmp/scale-ingest-${events}`;
const files = join(dir, 'demo');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** CPU seconds of every `postgres` process (server side of the PostgreSQL import). */
function pgServerCpu(): number {
  const tick = 100;
  let t = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'postgres') continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      t += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      // exited meanwhile
    }
  }
  return t;
}

if (!existsSync(join(files, 'events.csv'))) {
  mkdirSync(dir, { recursive: true });
  const g = spawnSync(
    'node',
    [join(root, 'bin', 'layerwise.js'), 'demo', '--scale', '--items', String(items), '--events', String(events)].concat(
      ['--out', files, '--no-ingest', '--no-progress', '--data-dir', join(dir, 'unused')],
    ),
    { stdio: 'inherit' },
  );
  if (g.status !== 0) throw new Error('demo --scale failed');
}
const eventFile = join(files, 'events.csv');
readFileSync(eventFile); // into the page cache

interface Store {
  close(): Promise<void>;
}

async function one(
  dialect: 'sqlite' | 'postgres',
  threads: number,
  variant?: { inFlight: number; asyncCommit: boolean },
): Promise<void> {
  let store: Store;
  const schema = `lw_bench_ingest_${process.pid}_${threads}`;
  const data = join(dir, `data-${dialect}-${threads}`);
  if (dialect === 'sqlite') {
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { recursive: true });
    store = await openSqliteStore(join(data, 'layerwise.db'));
  } else store = await openPostgresStore(PG_URL, { schema });
  try {
    await ingestItemsFile(store, join(files, 'items.jsonl'));
    const l0 = load();
    const c0 = process.cpuUsage();
    const s0 = dialect === 'postgres' ? pgServerCpu() : 0;
    const t0 = performance.now();
    const r = await ingestEvents(store, eventFile, {
      format: 'csv',
      unknownItems: 'reject',
      threads,
      ...(threads === 0 ? { inFlight: 1 } : {}),
      ...(variant ?? {}),
      ...(batchSize ? { batchSize } : {}),
    });
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const server = dialect === 'postgres' ? pgServerCpu() - s0 : 0;
    if (r.added !== events) throw new Error(`expected ${events} new rows, got ${JSON.stringify(r)}`);
    const perCpu = events / (cpu + server);
    console.log(
      JSON.stringify({
        events,
        items,
        dialect,
        parser: threads > 0 ? 'worker thread' : 'in-thread, one batch at a time (peer)',
        ...(variant ? { inFlight: variant.inFlight, commit: variant.asyncCommit ? 'async' : 'sync' } : {}),
        wall: +wall.toFixed(1),
        rowsPerSecond: Math.round(events / wall),
        cpuClient: +cpu.toFixed(1),
        cpuServer: +server.toFixed(1),
        rowsPerCpuSecond: Math.round(perCpu),
        load: `${l0} → ${load()}`,
        at: new Date().toISOString(),
      }),
    );
  } finally {
    await store.close();
    if (dialect === 'sqlite') rmSync(data, { recursive: true, force: true });
    else {
      const c = new pg.Client(PG_URL);
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  }
}

const dialects = pgOnly ? (['postgres'] as const) : withPg ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
for (const dialect of dialects) {
  for (const v of dialect === 'postgres' ? pgVariants : [undefined]) await one(dialect, 1, v);
  if (withPeer) await one(dialect, 0);
}
