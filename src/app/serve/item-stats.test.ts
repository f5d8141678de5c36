/** Item statistics from the store (one pass grouped by user), saved and loaded; serving that never holds the log. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventInput, Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { loadServerConfig } from '../config.js';
import { boundedWeight } from './event-bounds.js';
import { createServices } from './index.js';
import { computeItemStats, decodeItemStats, encodeItemStats, STATS_ARTIFACT } from './item-stats-store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const config = loadServerConfig({}, {});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function library(): Promise<{ store: Store; events: EventInput[] }> {
  const store = await openSqliteStore(':memory:');
  await store.upsertItems(Array.from({ length: 6 }, (_, i) => ({ id: `it${i}`, status: 'ready' as const, tags: [] })));
  const events: EventInput[] = [];
  for (let u = 0; u < 12; u++) {
    for (let k = 0; k < 9; k++) {
      const type = (['view', 'like', 'make', 'download'] as const)[(u + k) % 4];
      events.push({
        userId: `u${u}`,
        itemId: `it${(u * k) % 6}`,
        type,
        weight: 1 + ((u + k) % 5),
        timestamp: T0 + (u * 9 + k) * DAY,
      });
    }
  }
  // one user floods one item: capped at perUserItemCap in total
  for (let k = 0; k < 30; k++)
    events.push({ userId: 'flood', itemId: 'it5', type: 'make', weight: 4, timestamp: T0 + k });
  await store.addEvents(events);
  return { store, events };
}

/** The definition, event by event in time order per user. */
function reference(events: EventInput[]) {
  const cap = config.eventBounds.perUserItemCap;
  const newest = Math.max(...events.map((e) => e.timestamp));
  const pop = new Map<string, number>();
  const trend = new Map<string, number>();
  const prior = new Map<string, number>();
  const sorted = [...events].sort((a, b) =>
    a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.timestamp - b.timestamp,
  );
  for (const e of sorted) {
    const w = boundedWeight(config, e.type, e.weight);
    const key = `${e.userId}\u0000${e.itemId}`;
    const p = prior.get(key) ?? 0;
    prior.set(key, p + w);
    const c = Math.max(0, Math.min(w, cap - p));
    pop.set(e.itemId, (pop.get(e.itemId) ?? 0) + c);
    trend.set(e.itemId, (trend.get(e.itemId) ?? 0) + c * 2 ** (-(newest - e.timestamp) / DAY / 14));
  }
  return { pop, trend, newest };
}

describe('item statistics', () => {
  it('are computed in one pass grouped by user: capped popularity, decayed trending, counts by type', async () => {
    const { store, events } = await library();
    const ids = Array.from({ length: 6 }, (_, i) => `it${i}`);
    const index = (id: string) => (ids.includes(id) ? ids.indexOf(id) : undefined);
    const stats = await computeItemStats(store, config, index, 6);
    const ref = reference(events);
    for (const [i, id] of ids.entries()) {
      expect(stats.popularity[i]).toBeCloseTo(ref.pop.get(id) ?? 0, 9);
      expect(stats.trending[i]).toBeCloseTo(ref.trend.get(id) ?? 0, 9);
      const counts = stats.typeCounts(i);
      for (const t of ['view', 'like', 'make', 'download'])
        expect(counts[t] ?? 0).toBe(events.filter((e) => e.itemId === id && e.type === t).length);
    }
    expect(stats.refTime).toBe(ref.newest);
    expect(stats.throughSeq).toBe(await store.maxEventSeq());
    // the flood counts as one user can: 10 of its 120
    const flood = events.filter((e) => e.userId === 'flood').length;
    expect(flood).toBe(30);
    // saved and loaded by item id into another index space
    const bytes = encodeItemStats(stats, ids);
    const moved = decodeItemStats(bytes, (id) => (id === 'gone' ? undefined : 5 - Number(id.slice(2))), 6);
    for (let i = 0; i < 6; i++) expect(moved.popularity[5 - i]).toBe(stats.popularity[i]);
    expect(moved.typeCounts(0)).toEqual(stats.typeCounts(5));
    expect(moved.throughSeq).toBe(stats.throughSeq);
    await store.close();
  });

  it('serve computes them once, saves them, and later start-ups load them and catch up only on new events', async () => {
    const { store } = await library();
    const dataDir = mkdtempSync(join(tmpdir(), 'lw-stats-'));
    dirs.push(dataDir);
    const first = await createServices(store, config, { dataDir, pollMs: 0, closeStore: false });
    expect(first.state.statsSource).toBe('computed');
    expect(first.state.histories.size).toBe(0); // no user read before a request needs one
    const before = first.state.stats.popularity.slice();
    await first.close?.();
    expect((await store.listModels(STATS_ARTIFACT)).length).toBe(1);
    expect((await store.listModels()).filter((m) => m.active)).toEqual([]); // never a served model

    await store.addEvents([{ userId: 'late', itemId: 'it2', type: 'make', weight: 5, timestamp: T0 + 200 * DAY }]);
    const second = await createServices(store, config, { dataDir, pollMs: 0, closeStore: false });
    expect(second.state.statsSource).toBe('loaded');
    expect(second.state.caughtUpEvents).toBe(1);
    const i2 = second.state.catalog.index('it2')!;
    // the new event counts, and trending is now measured from it: older scores decayed by the gap
    expect(second.state.stats.popularity[i2]).toBeCloseTo(before[i2]! + 5, 9);
    expect(second.state.stats.refTime).toBe(T0 + 200 * DAY);
    expect(second.state.stats.trending[i2]).toBeGreaterThan(5);
    // a history is read on the first request and cached; new events replace it
    const reads = second.state.histories.reads;
    const r1 = await second.recommendations.forUser('u3', { k: 3, explain: false });
    expect(second.state.histories.reads).toBe(reads + 1);
    await second.recommendations.forUser('u3', { k: 3, explain: false });
    expect(second.state.histories.reads).toBe(reads + 1);
    await second.events.ingest([{ userId: 'u3', itemId: r1.items[0]!.itemId, type: 'make' }]);
    const after = await second.recommendations.forUser('u3', { k: 3, explain: false });
    expect(after.items.map((i) => i.itemId)).not.toContain(r1.items[0]!.itemId);
    expect((await second.users.get('u3')).events).toBe(10);
    await second.close?.();
    await store.close();
  });
});
