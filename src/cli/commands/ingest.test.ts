/**
 * `layerwise ingest` / `stats` through the built CLI (`node bin/layerwise.js`): the real worker-thread path, and
 * kill -9 at a random moment followed by a re-run, compared row by row with an uninterrupted run.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath, hasData, repoRoot } from '../../../test/data.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-cli-ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bin = join(repoRoot, 'bin', 'layerwise.js');

function newestMtime(path: string, only?: RegExp): number {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let m = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) m = Math.max(m, newestMtime(p, only));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && (!only || only.test(e.name))) {
      m = Math.max(m, statSync(p).mtimeMs);
    }
  }
  return m;
}

/** Builds dist/ when a source the ingest CLI depends on is newer than its compiled worker (CI builds first). */
async function ensureBuilt(): Promise<void> {
  const src = (...p: string[]) => join(repoRoot, 'src', ...p);
  const worker = join(repoRoot, 'dist', 'app', 'ingest', 'worker.js');
  const newest = Math.max(
    ...['store', 'io', 'geometry', 'core', 'cli'].map((d) => newestMtime(src(d))),
    newestMtime(src('app', 'ingest')),
    newestMtime(src('app'), /^(config|store)\.ts$/),
  );
  if (existsSync(worker) && newest <= statSync(worker).mtimeMs) return;
  // tsc emits even when other files have type errors; the runs below fail if the emit is unusable.
  await run('npx', ['tsc', '-p', 'tsconfig.build.json']).catch(() => undefined);
}

const run = promisify(execFile);

async function cli(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run('node', [bin, ...args], { cwd: repoRoot, encoding: 'utf8', ...(env ? { env } : {}) });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

function rows(dataDir: string, sql: string): unknown[] {
  const db = new Database(join(dataDir, 'layerwise.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function count(dataDir: string, table: string): number {
  if (!existsSync(join(dataDir, 'layerwise.db'))) return 0;
  try {
    return (rows(dataDir, `select count(*) as n from ${table}`)[0] as { n: number }).n;
  } catch {
    return 0; // schema not created yet
  }
}

/** Starts the CLI and SIGKILLs it once `table` has at least one row (i.e. mid-ingest). */
async function killMidway(args: string[], dataDir: string, table: string): Promise<number> {
  const child: ChildProcess = spawn('node', [bin, ...args], { cwd: repoRoot, stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let killedAt = -1;
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 25 + Math.floor(Math.random() * 25)));
    const n = count(dataDir, table);
    if (n > 0) {
      child.kill('SIGKILL');
      killedAt = n;
      break;
    }
  }
  await exited;
  return killedAt;
}

const ITEM_ROWS =
  'select id, status, file_hash, path, format, size_bytes, report, error, title, tags, license from items order by id';
const EVENT_ROWS = 'select user_id, item_id, type, weight, value, ts from events order by user_id, ts, item_id';

describe('layerwise ingest (built CLI)', () => {
  beforeAll(ensureBuilt, 300_000);

  it.runIf(hasData('voron-stl'))(
    'ingests with 2 worker threads; kill -9 mid-run then re-run equals an uninterrupted run',
    async () => {
      const src = dataPath('voron-stl');
      const total = readdirSync(src, { recursive: true }).filter((f) =>
        String(f).toLowerCase().endsWith('.stl'),
      ).length;
      const full = join(tmp, 'full');
      const r = await cli(['ingest', 'models', src, '--data-dir', full, '--workers', '2', '--no-progress']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(
        new RegExp(`scanned ${total}: \\d+ added, 0 updated, \\d+ unchanged, 0 failed .*2 worker threads`),
      );

      const killed = join(tmp, 'killed');
      const at = await killMidway(['ingest', 'models', src, '--data-dir', killed, '--workers', '2'], killed, 'items');
      expect(at).toBeGreaterThan(0);
      const partial = count(killed, 'items');
      expect(partial).toBeLessThan(count(full, 'items'));
      const again = await cli(['ingest', 'models', src, '--data-dir', killed, '--json']);
      expect(again.code).toBe(0);
      const summary = JSON.parse(again.out);
      expect(summary).toMatchObject({ scanned: total, failed: 0, errors: [] });
      expect(summary.unchanged).toBeGreaterThanOrEqual(partial);
      expect(rows(killed, ITEM_ROWS)).toEqual(rows(full, ITEM_ROWS));
      const rerun = JSON.parse((await cli(['ingest', 'models', src, '--data-dir', killed, '--json'])).out);
      expect(rerun).toMatchObject({ added: 0, updated: 0, unchanged: total });
    },
  );

  it.runIf(hasData('movielens-100k'))(
    'imports events; kill -9 mid-import then re-run equals an uninterrupted run',
    async () => {
      const file = dataPath('movielens-100k', 'u.data');
      const full = join(tmp, 'ev-full');
      const r = await cli(['ingest', 'events', file, '--format', 'movielens', '--data-dir', full, '--json']);
      expect(JSON.parse(r.out)).toMatchObject({ scanned: 100_000, added: 100_000, failed: 0 });
      const killed = join(tmp, 'ev-killed');
      const args = ['ingest', 'events', file, '--format', 'movielens', '--data-dir', killed];
      expect(await killMidway(args, killed, 'events')).toBeGreaterThan(0);
      expect(count(killed, 'events')).toBeLessThan(100_000);
      const again = JSON.parse((await cli([...args, '--json'])).out);
      expect(again.added + again.duplicates).toBe(100_000);
      expect(rows(killed, EVENT_ROWS)).toEqual(rows(full, EVENT_ROWS));
      expect(rows(killed, 'select id from users order by id')).toEqual(rows(full, 'select id from users order by id'));

      const stats = JSON.parse((await cli(['stats', '--json', '--data-dir', killed])).out);
      expect(stats).toMatchObject({
        items: { total: 1682, byFormat: {}, failed: 0 },
        users: 943,
        events: { total: 100_000, byType: { rating: 100_000 } },
      });
    },
  );

  it('reports bad arguments with exit code 2 and a missing path with 1', async () => {
    const bad = await cli(['ingest', 'events', 'x.csv', '--format', 'xml', '--data-dir', join(tmp, 'e')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--format must be one of csv, tsv, jsonl, movielens, lastfm, got "xml"/);
    const missing = await cli(['ingest', 'models', join(tmp, 'nope'), '--data-dir', join(tmp, 'e')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/not_found: no such file or folder/);
    expect(relative(repoRoot, bin)).toBe(join('bin', 'layerwise.js'));
  });
});

const PG_URL = process.env.LAYERWISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch (e) {
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL unreachable at ${PG_URL} in CI: ${(e as Error).message}`);
    console.warn(`skipping CLI-on-PostgreSQL test: unreachable at ${PG_URL}`);
    return false;
  }
}

describe.runIf(await pgUp())('layerwise ingest on PostgreSQL (LAYERWISE_DATABASE_URL)', () => {
  const schema = `lw_cli_${process.pid}_${Date.now().toString(36)}`;
  const env = { ...process.env, LAYERWISE_DATABASE_URL: `${PG_URL}?schema=${schema}` };
  const pgCli = async (args: string[]) => {
    const r = await cli(args, env);
    if (r.code !== 0) throw new Error(`layerwise ${args.join(' ')} failed: ${r.err}`);
    return JSON.parse(r.out);
  };
  beforeAll(ensureBuilt, 300_000);
  afterAll(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  it.runIf(hasData('movielens-100k') && hasData('prusaslicer-shapes'))(
    'ingests models and events and reports stats',
    async () => {
      const models = await pgCli(['ingest', 'models', dataPath('prusaslicer-shapes'), '--json']);
      expect(models.failed).toBe(0);
      expect(models.added).toBeGreaterThan(5);
      expect(await pgCli(['ingest', 'models', dataPath('prusaslicer-shapes'), '--json'])).toMatchObject({
        added: 0,
      });
      // The first 20,000 ratings keep this test short; the full file is imported on SQLite above.
      const lines = readFileSync(dataPath('movielens-100k', 'u.data'), 'utf8').split('\n').slice(0, 20_000);
      const file = join(tmp, 'u20k.data');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const ev = await pgCli(['ingest', 'events', file, '--format', 'movielens', '--json']);
      expect(ev).toMatchObject({ scanned: 20_000, added: 20_000, failed: 0 });
      const users = new Set(lines.map((l) => l.split('\t')[0])).size;
      const items = new Set(lines.map((l) => l.split('\t')[1])).size;
      const stats = await pgCli(['stats', '--json']);
      expect(stats).toMatchObject({ users, events: { total: 20_000 }, items: { total: models.added + items } });
      expect(await pgCli(['ingest', 'events', file, '--format', 'movielens', '--json'])).toMatchObject({
        added: 0,
      });
    },
  );
});
