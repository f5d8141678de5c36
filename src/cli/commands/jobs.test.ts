/** `layerwise jobs [list|show]`, `worker` and `cluster` argument checks, over a real SQLite store in a temp dir. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainFromStore } from '../../app/train/train.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-jobs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), isTty: false }, out, err };
}

describe('layerwise jobs', () => {
  it('lists, filters and shows the job records; unknown ids and states are typed errors', async () => {
    const store = await openSqliteStore(join(dir, 'layerwise.db'));
    await store.saveJobRecord({ id: 'embed-1', kind: 'embed', state: 'completed', progress: 1, attempts: 1 });
    await store.saveJobRecord({ id: 'upload-2', kind: 'ingest', state: 'failed', error: 'x.stl: not a mesh' });
    await store.close();
    const c = capture();
    expect(await main(['jobs', '--data-dir', dir], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/upload-2 +ingest +failed[\s\S]*x\.stl: not a mesh/);
    expect(c.out.join('\n')).toMatch(/embed-1 +embed +completed +100%/);
    const j = capture();
    expect(await main(['jobs', 'list', '--state', 'failed', '--json', '--data-dir', dir], j.io)).toBe(0);
    expect((JSON.parse(j.out.join('')) as { id: string }[]).map((r) => r.id)).toEqual(['upload-2']);
    const s = capture();
    expect(await main(['jobs', 'show', 'embed-1', '--data-dir', dir], s.io)).toBe(0);
    expect(JSON.parse(s.out.join(''))).toMatchObject({ id: 'embed-1', state: 'completed', attempts: 1 });
    const missing = capture();
    expect(await main(['jobs', 'show', 'nope', '--data-dir', dir], missing.io)).toBe(1);
    expect(missing.err.join('')).toMatch(/not_found: no job nope/);
    const bad = capture();
    expect(await main(['jobs', '--state', 'exploded', '--data-dir', dir], bad.io)).toBe(2);
    expect(bad.err.join('')).toMatch(/--state must be one of/);
  });

  it('`jobs add` runs a job in this process without Redis; `scores` exports what a score job stored', async () => {
    const prev = process.env.LAYERWISE_REDIS_URL;
    delete process.env.LAYERWISE_REDIS_URL;
    const lib = join(dir, 'lib');
    try {
      const store = await openSqliteStore(join(lib, 'layerwise.db'));
      await store.upsertItems(['a', 'b', 'c', 'd'].map((id) => ({ id, status: 'ready' as const, title: id })));
      await store.addEvents(
        ['u1:a', 'u1:b', 'u2:a', 'u2:c', 'u3:a', 'u3:b', 'u3:d'].map((p, n) => {
          const [userId, itemId] = p.split(':') as [string, string];
          return { userId, itemId, type: 'download' as const, weight: 1, timestamp: 1_700_000_000_000 + n };
        }),
      );
      await trainFromStore(store, { kinds: ['pop'], activate: true });
      await store.close();
      const c = capture();
      expect(await main(['jobs', 'add', 'score', '--data', '{"k":2}', '--data-dir', lib], c.io), c.err.join('')).toBe(
        0,
      );
      const job = JSON.parse(c.out.join('')) as { state: string; worker: string; result: { users: number } };
      expect(job).toMatchObject({ state: 'completed', worker: `inline:${process.pid}`, result: { users: 3, k: 2 } });
      const s = capture();
      expect(await main(['scores', '--user', 'u1,u2', '--data-dir', lib], s.io)).toBe(0);
      const rows = s.out.map((l) => JSON.parse(l) as { userId: string; items: { itemId: string }[] });
      expect(rows.map((r) => r.userId)).toEqual(['u1', 'u2']);
      // popularity ranks a > b > c = d; a user's own items are left out
      expect(rows[0]!.items.map((i) => i.itemId)).toEqual(['c', 'd'].slice(0, rows[0]!.items.length));
      expect(rows[1]!.items[0]!.itemId).toBe('b');
      const bad = capture();
      expect(await main(['jobs', 'add', 'score', '--data', '{"k":0}', '--data-dir', lib], bad.io)).toBe(1);
      expect(JSON.parse(bad.out.join(''))).toMatchObject({ state: 'failed', attempts: 1 });
      const unknown = capture();
      expect(await main(['jobs', 'add', 'explode', '--data-dir', lib], unknown.io)).toBe(2);
      expect(unknown.err.join('')).toMatch(/--kind must be one of ingest/);
    } finally {
      if (prev !== undefined) process.env.LAYERWISE_REDIS_URL = prev;
    }
  });

  it('worker and cluster say what to set when Redis or PostgreSQL is missing', async () => {
    const prev = { redis: process.env.LAYERWISE_REDIS_URL, db: process.env.LAYERWISE_DATABASE_URL };
    delete process.env.LAYERWISE_REDIS_URL;
    delete process.env.LAYERWISE_DATABASE_URL;
    try {
      const w = capture();
      expect(await main(['worker', '--data-dir', dir], w.io)).toBe(2);
      expect(w.err.join('')).toMatch(/LAYERWISE_REDIS_URL/);
      const c = capture();
      expect(await main(['cluster', '--data-dir', dir], c.io)).toBe(2);
      expect(c.err.join('')).toMatch(/LAYERWISE_DATABASE_URL=postgres.*LAYERWISE_REDIS_URL=redis/);
      const r = capture();
      expect(await main(['worker', '--retrain-every', 'often', '--data-dir', dir], r.io)).toBe(2);
    } finally {
      if (prev.redis !== undefined) process.env.LAYERWISE_REDIS_URL = prev.redis;
      if (prev.db !== undefined) process.env.LAYERWISE_DATABASE_URL = prev.db;
    }
  });
});
