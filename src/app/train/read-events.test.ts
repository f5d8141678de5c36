/**
 * What training reads from a real store: pairs whose summed weight is ≤ 0 (negative feedback outweighs) and events
 * on removed items are left out — with the users and items left with nothing — while a dislike that does not
 * outweigh only lowers its pair.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventInput, Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { readInteractions } from './read-events.js';
import { storeInteractions } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'read-events-'));
let store: Store;
beforeAll(async () => {
  store = await openSqliteStore(join(dir, 'layerwise.db'));
  await store.upsertItems(['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, status: 'stub' as const, title: id })));
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

let t = Date.UTC(2026, 0, 1);
const ev = (userId: string, itemId: string, type: EventInput['type'], weight: number): EventInput => ({
  userId,
  itemId,
  type,
  weight,
  timestamp: (t += 60_000),
});

/** The matrix as { user: { item: weight } }. */
function pairs(data: Awaited<ReturnType<typeof readInteractions>>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const m = data.matrix;
  for (let u = 0; u < m.rows; u++) {
    const row: Record<string, number> = {};
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) row[data.items.id(m.indices[p]!)] = m.values[p]!;
    out[data.users.id(u)] = row;
  }
  return out;
}

describe('readInteractions', () => {
  it('drops pairs whose total weight is ≤ 0 and events on removed items', async () => {
    await store.addEvents([
      ev('u1', 'a', 'view', 1),
      ev('u1', 'a', 'dislike', -3), // outweighs the view: the pair goes
      ev('u1', 'b', 'make', 5),
      ev('u1', 'b', 'dislike', -2), // does not outweigh the make: 3 left
      ev('u1', 'c', 'like', 2),
      ev('u1', 'c', 'hide', -2), // exactly cancels: ≤ 0 goes
      ev('u2', 'a', 'like', 2),
      ev('u2', 'd', 'make', 5),
      ev('u3', 'e', 'hide', -1), // u3 has nothing positive: not a training user
      ev('u4', 'd', 'view', 1), // u4 only touched d, which is removed below
    ]);
    const before = pairs(await readInteractions(store));
    expect(before).toEqual({ u1: { b: 3 }, u2: { a: 2, d: 5 }, u4: { d: 1 } });

    await store.removeItem('d'); // unpublished; its events stay stored (not purged)
    expect(await store.countEvents()).toBe(10);
    const data = await readInteractions(store);
    expect(pairs(data)).toEqual({ u1: { b: 3 }, u2: { a: 2 } });
    expect(data.items.index('d')).toBeUndefined();
    expect(data.items.index('e')).toBeUndefined();
    expect(data.users.index('u3')).toBeUndefined();
    expect(data.users.index('u4')).toBeUndefined();
    // every kept pair keeps the time of its latest event
    expect(data.times!.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
    // the path `layerwise train` takes (weights bounded as the server bounds them) reads the same
    expect(pairs(await storeInteractions(store))).toEqual({ u1: { b: 3 }, u2: { a: 2 } });
  });

  it('refuses a store where nothing positive is left', async () => {
    const only = await openSqliteStore(join(dir, 'negative.db'));
    try {
      await only.upsertItems([{ id: 'x', status: 'stub', title: 'x' }]);
      await only.addEvents([ev('u', 'x', 'view', 1), ev('u', 'x', 'dislike', -4)]);
      await expect(readInteractions(only)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await only.close();
    }
  });
});
