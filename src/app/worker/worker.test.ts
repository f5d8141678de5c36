/**
 * `layerwise worker` in-process on the real engines: BullMQ on the local Redis (a fresh key prefix per run) over a
 * SQLite store in a temp dir. An upload whose bytes are in the blob store goes through the one per-file pipeline
 * (item, printability report, thumbnail, recorded mesh location); the same job id twice runs once; a second job for
 * the same bytes changes nothing; a corrupt file fails at once (no retry) with its parse error; the bus tells
 * other processes about the new item.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../core/ids.js';
import { box } from '../../geometry/primitives.js';
import { encodeStlBinary } from '../../io/encode.js';
import { type ClusterMessage, RedisBus } from '../cluster/bus.js';
import { redisSettings } from '../cluster/redis.js';
import { loadConfig, loadServerConfig } from '../config.js';
import { openBlobs, readThumbnail } from '../ingest/locations.js';
import { BullJobQueue } from '../jobs/bullmq.js';
import { startWorker } from './run.js';

const REDIS_URL = process.env.LAYERWISE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `lwtest-worker-${process.pid}-${randomUUID().slice(0, 8)}`;
const dir = mkdtempSync(join(tmpdir(), 'lw-worker-'));

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    return true;
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`Redis unreachable at ${REDIS_URL} in CI: ${(e as Error).message}`);
    console.warn(`skipping worker cases: ${(e as Error).message}`);
    return false;
  } finally {
    r.disconnect();
  }
}
const hasRedis = await redisUp();

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!hasRedis) return;
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${prefix}*`);
  if (keys.length > 0) await r.del(...keys);
  r.disconnect();
});

async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('layerwise worker', () => {
  it('rejects a start without Redis with a message that says what to set', async () => {
    const config = loadConfig({ env: {}, flags: { dataDir: dir } });
    await expect(startWorker(config, loadServerConfig({}, {}))).rejects.toThrow(/LAYERWISE_REDIS_URL/);
  });

  it.skipIf(!hasRedis)(
    'ingests uploads from the blob store once, fails corrupt ones with their error',
    async () => {
      const config = loadConfig({ env: {}, flags: { dataDir: dir, redisUrl: REDIS_URL, redisPrefix: prefix } });
      const w = await startWorker(config, loadServerConfig({}, {}), { lockMs: 2000 });
      const settings = redisSettings(REDIS_URL, prefix);
      const queue = await BullJobQueue.open(settings, w.store);
      const listener = await RedisBus.open(settings);
      const heard: ClusterMessage[] = [];
      listener.subscribe((m) => heard.push(m));
      try {
        const store = w.store;
        const blobs = openBlobs(store, dir);
        const bytes = encodeStlBinary(box([20, 30, 10]));
        const hash = contentHash(bytes);
        await blobs.put(`upload/${hash}`, bytes);
        const data = { blob: `upload/${hash}`, filename: 'brick.stl', metadata: { title: 'Brick' } };
        await queue.enqueue({ kind: 'ingest', id: `upload-${hash.slice(0, 16)}`, data });
        await queue.enqueue({ kind: 'ingest', id: `upload-${hash.slice(0, 16)}`, data });
        const done = await until(async () => {
          const r = await store.getJobRecord(`upload-${hash.slice(0, 16)}`);
          return r?.state === 'completed' ? r : null;
        });
        expect(done).toMatchObject({ attempts: 1, progress: 1, worker: w.name });
        const itemId = (done.result as { itemId: string }).itemId;
        const item = await store.getItem(itemId);
        expect(item).toMatchObject({ status: 'ready', title: 'Brick' });
        expect(item?.report?.triangles).toBe(12);
        const png = await readThumbnail(store, blobs, itemId);
        expect(Buffer.from(png!.subarray(1, 4)).toString('latin1')).toBe('PNG');
        expect((await store.itemBlobs([itemId], 'mesh')).get(itemId)).toBe(`mesh/${hash}`);
        await until(async () => heard.some((m) => m.type === 'items' && m.ids.includes(itemId)));

        // another job for the same bytes (a client retrying the upload) finds the same item: one item, one file
        await queue.enqueue({ kind: 'ingest', id: 'upload-again', data });
        const again = await until(async () => {
          const r = await store.getJobRecord('upload-again');
          return r?.state === 'completed' ? r : null;
        });
        expect((again.result as { itemId: string }).itemId).toBe(itemId);
        expect((await store.listItems({ limit: 100 })).items).toHaveLength(1);

        // a thumbnail job renders from the recorded mesh (the blob store) and records it again; without a fitted
        // shape encoder, embed and sweep jobs complete with nothing to do and say why
        const before = await readThumbnail(store, blobs, itemId);
        await blobs.delete(`thumbnail/${itemId}.png`);
        expect(await readThumbnail(store, blobs, itemId)).toBeNull();
        await queue.enqueue({ kind: 'thumbnail', id: 'thumb-1', data: { itemId } });
        await queue.enqueue({ kind: 'sweep', id: 'sweep-1', data: {} });
        const thumb = await until(async () => {
          const r = await store.getJobRecord('thumb-1');
          return r?.state === 'completed' ? r : null;
        });
        expect(thumb.result).toMatchObject({ itemId });
        expect(Buffer.from((await readThumbnail(store, blobs, itemId))!).equals(Buffer.from(before!))).toBe(true);
        const sweep = await until(async () => {
          const r = await store.getJobRecord('sweep-1');
          return r?.state === 'completed' ? r : null;
        });
        expect(sweep.result).toMatchObject({ encoder: null, embedded: 0, skipped: 'no shape encoder fitted yet' });
        await queue.enqueue({ kind: 'thumbnail', id: 'thumb-missing', data: { itemId: 'nope' } });
        const missing = await until(async () => {
          const r = await store.getJobRecord('thumb-missing');
          return r?.state === 'failed' ? r : null;
        });
        expect(missing).toMatchObject({ attempts: 1, result: { error: { code: 'not_found' } } });

        const junk = new TextEncoder().encode('solid nope\nthis is not a mesh\n');
        await blobs.put('upload/junk', junk);
        await queue.enqueue({
          kind: 'ingest',
          id: 'upload-junk',
          attempts: 2,
          data: { blob: 'upload/junk', filename: 'junk.stl', metadata: {} },
        });
        const failed = await until(async () => {
          const r = await store.getJobRecord('upload-junk');
          return r?.state === 'failed' ? r : null;
        });
        expect(failed.attempts).toBe(1); // bad input is not retried
        expect(failed.error).toMatch(/junk\.stl/);
        expect((failed.result as { error: { code: string } }).error.code).toBe('parse_error');
        expect((await store.listItems({ limit: 100 })).items).toHaveLength(1);
      } finally {
        await listener.close();
        await queue.close();
        await w.close();
      }
    },
    60_000,
  );
});
