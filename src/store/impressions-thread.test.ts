/**
 * The impression writer thread of file-backed SQLite stores: writes resolve once committed (another connection
 * sees them), the serving thread's event loop keeps running while a large write is in progress, and when the
 * worker is gone later writes still land (in-thread fallback) — impressions are never lost to a dead thread.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ImpressionInput } from './live-ports.js';
import { openSqliteStore } from './sqlite.js';

const rows = (n: number, rec: string): ImpressionInput[] =>
  Array.from({ length: n }, (_, i) => ({
    recommendationId: `${rec}-${Math.floor(i / 10)}`,
    userId: `u${i % 97}`,
    itemId: `i${i}`,
    position: i % 10,
    model: 'ease@1',
    experiment: null,
    arm: null,
    timestamp: 1_700_000_000_000 + i,
  }));

describe('impression writer thread', () => {
  it('commits on the worker, keeps the event loop free, and falls back in-thread when the worker dies', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lw-imp-')), 'layerwise.db');
    const store = await openSqliteStore(file);
    const raw = (store as unknown as { raw: { impressions?: { write: unknown } } }).raw;
    expect(raw.impressions).toBeDefined();

    // 60,000 rows: several hundred ms of B-tree work, none of it on this thread
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    expect(await store.addImpressions(rows(60_000, 'a'))).toBe(60_000);
    const ms = performance.now() - t0;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(ms / 20); // timers kept firing while the worker wrote

    const other = new Database(file, { readonly: true });
    expect(other.prepare('select count(*) from impressions').pluck().get()).toBe(60_000);
    expect(await store.impressionsOf('a-3')).toHaveLength(10);

    // the worker dies: writes go through the serving thread's own connection instead
    const worker = (raw.impressions as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate();
    expect(await store.addImpressions(rows(20, 'b'))).toBe(20);
    expect(other.prepare('select count(*) from impressions').pluck().get()).toBe(60_020);
    other.close();
    await store.close();
  });

  it('is not used for in-memory stores', async () => {
    const store = await openSqliteStore(':memory:');
    expect((store as unknown as { raw: { impressions?: unknown } }).raw.impressions).toBeUndefined();
    expect(await store.addImpressions(rows(15, 'c'))).toBe(15);
    await store.close();
  });
});
