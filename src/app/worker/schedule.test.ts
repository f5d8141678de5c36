/**
 * The worker-side scheduler and job retention on the real Redis (a fresh key prefix per case) over a SQLite store
 * in a temp dir: two workers registering the same schedules make one schedule each (a gated retrain, a
 * stale-embedding sweep) whose jobs run again and again; and finished jobs beyond the configured count leave both
 * BullMQ's sets and the store's job records, newest kept, unfinished ones untouched.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/ports.js';
import { redisSettings } from '../cluster/redis.js';
import { loadConfig, loadServerConfig } from '../config.js';
import { BullJobQueue } from '../jobs/bullmq.js';
import { withStore } from '../store.js';
import { trainFromStore } from '../train/train.js';
import { startWorker } from './run.js';

const REDIS_URL = process.env.LAYERWISE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const base = `lwtest-sched-${process.pid}-${randomUUID().slice(0, 8)}`;
const dirs: string[] = [];

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    return true;
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`Redis unreachable at ${REDIS_URL} in CI: ${(e as Error).message}`);
    console.warn(`skipping scheduler cases: ${(e as Error).message}`);
    return false;
  } finally {
    r.disconnect();
  }
}
const hasRedis = await redisUp();

afterAll(async () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (!hasRedis) return;
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${base}*`);
  if (keys.length > 0) await r.del(...keys);
  r.disconnect();
});

function setup(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'lw-sched-'));
  dirs.push(dir);
  const prefix = `${base}-${name}`;
  const config = loadConfig({ env: {}, flags: { dataDir: dir, redisUrl: REDIS_URL, redisPrefix: prefix } });
  return { dir, config, settings: redisSettings(REDIS_URL, prefix) };
}

async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const server = loadServerConfig({}, {});

describe('the scheduler in layerwise worker', () => {
  it.skipIf(!hasRedis)(
    'one retrain and one sweep schedule for two workers; both keep enqueueing jobs that run',
    async () => {
      const { config, settings } = setup('schedule');
      // a library with a trained, active model: the scheduled retrain is gated (too few new events: skipped)
      await withStore(config, async (s) => {
        await s.upsertItems(
          Array.from({ length: 8 }, (_, i) => ({ id: `i${i}`, status: 'ready' as const, title: `item ${i}` })),
        );
        await s.addEvents(
          Array.from({ length: 60 }, (_, n) => ({
            userId: `u${n % 15}`,
            itemId: `i${(n * 7) % 8}`,
            type: 'download' as const,
            weight: 1,
            timestamp: 1_700_000_000_000 + n,
          })),
        );
        await trainFromStore(s, { kinds: ['pop'], activate: true });
      });
      const every = { retrainEveryMs: 1500, sweepEveryMs: 700, lockMs: 2000, pruneEveryMs: 0 };
      const a = await startWorker(config, server, every);
      const b = await startWorker(config, server, every);
      const queue = await BullJobQueue.open(settings, a.store);
      try {
        const schedulers = await queue.queue.getJobSchedulers();
        expect(schedulers.map((s) => [s.key, s.name, s.every]).sort()).toEqual([
          ['retrain', 'train', 1500],
          ['sweep', 'sweep', 700],
        ]);
        const store: Store = a.store;
        const sweeps = await until(async () => {
          const done = await store.listJobRecords({ kind: 'sweep', state: 'completed' });
          return done.length >= 3 ? done : null;
        });
        expect(sweeps[0]!.result).toMatchObject({ embedded: 0, skipped: 'no shape encoder fitted yet' });
        const retrain = await until(async () => (await store.listJobRecords({ kind: 'train', state: 'completed' }))[0]);
        expect(retrain.data).toEqual({ gated: true });
        expect(retrain.result).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/new events < 1000/) });
        // every scheduled run is its own job (its own record), run by one of the two workers
        expect(new Set(sweeps.map((j) => j.id)).size).toBe(sweeps.length);
        for (const j of sweeps) expect([a.name, b.name]).toContain(j.worker);
      } finally {
        await queue.close();
        await b.close();
        await a.close();
      }
    },
    60_000,
  );
});

describe('job retention', () => {
  it.skipIf(!hasRedis)(
    'keeps the newest N finished jobs in Redis and in the job records',
    async () => {
      const { config, settings } = setup('retention');
      const w = await startWorker(config, server, {
        lockMs: 2000,
        pruneEveryMs: 100,
        retention: { completed: { ageMs: 3_600_000, count: 2 }, failed: { ageMs: 3_600_000, count: 1 } },
      });
      const queue = await BullJobQueue.open(settings, w.store);
      const store = w.store;
      const finished = (id: string) =>
        until(async () => {
          const r = await store.getJobRecord(id);
          return r?.state === 'completed' || r?.state === 'failed' ? r : null;
        });
      try {
        for (let i = 0; i < 5; i++) {
          await queue.enqueue({ kind: 'sweep', id: `sweep-${i}`, data: {} });
          expect((await finished(`sweep-${i}`)).state).toBe('completed');
        }
        for (let i = 0; i < 3; i++) {
          await queue.enqueue({ kind: 'thumbnail', id: `thumb-${i}`, data: { itemId: `missing-${i}` } });
          expect((await finished(`thumb-${i}`)).state).toBe('failed');
        }
        // a job nobody runs: no worker takes `score` jobs of a delayed start, so it stays waiting
        await queue.queue.add('score', {}, { jobId: 'later', delay: 3_600_000 });
        await store.saveJobRecord({ id: 'later', kind: 'score', state: 'delayed' });
        expect(await queue.queue.getJobCounts('completed', 'failed', 'delayed')).toEqual({
          completed: 2,
          failed: 1,
          delayed: 1,
        });
        const ids = await until(async () => {
          const left = (await store.listJobRecords({ limit: 100 })).map((j) => j.id).sort();
          return left.length === 4 ? left : null;
        });
        expect(ids).toEqual(['later', 'sweep-3', 'sweep-4', 'thumb-2']);
      } finally {
        await queue.close();
        await w.close();
      }
    },
    60_000,
  );
});
