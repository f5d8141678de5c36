/** Scheduled retraining on a real SQLite store: skip until enough new events, gate, prune, rollback, the log. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventInput, Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { activateVersion, pruneVersions, retrainOnce, rollback, scheduleRetraining } from './retrain.js';

/** 40 users in two taste groups over 30 items, so a recommender has something to learn. */
function events(seed: number, n = 40): EventInput[] {
  const out: EventInput[] = [];
  for (let u = 0; u < n; u++) {
    const group = u % 2;
    for (let j = 0; j < 8; j++) {
      const item = group * 15 + ((u * 7 + j * 3 + seed) % 15);
      out.push({ userId: `u${u}`, itemId: `i${item}`, type: 'like', weight: 2, timestamp: 1000 * (seed * 100 + j) });
    }
  }
  return out;
}

describe('scheduled retraining', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    await store.addEvents(events(0));
  });
  afterEach(() => store.close());

  it('promotes the first version, skips until enough new events, rejects a candidate that fails the gate', async () => {
    const first = await retrainOnce(store, { kinds: ['itemknn'], minNewEvents: 50 });
    expect(first).toMatchObject({ action: 'promoted', candidate: { version: 1, kind: 'itemknn' }, active: null });
    expect((await store.getActiveModel('recommender'))?.version).toBe(1);

    const skipped = await retrainOnce(store, { kinds: ['itemknn'], minNewEvents: 50 });
    expect(skipped).toMatchObject({ action: 'skipped', newEvents: 0 });

    await store.addEvents(events(1));
    // demanding a 10× improvement: the candidate is stored, not activated
    const rejected = await retrainOnce(store, { kinds: ['itemknn'], minNewEvents: 50, tolerance: -9 });
    expect(rejected).toMatchObject({ action: 'rejected', candidate: { version: 2 }, active: { version: 1 } });
    expect((await store.getActiveModel('recommender'))?.version).toBe(1);

    await store.addEvents(events(2));
    const promoted = await retrainOnce(store, { kinds: ['itemknn'], minNewEvents: 50, tolerance: 0.5 });
    expect(promoted).toMatchObject({ action: 'promoted', candidate: { version: 3 } });
    expect((await store.getActiveModel('recommender'))?.version).toBe(3);
    const log = await store.listModelChanges({ name: 'recommender' });
    expect(log.map((c) => [c.action, c.version, c.previous])).toEqual([
      ['promote', 3, 1],
      ['reject', 2, 1],
      ['promote', 1, null],
    ]);
    expect(log[1]!.reason).toMatch(/failed the gate: ndcg \d\.\d{4} vs \d\.\d{4} active \(tolerance -9\)/);
  });

  it('keeps the newest K inactive versions, never the active one, and rolls back to the previous version', async () => {
    for (let i = 0; i < 4; i++) await retrainOnce(store, { kinds: ['pop'], tolerance: 1 }, { force: true });
    expect((await store.getActiveModel('recommender'))?.version).toBe(4);
    expect(await pruneVersions(store, 'recommender', 2)).toEqual([1]);
    expect((await store.listModels('recommender')).map((m) => m.version).sort()).toEqual([2, 3, 4]);
    const back = await rollback(store, 'recommender');
    expect(back).toMatchObject({ action: 'rollback', version: 3, previous: 4 });
    expect((await store.getActiveModel('recommender'))?.version).toBe(3);
    await activateVersion(store, 'recommender', 4);
    await expect(rollback(store, 'recommender', 99)).rejects.toMatchObject({ code: 'not_found' });
    const actions = (await store.listModelChanges()).map((c) => c.action);
    expect(actions.slice(0, 3)).toEqual(['activate', 'rollback', 'prune']);
  });

  it('runs on a timer, one run at a time', async () => {
    const results: string[] = [];
    const s = scheduleRetraining(
      store,
      { kinds: ['pop'], everyMs: 60_000 },
      { onResult: (r) => results.push(r.action) },
    );
    const [a, b] = await Promise.all([s.runNow(), s.runNow()]);
    expect(a).toBe(b);
    await s.stop();
    expect(results).toEqual(['promoted']);
  });
});
