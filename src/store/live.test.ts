/**
 * Contract of the live-traffic ports (impressions, experiments, model changes, removal) on SQLite and PostgreSQL.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testAdapters } from './adapters.case.js';
import type { ImpressionInput } from './live-ports.js';
import type { EventInput, Store } from './ports.js';

const { adapters, dropSchemas } = await testAdapters('lw_live');
afterAll(dropSchemas);

const ev = (userId: string, itemId: string, type: EventInput['type'], timestamp: number, rec?: string): EventInput => ({
  userId,
  itemId,
  type,
  weight: type === 'dislike' ? -2 : 1,
  timestamp,
  ...(rec ? { recommendationId: rec } : {}),
});

const imp = (
  rec: string,
  userId: string,
  itemId: string,
  position: number,
  arm: string,
  ts: number,
): ImpressionInput => ({
  recommendationId: rec,
  userId,
  itemId,
  position,
  model: 'recommender@1',
  experiment: 'exp1',
  arm,
  timestamp: ts,
});

for (const adapter of adapters) {
  describe.skipIf(!adapter.enabled)(`live store: ${adapter.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await adapter.open();
      await store.upsertItems(['a', 'b', 'c', 'd'].map((id) => ({ id, status: 'ready' as const, title: id })));
    });
    afterEach(() => store.close());

    it('stores impressions and the recommendationId events carry; the readout counts distinct shown items hit', async () => {
      const t0 = 1_700_000_000_000;
      await store.addImpressions([
        imp('r1', 'u1', 'a', 0, 'A', t0),
        imp('r1', 'u1', 'b', 1, 'A', t0),
        imp('r2', 'u2', 'a', 0, 'B', t0 + 5000),
        imp('r2', 'u2', 'c', 1, 'B', t0 + 5000),
        imp('r3', 'u2', 'd', 0, 'B', t0 + 65_000),
      ]);
      expect(await store.countImpressions({ experiment: 'exp1' })).toBe(5);
      expect((await store.impressionsOf('r2')).map((i) => i.itemId)).toEqual(['a', 'c']);
      await store.addEvents([
        ev('u1', 'a', 'view', t0 + 1000, 'r1'),
        ev('u1', 'a', 'view', t0 + 2000, 'r1'), // a second view of the same shown item counts once
        ev('u1', 'a', 'like', t0 + 3000, 'r1'),
        ev('u2', 'c', 'view', t0 + 6000, 'r2'),
        ev('u2', 'd', 'view', t0 + 7000, 'r2'), // d was not shown in r2: not attributed
        ev('u2', 'b', 'view', t0 + 8000), // no recommendationId
      ]);
      const hist = await store.userHistory('u1');
      expect(hist.map((e) => e.recommendationId)).toEqual(['r1', 'r1', 'r1']);
      const stats = await store.experimentStats('exp1', { since: t0, bucketMs: 60_000 });
      const byKey = Object.fromEntries(stats.map((s) => [`${s.arm}/${s.userId}/${s.bucket}`, s]));
      expect(Object.keys(byKey).sort()).toEqual(['A/u1/0', 'B/u2/0', 'B/u2/1']);
      expect(byKey['A/u1/0']).toMatchObject({ shown: 2, hits: { view: 1, like: 1 } });
      expect(byKey['B/u2/0']).toMatchObject({ shown: 2, hits: { view: 1 } });
      expect(byKey['B/u2/1']).toMatchObject({ shown: 1, hits: {} });
    });

    it('creates, lists and updates experiments; a duplicate id is a conflict', async () => {
      const arms = [
        { name: 'control', model: 'recommender@1', rules: null, share: 1 },
        { name: 'treatment', model: 'recommender@2', rules: { supportPenalty: 1 }, share: 1 },
      ];
      const e = await store.createExperiment({ id: 'e1', name: 'ials vs ease', arms, settings: { alpha: 0.05 } });
      expect(e).toMatchObject({ id: 'e1', status: 'draft', arms, settings: { alpha: 0.05 }, startedAt: null });
      await expect(store.createExperiment({ id: 'e1', name: 'x', arms, settings: {} })).rejects.toMatchObject({
        code: 'conflict',
      });
      const started = await store.updateExperiment('e1', { status: 'running', startedAt: 123 });
      expect(started).toMatchObject({ status: 'running', startedAt: 123 });
      expect((await store.listExperiments()).map((x) => x.id)).toEqual(['e1']);
      await expect(store.updateExperiment('nope', { status: 'stopped' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('records model changes newest first and never deletes the active version', async () => {
      for (let i = 0; i < 3; i++) await store.saveModel({ name: 'recommender', config: {}, configHash: `h${i}` });
      await store.setActiveModel('recommender', 2);
      await store.recordModelChange({
        name: 'recommender',
        version: 2,
        action: 'promote',
        previous: 1,
        reason: 'r',
        details: { ndcg: 0.3 },
      });
      await store.recordModelChange({
        name: 'recommender',
        version: 1,
        action: 'rollback',
        previous: 2,
        reason: 'back',
        details: null,
      });
      const changes = await store.listModelChanges({ name: 'recommender' });
      expect(changes.map((c) => c.action)).toEqual(['rollback', 'promote']);
      expect(changes[1]).toMatchObject({ version: 2, previous: 1, details: { ndcg: 0.3 } });
      await expect(store.deleteModel('recommender', 2)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store.deleteModel('recommender', 1)).toBe(true);
      expect(await store.deleteModel('recommender', 1)).toBe(false);
      expect((await store.listModels('recommender')).map((m) => m.version)).toEqual([3, 2].sort());
    });

    it('removes an item: unlisted, embeddings gone, new events rejected, events purged on request; logged', async () => {
      await store.putEmbeddings('d2', [{ itemId: 'a', vector: new Float32Array([1, 2]) }]);
      await store.addEvents([ev('u1', 'a', 'like', 1), ev('u1', 'b', 'like', 2)]);
      expect(await store.removeItem('a')).toEqual({ removed: true, events: 0 });
      expect(await store.removeItem('a')).toEqual({ removed: false, events: 0 });
      expect(await store.removeItem('zzz')).toEqual({ removed: false, events: 0 });
      expect((await store.listItems()).items.map((i) => i.id)).toEqual(['b', 'c', 'd']);
      expect((await store.getItem('a'))?.status).toBe('removed');
      expect((await store.getEmbeddings('d2', ['a'])).size).toBe(0);
      expect(await store.userHistory('u1')).toHaveLength(2); // kept unless purged
      const r = await store.addEvents([ev('u2', 'a', 'view', 3), ev('u2', 'b', 'view', 3)]);
      expect(r).toMatchObject({ inserted: 1, rejected: [0] });
      const r2 = await store.addEvents([ev('u2', 'a', 'view', 4)], { unknownItems: 'reject' });
      expect(r2.rejected).toEqual([0]);
      expect(await store.removeItem('a', { purgeEvents: true })).toEqual({ removed: false, events: 1 });
      expect((await store.userHistory('u1')).map((e) => e.itemId)).toEqual(['b']);
      expect((await store.removals()).map((x) => [x.kind, x.id])).toEqual([
        ['item', 'a'],
        ['item', 'a'],
      ]);
    });

    it('erases a user: events, impressions and the user row; other users untouched; logged', async () => {
      await store.addEvents([ev('u1', 'a', 'like', 1), ev('u1', 'b', 'hide', 2), ev('u2', 'a', 'like', 3)]);
      await store.addImpressions([imp('r1', 'u1', 'a', 0, 'A', 1), imp('r2', 'u2', 'a', 0, 'A', 1)]);
      expect(await store.eraseUser('u1')).toEqual({ erased: true, events: 2, impressions: 1 });
      expect(await store.getUser('u1')).toBeNull();
      expect(await store.userHistory('u1')).toEqual([]);
      expect(await store.countImpressions({ userId: 'u1' })).toBe(0);
      expect(await store.userHistory('u2')).toHaveLength(1);
      expect(await store.eraseUser('u1')).toEqual({ erased: false, events: 0, impressions: 0 });
      const log = await store.removals();
      expect(log.map((x) => [x.kind, x.id])).toEqual([['user', 'u1']]);
      expect(await store.removals(log[0]!.seq)).toEqual([]);
      let n = 0;
      for await (const page of store.iterateEvents()) n += page.filter((e) => e.userId === 'u1').length;
      expect(n).toBe(0);
    });
  });
}
