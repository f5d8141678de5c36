/**
 * bench/ingest: model-file ingest (files/s, MB/s) with 1 vs 2 worker threads (peer: 1 thread, and in-thread),
 * event import rows/s on SQLite and PostgreSQL (peer: reading + decoding the same file without storing it), and
 * peak RSS while importing a generated 10 M-row event file (generated streamed; RSS must stay flat).
 *
 *   npx tsc -p tsconfig.build.json && npx tsx bench/ingest/run.ts [--rows 10000000] [--rate-rows 1000000] [--no-pg]
 *
 * Imports the compiled modules from dist/ so that the real worker threads run. Appends its table to bench/RESULTS.md.
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ingestEvents, readLines } from '../../dist/app/ingest/events.js';
import { ingestModels } from '../../dist/app/ingest/models.js';
import { Rng } from '../../dist/core/rng.js';
import { createEventCodec } from '../../dist/io/events.js';
import { openPostgresStore } from '../../dist/store/postgres.js';
import { openSqliteStore } from '../../dist/store/sqlite.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const bigRows = arg('rows', 10_000_000);
const rateRows = arg('rate-rows', 1_000_000);
const withPg = !args.includes('--no-pg');
const PG_URL = process.env.LAYERWISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const shared = process.env.LAYERWISE_SHARED_DATA ?? resolve(root, '..', 'shared', 'data');
const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-ingest-'));
const lines: string[] = [];
const log = (s: string) => {
  console.log(s);
  lines.push(s);
};

/** Writes `n` CSV event rows with a power-law item popularity, honouring backpressure (constant memory). */
async function generateEvents(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  const rng = new Rng(7);
  const types = ['view', 'view', 'view', 'like', 'download', 'make', 'collect'];
  out.write('user,item,type,timestamp\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const user = Math.floor(200_000 * rng.next() ** 2);
    const item = Math.floor(50_000 * rng.next() ** 3);
    buf += `u${user},i${item},${types[rng.int(types.length)]},${1_600_000_000 + i}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function modelBench(thumbnails: boolean): Promise<void> {
  const paths = [join(shared, 'voron-stl'), join(shared, 'openscad-parametric')];
  const what = thumbnails
    ? 'model ingest + 256 px thumbnails, as `layerwise ingest models` does (voron-stl + openscad-parametric)'
    : 'model ingest, parse + printability report only (voron-stl + openscad-parametric)';
  log(`\n| ${what} | files | MB | seconds | files/s | MB/s | vs 1 worker |`);
  log('|---|---|---|---|---|---|---|');
  const best = new Map<number, { files: number; mb: number; s: number }>();
  for (let rep = 0; rep < 2; rep++) {
    for (const workers of [1, 2, 0]) {
      const name = `models-${workers}-${rep}-${thumbnails ? 't' : 'n'}`;
      const store = await openSqliteStore(join(tmp, `${name}.db`));
      const r = await ingestModels(store, paths, {
        workers,
        ...(thumbnails ? { thumbnailDir: join(tmp, name) } : {}),
      });
      await store.close();
      const prev = best.get(workers);
      if (!prev || r.seconds < prev.s) best.set(workers, { files: r.scanned, mb: r.bytes / 1e6, s: r.seconds });
    }
  }
  const one = best.get(1)!;
  for (const [workers, b] of [...best].sort((a, b) => b[0] - a[0])) {
    const label = workers === 0 ? 'in-thread (no workers)' : `${workers} worker thread${workers > 1 ? 's' : ''}`;
    log(
      `| ${label} | ${b.files} | ${b.mb.toFixed(1)} | ${b.s.toFixed(2)} | ${(b.files / b.s).toFixed(1)} | ` +
        `${(b.mb / b.s).toFixed(1)} | ${(one.s / b.s).toFixed(2)}× |`,
    );
  }
}

async function decodeOnly(file: string): Promise<void> {
  const codec = createEventCodec('csv');
  let n = 0;
  for await (const l of readLines(file)) codec(l, ++n);
}

/** Wall and CPU seconds of `fn` (CPU time is less disturbed by other load on a shared machine). */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t) / 1000, cpu: (c.user + c.system) / 1e6 };
}

async function eventBench(file: string): Promise<void> {
  log(
    `\n| event import (${rateRows.toLocaleString('en')} generated CSV rows) | wall s | rows/s | CPU s (this process) | vs decode only (wall) |`,
  );
  log('|---|---|---|---|---|');
  const dec = await timed(() => decodeOnly(file));
  const row = (label: string, t: { wall: number; cpu: number }) =>
    log(
      `| ${label} | ${t.wall.toFixed(2)} | ${Math.round(rateRows / t.wall).toLocaleString('en')} | ${t.cpu.toFixed(2)} | ` +
        `${(dec.wall / t.wall).toFixed(2)} |`,
    );
  row('read + decode only (peer)', dec);
  const sqlite = await openSqliteStore(join(tmp, 'events.db'));
  row('SQLite, new rows', await timed(() => ingestEvents(sqlite, file, { format: 'csv' })));
  row('SQLite, re-run (all duplicates)', await timed(() => ingestEvents(sqlite, file, { format: 'csv' })));
  await sqlite.close();
  if (withPg) {
    const schema = `lw_bench_${process.pid}`;
    const store = await openPostgresStore(PG_URL, { schema });
    try {
      row('PostgreSQL 15, new rows', await timed(() => ingestEvents(store, file, { format: 'csv' })));
      row('PostgreSQL 15, re-run (all duplicates)', await timed(() => ingestEvents(store, file, { format: 'csv' })));
    } finally {
      await store.close();
      const c = new pg.Client(PG_URL);
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  }
}

async function rssBench(file: string): Promise<void> {
  const store = await openSqliteStore(join(tmp, 'big.db'));
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  const base = process.memoryUsage().rss;
  const samples: { frac: number; rss: number }[] = [];
  let frac = 0;
  const timer = setInterval(() => samples.push({ frac, rss: process.memoryUsage().rss }), 200);
  const r = await ingestEvents(store, file, {
    format: 'csv',
    onProgress: (p) => {
      frac = p.totalBytes ? p.bytes / p.totalBytes : 0;
    },
  });
  clearInterval(timer);
  await store.close();
  const peak = (lo: number, hi: number) =>
    Math.max(0, ...samples.filter((s) => s.frac >= lo && s.frac < hi).map((s) => s.rss));
  log(
    `\n| ${(bigRows / 1e6).toLocaleString('en')} M-row import, SQLite (${(r.bytes / 1e6).toFixed(0)} MB file) | value |`,
  );
  log('|---|---|');
  log(
    `| rows | ${r.scanned.toLocaleString('en')} in ${r.seconds.toFixed(0)} s (${Math.round(r.scanned / r.seconds).toLocaleString('en')} rows/s) |`,
  );
  log(`| RSS before import | ${mb(base)} MiB |`);
  log(
    `| peak RSS, first 10 % / 10–50 % / 50–100 % of the file | ${mb(peak(0, 0.1))} / ${mb(peak(0.1, 0.5))} / ${mb(peak(0.5, 1.01))} MiB |`,
  );
}

async function main(): Promise<void> {
  log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load avg at start ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
  );
  await modelBench(false);
  await modelBench(true);
  const small = join(tmp, 'events-rate.csv');
  await generateEvents(small, rateRows);
  await eventBench(small);
  if (bigRows > 0) {
    const big = join(tmp, 'events-big.csv');
    await generateEvents(big, bigRows);
    await rssBench(big);
  }
  const cmd = `npx tsx bench/ingest/run.ts${args.length ? ` ${args.join(' ')}` : ''}`;
  const section = `\n## Ingest (bench/ingest)\n\nCommand: \`${cmd}\` (after \`npx tsc -p tsconfig.build.json\`), ${new Date().toISOString().slice(0, 16)}Z.\n\n${lines.join('\n')}\n`;
  const results = join(root, 'bench', 'RESULTS.md');
  const text = readFileSync(results, 'utf8');
  const start = text.indexOf('\n## Ingest (bench/ingest)');
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 5);
    writeFileSync(results, text.slice(0, start) + section + (next >= 0 ? text.slice(next) : ''));
  } else writeFileSync(results, text + section);
}

try {
  await main();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
