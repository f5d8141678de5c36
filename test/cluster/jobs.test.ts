/**
 * Jobs through a real `layerwise worker` process on the real engines: PostgreSQL (a fresh schema per run) and Redis
 * (a fresh key prefix), the worker started by the same launcher as `layerwise cluster` with its own data dir, jobs
 * enqueued as a replica or the CLI enqueues them. A folder-ingest job → the store shows the new items (and their
 * shape vectors), run again → nothing added twice; a train job → a new active model version; a batch-scoring job →
 * every user's top-k stored, equal to what `layerwise recommend` answers with that model, a second run replacing
 * (not adding) rows; and the operator's path with the built CLI: `jobs add score --wait`, `jobs list`, `scores`.
 * Each job's state, progress, attempts and worker are checked in the records `GET /v1/jobs` lists.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerwiseBin, type RunningCluster, startCluster } from '../../src/app/cluster/launcher.js';
import { redisSettings } from '../../src/app/cluster/redis.js';
import { BullJobQueue } from '../../src/app/jobs/bullmq.js';
import { listJobInfos } from '../../src/app/jobs/records.js';
import { recommendOffline } from '../../src/app/serve/offline.js';
import { computeEmbeddings } from '../../src/app/shapes/embed.js';
import { contentHash } from '../../src/core/ids.js';
import { runDemo } from '../../src/demo/index.js';
import { box, torus } from '../../src/geometry/primitives.js';
import { encodeStlBinary } from '../../src/io/encode.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import type { JobRecord } from '../../src/store/ports.js';
import { openPostgresStore } from '../../src/store/postgres.js';

const PG_URL = process.env.LAYERWISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.LAYERWISE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `lw_jobs_${process.pid}_${Date.now().toString(36)}`;
const ENCODER = 'descriptors';

async function enginesUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await c.connect();
    await r.connect();
    return true;
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL or Redis unreachable in CI: ${(e as Error).message}`);
    console.warn(`skipping the worker-process jobs test: ${(e as Error).message}`);
    return false;
  } finally {
    await c.end().catch(() => undefined);
    r.disconnect();
  }
}
const up = await enginesUp();
const dbUrl = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${run}`;
const dir = mkdtempSync(join(tmpdir(), 'lw-jobs-'));
const env = { LAYERWISE_DATABASE_URL: dbUrl, LAYERWISE_REDIS_URL: REDIS_URL, LAYERWISE_REDIS_PREFIX: run };
let cluster: RunningCluster | undefined;
let store: KyselyStore;
let queue: BullJobQueue;
const lines: string[] = [];

async function finished(id: string, ms = 60_000): Promise<JobRecord> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await store.getJobRecord(id);
    if (r?.state === 'completed' || r?.state === 'failed') return r;
    if (Date.now() > end) throw new Error(`job ${id} not finished after ${ms} ms\n${lines.slice(-30).join('\n')}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

const cli = async (...args: string[]) => {
  const r = await promisify(execFile)(process.execPath, [layerwiseBin(), ...args], {
    env: { ...process.env, ...env, LAYERWISE_DATA_DIR: join(dir, 'cli') },
    maxBuffer: 64 << 20,
  });
  return r.stdout;
};

beforeAll(async () => {
  if (!up) return;
  const seed = join(dir, 'seed');
  await runDemo({ dataDir: seed, databaseUrl: dbUrl }, { out: join(seed, 'demo'), items: 24, users: 40, seed: 11 });
  store = await openPostgresStore(PG_URL, { schema: run });
  await computeEmbeddings(store, seed, { encoder: ENCODER });
  queue = await BullJobQueue.open(redisSettings(REDIS_URL, run), store);
  cluster = await startCluster({
    databaseUrl: dbUrl,
    redisUrl: REDIS_URL,
    redisPrefix: run,
    replicas: 0,
    workers: 1,
    dataDir: join(dir, 'cluster'),
    env: { LAYERWISE_WORKER_LOCK_MS: '5000', LAYERWISE_LOG_LEVEL: 'silent' },
    onLine: (name, line) => lines.push(`[${name}] ${line}`),
    readyTimeoutMs: 90_000,
  });
}, 300_000);

afterAll(async () => {
  await cluster?.stop(3000);
  await queue?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
  if (!up) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists ${run} cascade`);
  await c.end();
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${run}*`);
  if (keys.length > 0) await r.del(...keys);
  r.disconnect();
});

const workerName = () => `:${cluster!.workers[0]!.child.pid}`;

describe.skipIf(!up)('jobs run by a layerwise worker process', () => {
  it('a folder-ingest job adds the files as items with shape vectors; run again it adds nothing', async () => {
    const folder = join(dir, 'incoming');
    mkdirSync(folder, { recursive: true });
    const files = [encodeStlBinary(box([31, 17, 9])), encodeStlBinary(torus(12, 4, 24, 12))];
    for (const [i, bytes] of files.entries()) writeFileSync(join(folder, `part-${i}.stl`), bytes);
    const before = (await store.stats()).items.total;

    const queued = await queue.enqueue({ kind: 'ingest', id: 'scan-1', data: { paths: [folder] } });
    expect(queued).toMatchObject({ id: 'scan-1', kind: 'ingest', maxAttempts: 3 });
    const done = await finished('scan-1');
    expect(done).toMatchObject({ state: 'completed', progress: 1, attempts: 1, error: null });
    expect(done.worker).toMatch(new RegExp(`${workerName()}$`));
    expect(done.result).toMatchObject({ scanned: 2, added: 2, encoder: ENCODER, embedded: 2 });

    const items = await store.findItemsByHash(files.map((b) => contentHash(b)));
    expect([...items.values()].map((i) => i.status)).toEqual(['ready', 'ready']);
    const ids = [...items.values()].map((i) => i.id);
    expect((await store.getEmbeddings(ENCODER, ids)).size).toBe(2);
    expect((await store.stats()).items.total).toBe(before + 2);

    await queue.enqueue({ kind: 'ingest', id: 'scan-2', data: { paths: [folder] } });
    expect((await finished('scan-2')).result).toMatchObject({ scanned: 2, added: 0, embedded: 0 });
    expect((await store.stats()).items.total).toBe(before + 2);

    const listed = await listJobInfos(store, { kind: 'ingest' }); // what GET /v1/jobs?kind=ingest answers
    expect(listed.map((j) => [j.id, j.state, j.attempts, j.progress])).toEqual([
      ['scan-2', 'completed', 1, 1],
      ['scan-1', 'completed', 1, 1],
    ]);
  });

  it('a train job saves and activates a new model version', async () => {
    const versionsBefore = (await store.listModels('recommender')).length;
    await queue.enqueue({ kind: 'train', id: 'train-1', data: { kinds: ['pop', 'itemknn'] } });
    const done = await finished('train-1', 120_000);
    expect(done).toMatchObject({ state: 'completed', progress: 1, attempts: 1 });
    const result = done.result as { name: string; saved: { version: number }[]; active: { version: number } };
    expect(result.name).toBe('recommender');
    const versions = await store.listModels('recommender');
    expect(versions.length).toBeGreaterThan(versionsBefore);
    const active = await store.getActiveModel('recommender');
    expect(active?.version).toBe(result.active.version);
    expect(versions.map((v) => v.version)).toContain(result.active.version);
  });

  it("a score job stores every user's top-k, equal to `layerwise recommend`; a rerun replaces rows", async () => {
    const active = await store.getActiveModel('recommender');
    expect(active).not.toBeNull();
    const users = (await store.stats()).users;
    await queue.enqueue({ kind: 'score', id: 'score-all', data: { k: 5 } });
    const done = await finished('score-all', 120_000);
    expect(done).toMatchObject({ state: 'completed', progress: 1, attempts: 1 });
    expect(done.result).toMatchObject({ model: `recommender@${active!.version}`, k: 5, users });

    const rows = new Map<string, { items: { itemId: string }[]; scoredAt: number; model: string | null }>();
    let cursor: string | undefined;
    do {
      const page = await store.listUserScores(cursor === undefined ? {} : { cursor });
      for (const r of page.items) rows.set(r.userId, r);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(rows.size).toBe(users);
    const sample = [...rows.keys()].slice(0, 4);
    for (const userId of sample) {
      const row = rows.get(userId)!;
      expect(row.items.length, userId).toBeGreaterThan(0);
      const live = await recommendOffline({ dataDir: join(dir, 'offline'), databaseUrl: dbUrl }, userId, {
        k: 5,
        explain: false,
      });
      expect(
        row.items.map((i) => i.itemId),
        userId,
      ).toEqual(live.items.map((i) => i.itemId));
      expect(row.model).toBe(live.model?.id ?? null);
      const seen = new Set((await store.userHistory(userId)).map((e) => e.itemId));
      for (const i of row.items) expect(seen.has(i.itemId), `${userId} already has ${i.itemId}`).toBe(false);
    }

    // the same id again: the job is known, nothing runs twice
    await queue.enqueue({ kind: 'score', id: 'score-all', data: { k: 5 } });
    await new Promise((done) => setTimeout(done, 500));
    expect(await store.getJobRecord('score-all')).toMatchObject({ state: 'completed', attempts: 1 });
    expect((await store.getUserScores([sample[0]!])).get(sample[0]!)?.scoredAt).toBe(rows.get(sample[0]!)!.scoredAt);

    // a new run over a subset replaces those users' rows (same lists), adds none
    await queue.enqueue({ kind: 'score', id: 'score-some', data: { k: 5, userIds: sample } });
    expect((await finished('score-some')).result).toMatchObject({ users: sample.length });
    const again = await store.getUserScores(sample);
    for (const u of sample) {
      expect(again.get(u)!.items).toEqual(rows.get(u)!.items);
      expect(again.get(u)!.scoredAt).toBeGreaterThan(rows.get(u)!.scoredAt);
    }
    expect((await store.listUserScores({ limit: 10_000 })).items).toHaveLength(users);

    // bad input fails at once, with its error, without retries
    await queue.enqueue({ kind: 'score', id: 'score-bad', data: { k: 0 } });
    expect(await finished('score-bad')).toMatchObject({ state: 'failed', attempts: 1 });
  }, 180_000);

  it('the operator path: `jobs add score --wait`, `jobs list`, `scores --out`', async () => {
    const added = JSON.parse(await cli('jobs', 'add', 'score', '--data', '{"k":3}', '--id', 'score-cli', '--wait'));
    expect(added).toMatchObject({ id: 'score-cli', kind: 'score', state: 'completed', attempts: 1, progress: 1 });
    expect(added.worker).toMatch(new RegExp(`${workerName()}$`));
    const listed = JSON.parse(await cli('jobs', 'list', '--kind', 'score', '--json')) as { id: string }[];
    expect(listed.map((j) => j.id)).toContain('score-cli');
    const out = join(dir, 'scores.jsonl');
    await cli('scores', '--out', out);
    const exported = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(exported).toHaveLength((await store.stats()).users);
    expect(exported.every((r: { k: number; items: unknown[] }) => r.k === 3 && r.items.length <= 3)).toBe(true);
  }, 120_000);
});
