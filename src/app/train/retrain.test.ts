/**
 * Scheduled retraining on a real SQLite store: skip until enough new events, the gate (candidate and active version
 * on the same split), prune, rollback, the log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
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

/** Taste-free events: each of `n` users likes 8 items drawn uniformly from 60 (nothing to learn beyond chance). */
function noise(seed: number, n = 40): EventInput[] {
  const rng = new Rng(seed);
  const out: EventInput[] = [];
  for (let u = 0; u < n; u++) {
    for (let j = 0; j < 8; j++) {
      out.push({ userId: `u${u}`, itemId: `n${rng.int(60)}`, type: 'like', weight: 2, timestamp: 1e6 * seed + j });
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
    expect(log[1]!.reason).toMatch(
      /failed the gate: ndcg \d\.\d{4} vs \d\.\d{4} active on the same split \(tolerance -9\)/,
    );
  });

  it("rejects a worse model that only beats the active version's metric recorded on an older, harder split", async () => {
    const noisy = await openSqliteStore(':memory:');
    try {
      await noisy.addEvents(noise(1));
      const first = await retrainOnce(noisy, { kinds: ['itemknn'] });
      expect(first.action).toBe('promoted'); // trained on noise: its recorded NDCG is low
      for (const seed of [1, 2, 3]) await noisy.addEvents(events(seed)); // taste groups arrive
      const r = await retrainOnce(noisy, { kinds: ['pop'], minNewEvents: 50, tolerance: 0 });
      const recorded = r.active!.recorded!;
      // the old gate (popularity now vs item-kNN's recorded NDCG) would have promoted popularity …
      expect(r.candidate!.metric).toBeGreaterThan(recorded);
      // … but on the same split item-kNN's configuration is clearly better, so the candidate is rejected
      expect(r.active).toMatchObject({ version: 1, split: 'same' });
      expect(r.active!.metric!).toBeGreaterThan(r.candidate!.metric + 0.05);
      expect(r.action).toBe('rejected');
      expect((await noisy.getActiveModel('recommender'))?.version).toBe(1);
      const [change] = await noisy.listModelChanges({ name: 'recommender', limit: 1 });
      expect(change).toMatchObject({ action: 'reject', details: { split: 'same', activeRecorded: recorded } });
    } finally {
      await noisy.close();
    }
  });

  it('promotes the same configuration on new, harder data that the recorded metric would have rejected', async () => {
    const first = await retrainOnce(store, { kinds: ['itemknn'] }); // taste groups: a high recorded NDCG
    expect(first.action).toBe('promoted');
    for (const seed of [1, 2, 3, 4]) await store.addEvents(noise(seed)); // then mostly noise
    const r = await retrainOnce(store, { kinds: ['itemknn'], minNewEvents: 50, tolerance: 0.02 });
    // the old gate: today's score against the score recorded on the easier data — a rejection
    expect(r.candidate!.metric).toBeLessThan(r.active!.recorded! * 0.98);
    // the same configuration on the same split scores the same: not worse, promoted
    expect(r.active).toMatchObject({ split: 'same', metric: r.candidate!.metric });
    expect(r.action).toBe('promoted');
    expect((await store.getActiveModel('recommender'))?.version).toBe(2);
  });

  it('falls back to the recorded metric, and says so, when the active version records no known kind', async () => {
    await retrainOnce(store, { kinds: ['pop'] });
    const v1 = (await store.getActiveModel('recommender'))!;
    const row = await store.saveModel({
      name: 'recommender',
      config: { kind: 'something-else' },
      configHash: 'x',
      metrics: { ndcg: 0 },
      payload: (await store.getModel('recommender', v1.version))!.payload!,
    });
    await store.setActiveModel('recommender', row.version);
    const r = await retrainOnce(store, { kinds: ['pop'] }, { force: true });
    expect(r.active).toMatchObject({ version: row.version, split: 'recorded', metric: 0 });
    expect(r.reason).toMatch(/active as recorded on its own split/);
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
