/**
 * Fault: Redis goes away under a running cluster (issue 15). A replica and a worker on PostgreSQL share a private
 * Redis (its own `redis-server` on a free port, so the machine's shared one is never touched), which is killed with
 * SIGKILL and, seconds later, started again on the same port. While it is down: no request hangs (every answer within
 * a few seconds), nothing answers 5xx except a 503 that says when to retry, recommendations and `/healthz` keep
 * answering, events are acknowledged and every acknowledged one is in PostgreSQL afterwards, and an upload either
 * lands or is refused with 503 + Retry-After. When Redis is back the cluster resumes: an upload is embedded by the
 * worker, and both processes are still the ones started before the outage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCluster, startCluster } from '../../src/app/cluster/launcher.js';
import type { ItemDetail, RecommendationResponse } from '../../src/app/serve/types.js';
import { computeEmbeddings } from '../../src/app/shapes/embed.js';
import { trainFromStore } from '../../src/app/train/train.js';
import { runDemo } from '../../src/demo/index.js';
import { box } from '../../src/geometry/primitives.js';
import { encodeStlBinary } from '../../src/io/encode.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import { openPostgresStore } from '../../src/store/postgres.js';

const PG_URL = process.env.LAYERWISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `lw_redisdown_${process.pid}_${Date.now().toString(36)}`;
const ENCODER = 'descriptors';

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => ok(p));
    });
  });
}

async function pgUp(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return true;
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL unreachable in CI: ${(e as Error).message}`);
    console.warn(`skipping the Redis fault test: ${(e as Error).message}`);
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}
const redisBinary = await new Promise<boolean>((ok) => {
  const p = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  p.once('error', () => ok(false));
  p.once('exit', (code) => ok(code === 0));
});
if (!redisBinary) console.warn('skipping the Redis fault test: no redis-server binary on PATH');
const up = redisBinary && (await pgUp());

const dir = mkdtempSync(join(tmpdir(), 'lw-redis-down-'));
const dbUrl = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${run}`;
let redisPort = 0;
let redis: ChildProcess | undefined;
let cluster: RunningCluster | undefined;
let store: KyselyStore;
let A = '';
const lines: string[] = [];

async function startRedis(): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  for (const end = Date.now() + 10_000; ; ) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(redisPort, '127.0.0.1', () => {
        s.end();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return child;
    if (Date.now() > end) throw new Error(`redis-server did not listen on ${redisPort}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A request that must answer within `ms` (a hang is a failure, not a slow pass). */
async function call(path: string, init: RequestInit = {}, ms = 8000): Promise<Response> {
  const t0 = performance.now();
  try {
    return await fetch(`${A}${path}`, { ...init, signal: AbortSignal.timeout(ms) });
  } catch (e) {
    throw new Error(
      `${init.method ?? 'GET'} ${path} got no answer within ${ms} ms (${(performance.now() - t0).toFixed(0)} ms: ` +
        `${(e as Error).message})\n${lines.slice(-20).join('\n')}`,
    );
  }
}

function uploadForm(n: number): FormData {
  const form = new FormData();
  form.append('title', `Outage brick ${n}`);
  form.append('file', new Blob([new Uint8Array(encodeStlBinary(box([10 + n, 20, 7])))]), `brick-${n}.stl`);
  return form;
}

beforeAll(async () => {
  if (!up) return;
  redisPort = await freePort();
  redis = await startRedis();
  const seed = join(dir, 'seed');
  await runDemo({ dataDir: seed, databaseUrl: dbUrl }, { out: join(seed, 'demo'), items: 24, users: 40, seed: 5 });
  store = await openPostgresStore(PG_URL, { schema: run });
  await computeEmbeddings(store, seed, { encoder: ENCODER });
  await trainFromStore(store, { kinds: ['pop'], activate: true, validationUsers: 10 });
  rmSync(seed, { recursive: true, force: true });
  cluster = await startCluster({
    databaseUrl: dbUrl,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    redisPrefix: run,
    replicas: 1,
    workers: 1,
    dataDir: join(dir, 'cluster'),
    basePort: 0,
    env: { LAYERWISE_LOG_LEVEL: 'warn' },
    onLine: (name, line) => lines.push(`[${name}] ${line}`),
    readyTimeoutMs: 90_000,
  });
  A = cluster.replicas[0]!.url!;
}, 300_000);

afterAll(async () => {
  await cluster?.stop(3000);
  redis?.kill('SIGKILL');
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
  if (!up) return;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists ${run} cascade`);
  await c.end();
});

describe.skipIf(!up)('Redis killed under a replica and a worker', () => {
  it('keeps answering without hanging or 5xx, stores every acknowledged event, and resumes when Redis is back', async () => {
    const users = ((await (await call('/v1/users?limit=10')).json()) as { items: { id: string }[] }).items.map(
      (u) => u.id,
    );
    const items = ((await (await call('/v1/items?limit=20')).json()) as { items: { id: string }[] }).items.map(
      (i) => i.id,
    );
    expect((await call(`/v1/users/${users[0]}/recommendations?k=5`)).status).toBe(200);

    redis!.kill('SIGKILL');
    await new Promise((r) => redis!.once('exit', r));

    const statuses = new Map<string, number[]>();
    const note = (kind: string, status: number) =>
      (statuses.get(kind) ?? statuses.set(kind, []).get(kind)!).push(status);
    let acknowledged = 0;
    let healthMs = 0;
    const outageEnd = Date.now() + 4000;
    for (let n = 0; Date.now() < outageEnd; n++) {
      const t0 = performance.now();
      const h = await call('/healthz');
      healthMs = Math.max(healthMs, performance.now() - t0);
      note('healthz', h.status);
      const rec = await call(`/v1/users/${users[n % users.length]}/recommendations?k=5`);
      note('recommendations', rec.status);
      if (rec.status === 200) expect(((await rec.json()) as RecommendationResponse).items.length).toBeGreaterThan(0);
      else await rec.arrayBuffer();
      const ev = await call('/v1/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          events: [{ userId: `outage-user-${n}`, itemId: items[n % items.length], type: 'like' }],
        }),
      });
      note('events', ev.status);
      if (ev.status === 200) acknowledged += ((await ev.json()) as { accepted: number }).accepted;
      else {
        expect(ev.status, await ev.text()).toBe(503);
        expect(Number(ev.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    const up1 = await call('/v1/items', { method: 'POST', body: uploadForm(1) });
    note('upload', up1.status);
    if (up1.status !== 201) {
      expect(up1.status, await up1.text()).toBe(503);
      expect(Number(up1.headers.get('retry-after'))).toBeGreaterThan(0);
    } else await up1.arrayBuffer();

    const all = [...statuses.values()].flat();
    expect(
      all.filter((s) => s >= 500 && s !== 503),
      JSON.stringify([...statuses]),
    ).toEqual([]);
    expect(statuses.get('healthz')!.every((s) => s === 200)).toBe(true);
    expect(healthMs).toBeLessThan(1000); // the slowest /healthz of the outage
    expect(statuses.get('recommendations')!.every((s) => s === 200)).toBe(true);
    expect(acknowledged).toBeGreaterThan(0);

    // Redis back on the same port: the cluster resumes without a restart of its processes
    redis = await startRedis();
    const created = await (async () => {
      for (const end = Date.now() + 30_000; ; ) {
        const r = await call('/v1/items', { method: 'POST', body: uploadForm(2) });
        if (r.status === 201) return (await r.json()) as ItemDetail;
        expect(r.status, await r.text()).toBe(503);
        if (Date.now() > end) throw new Error('uploads still refused 30 s after Redis came back');
        await new Promise((res) => setTimeout(res, 500));
      }
    })();
    for (const end = Date.now() + 30_000; ; ) {
      if ((await store.getEmbeddings(ENCODER, [created.id])).size === 1) break;
      if (Date.now() > end) throw new Error(`the worker never embedded ${created.id}\n${lines.slice(-30).join('\n')}`);
      await new Promise((res) => setTimeout(res, 200));
    }
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    const stored = await c.query(`select count(*)::int as n from ${run}.events where user_id like 'outage-user-%'`);
    await c.end();
    expect(stored.rows[0].n).toBeGreaterThanOrEqual(acknowledged);
    expect(cluster!.replicas[0]!.child.exitCode).toBeNull();
    expect(cluster!.workers[0]!.child.exitCode).toBeNull();
  }, 120_000);
});
