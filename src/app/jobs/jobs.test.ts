/**
 * Jobs and the cluster bus on the real engines: BullMQ on the local Redis (a fresh key prefix per run) with records
 * in a SQLite store, the inline (embedded) queue, and Redis pub/sub between two bus instances.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { KyselyStore } from '../../store/kysely-store.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { type ClusterMessage, RedisBus } from '../cluster/bus.js';
import { redisSettings } from '../cluster/redis.js';
import { BullJobQueue, startBullWorker } from './bullmq.js';
import { InlineJobQueue } from './inline.js';
import type { JobHandlers } from './types.js';

const REDIS_URL = process.env.LAYERWISE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `lwtest-${process.pid}-${randomUUID().slice(0, 8)}`;

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`Redis unreachable at ${REDIS_URL} in CI: ${(e as Error).message}`);
    console.warn(`skipping Redis cases: ${(e as Error).message}`);
    return false;
  } finally {
    r.disconnect();
  }
}
const hasRedis = await redisUp();

afterAll(async () => {
  if (!hasRedis) return;
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${prefix}*`);
  if (keys.length > 0) await r.del(...keys);
  r.disconnect();
});

async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function handlers(calls: string[]): JobHandlers {
  let flaky = 0;
  return {
    embed: async (data, ctx) => {
      calls.push(`embed:${String(data.item)}`);
      await ctx.progress(0.5);
      return { item: data.item };
    },
    train: async () => {
      flaky++;
      calls.push(`train:${flaky}`);
      if (flaky < 2) throw new Error(`transient ${flaky}`);
      return { ok: true };
    },
    score: async () => {
      throw new Error('always broken');
    },
  };
}

describe('inline job queue (embedded)', () => {
  it('runs jobs, retries with backoff, records state, and does not rerun a known id', async () => {
    const store = await openSqliteStore(':memory:');
    const calls: string[] = [];
    const q = new InlineJobQueue(store, handlers(calls), 5);
    try {
      await q.enqueue({ kind: 'embed', data: { item: 'a' }, id: 'embed-a' });
      await q.enqueue({ kind: 'embed', data: { item: 'a' }, id: 'embed-a' });
      await q.enqueue({ kind: 'train', data: {}, id: 'train-1' });
      await q.enqueue({ kind: 'score', data: {}, id: 'score-1', attempts: 2 });
      await q.idle();
      await q.enqueue({ kind: 'embed', data: { item: 'a' }, id: 'embed-a' });
      await q.idle();
      expect(calls).toEqual(['embed:a', 'train:1', 'train:2']);
      expect(await store.getJobRecord('embed-a')).toMatchObject({ state: 'completed', progress: 1, attempts: 1 });
      expect(await store.getJobRecord('train-1')).toMatchObject({
        state: 'completed',
        attempts: 2,
        result: { ok: true },
      });
      expect(await store.getJobRecord('score-1')).toMatchObject({
        state: 'failed',
        attempts: 2,
        error: 'always broken',
      });
    } finally {
      await q.close();
      await store.close();
    }
  });
});

describe('BullMQ job queue', () => {
  it.skipIf(!hasRedis)(
    'runs each id once, retries failures with backoff, and mirrors states into job records',
    async () => {
      const settings = redisSettings(REDIS_URL, `${prefix}-q`);
      const store: KyselyStore = await openSqliteStore(':memory:');
      const calls: string[] = [];
      const queue = await BullJobQueue.open(settings, store);
      const worker = await startBullWorker(settings, store, { handlers: handlers(calls), name: 'w1' });
      try {
        await queue.enqueue({ kind: 'embed', data: { item: 'a' }, id: 'embed-a' });
        await queue.enqueue({ kind: 'embed', data: { item: 'a' }, id: 'embed-a' });
        await queue.enqueue({ kind: 'train', data: {}, id: 'train-1', attempts: 3 });
        await queue.enqueue({ kind: 'score', data: {}, id: 'score-1', attempts: 2 });
        const done = await until(async () => {
          const r = await store.getJobRecord('train-1');
          return r?.state === 'completed' ? r : null;
        });
        expect(done).toMatchObject({ attempts: 2, worker: 'w1', result: { ok: true } });
        const failed = await until(async () => {
          const r = await store.getJobRecord('score-1');
          return r?.state === 'failed' ? r : null;
        });
        expect(failed).toMatchObject({ attempts: 2, error: 'always broken' });
        expect(await until(async () => (await store.getJobRecord('embed-a'))?.state === 'completed')).toBe(true);
        expect(calls.filter((c) => c === 'embed:a')).toHaveLength(1);
        const listed = await store.listJobRecords();
        expect(listed.map((j) => j.id).sort()).toEqual(['embed-a', 'score-1', 'train-1']);
      } finally {
        await worker.close();
        await queue.close();
        await store.close();
      }
    },
  );
});

describe('cluster bus on Redis pub/sub', () => {
  it.skipIf(!hasRedis)('delivers a message to the other process, not back to its sender', async () => {
    const settings = redisSettings(REDIS_URL, `${prefix}-bus`);
    const a = await RedisBus.open(settings);
    const b = await RedisBus.open(settings);
    const gotA: ClusterMessage[] = [];
    const gotB: ClusterMessage[] = [];
    a.subscribe((m) => gotA.push(m));
    b.subscribe((m) => gotB.push(m));
    try {
      await a.publish({ type: 'model', name: 'recommender', version: 3 });
      await until(async () => gotB.length === 1);
      expect(gotB).toEqual([{ type: 'model', name: 'recommender', version: 3 }]);
      await new Promise((r) => setTimeout(r, 100));
      expect(gotA).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('rejects a Redis URL or prefix it cannot use', () => {
    expect(() => redisSettings('http://x')).toThrow(/redis:\/\//);
    expect(() => redisSettings('redis://x', 'a b')).toThrow(/PREFIX/);
  });
});
