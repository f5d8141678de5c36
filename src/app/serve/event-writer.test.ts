/** Group commit of API events on a real SQLite store: one transaction per event-loop turn, answers per request. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedStore } from '../../api/testing/fixture.js';
import type { Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { EventWriter } from './event-writer.js';

let dir: string;
let store: Store;
async function open(): Promise<Store> {
  dir = mkdtempSync(join(tmpdir(), 'layerwise-event-writer-'));
  store = await openSqliteStore(join(dir, 'layerwise.db'));
  await seedStore(store);
  return store;
}
afterEach(async () => {
  await store?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const ev = (user: string, item: string, t: number) => ({
  userId: user,
  itemId: item,
  type: 'view' as const,
  weight: 1,
  timestamp: t,
});

describe('EventWriter', () => {
  it('commits the requests of one turn together and answers each with its own unknown items', async () => {
    const s = await open();
    const before = await s.countEvents();
    const w = new EventWriter(s);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        w.add([
          ev(`gc-${i}`, 'vase-1', 1000 + i),
          ev(`gc-${i}`, i % 4 === 0 ? 'no-such-item' : 'gear-2', 2000 + i),
          ev(`gc-${i}`, 'hook-3', 3000 + i),
        ]),
      ),
    );
    expect(w.commits).toBe(1);
    expect(results).toEqual(results.map((_, i) => (i % 4 === 0 ? [1] : [])));
    expect((await s.countEvents()) - before).toBe(40 * 3 - 10);
    expect((await s.userHistory('gc-7')).map((e) => e.itemId).sort()).toEqual(['gear-2', 'hook-3', 'vase-1']);
  });

  it('commits requests of different turns separately, and large groups in several transactions', async () => {
    const s = await open();
    const w = new EventWriter(s, 5);
    for (let i = 0; i < 3; i++) await w.add([ev('seq', 'vase-1', 10 + i)]);
    expect(w.commits).toBe(3);
    await Promise.all(
      [0, 1, 2].map((i) =>
        w.add([ev('big', 'vase-2', 100 + i), ev('big', 'vase-3', 200 + i), ev('big', 'vase-4', 300 + i)]),
      ),
    );
    expect(w.commits).toBe(3 + 3); // 3 + 3 + 3 rows > 5 per transaction: one request per commit
    expect(await s.userHistory('big')).toHaveLength(9);
  });

  it('a failed commit fails every request of its group', async () => {
    const s = await open();
    const w = new EventWriter(s);
    await s.close();
    const outcomes = await Promise.allSettled([w.add([ev('x', 'vase-1', 1)]), w.add([ev('y', 'vase-1', 2)])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
