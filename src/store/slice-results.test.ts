/** The slicer's result cache (issue 20) on SQLite and PostgreSQL: one row per item, printer and orientation, replaced, removed. */
import { afterAll, describe, expect, it } from 'vitest';
import { testAdapters } from './adapters.case.js';

const { adapters, dropSchemas } = await testAdapters('lw_slice');
afterAll(dropSchemas);

for (const adapter of adapters) {
  describe.skipIf(!adapter.enabled)(`slice results: ${adapter.name}`, () => {
    it('stores one result per item, printer and orientation, replaces it, and drops it when the item is removed', async () => {
      const store = await adapter.open();
      try {
        await store.upsertItems([{ id: 'a', status: 'ready' }]);
        expect(await store.getSliceResult('a', 'prusa-mk4', 'stored')).toBeNull();
        const stats = { printSeconds: 1086, filamentMm: 1058.2, filamentCm3: 2.55, filamentG: 3.16, layers: 83 };
        await store.putSliceResult({
          itemId: 'a',
          printer: 'prusa-mk4',
          orientation: 'stored',
          sourceKey: 'k1',
          result: stats,
          createdAt: 5,
        });
        await store.putSliceResult({
          itemId: 'a',
          printer: 'ender-3',
          orientation: 'stored',
          sourceKey: 'k1',
          result: { x: 1 },
          createdAt: 6,
        });
        expect(await store.getSliceResult('a', 'prusa-mk4', 'stored')).toEqual({
          itemId: 'a',
          printer: 'prusa-mk4',
          orientation: 'stored',
          sourceKey: 'k1',
          result: stats,
          createdAt: 5,
        });
        await store.putSliceResult({
          itemId: 'a',
          printer: 'prusa-mk4',
          orientation: 'stored',
          sourceKey: 'k2',
          result: { y: 2 },
          createdAt: 7,
        });
        expect(await store.getSliceResult('a', 'prusa-mk4', 'stored')).toMatchObject({
          sourceKey: 'k2',
          result: { y: 2 },
        });
        expect((await store.getSliceResult('a', 'ender-3', 'stored'))!.result).toEqual({ x: 1 });
        expect(await store.getSliceResult('a', 'ender-3', 'best')).toBeNull();
        await store.removeItem('a');
        expect(await store.getSliceResult('a', 'prusa-mk4', 'stored')).toBeNull();
        expect(await store.getSliceResult('a', 'ender-3', 'stored')).toBeNull();
      } finally {
        await store.close();
      }
    });
  });
}
