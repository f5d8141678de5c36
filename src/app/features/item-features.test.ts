/**
 * ItemFeatures from a real (SQLite) store: listing facts, printability reports and shape embeddings become one row
 * per item; a block list selects columns; a new item's row built alone (with its ancestors) equals its row in a
 * full rebuild, which is what lets serve score an upload exactly as train would have.
 */
import { describe, expect, it } from 'vitest';
import { analyzeMesh } from '../../geometry/analyze.js';
import { box } from '../../geometry/primitives.js';
import { featureIndex, featureRow } from '../../models/content.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { allItems, featuresForItem, itemContent, parseFeatureBlocks, storeItemFeatures } from './item-features.js';

async function seeded() {
  const store = await openSqliteStore(':memory:');
  const report = analyzeMesh(box([40, 20, 2]));
  await store.upsertItems([
    { id: 'a', title: 'Flat hook', tags: ['hook', 'wall'], category: 'household', creator: 'ann', report },
    { id: 'b', title: 'Flat hook v2', tags: ['hook'], category: 'household', creator: 'bob', remixOf: 'a' },
    { id: 'c', title: 'Remix of v2', tags: ['hook'], creator: 'cid', remixOf: 'b' },
    { id: 'd', title: 'Spiral vase', tags: ['vase'], category: 'decor' },
  ]);
  await store.putEmbeddings('enc', [
    { itemId: 'a', vector: Float32Array.of(1, 0, 0) },
    { itemId: 'b', vector: Float32Array.of(0, 1, 0) },
  ]);
  return store;
}

describe('item features from the store', () => {
  it('assembles every block from listings, reports and the encoder vectors', async () => {
    const store = await seeded();
    const f = (await storeItemFeatures(store, { encoder: 'enc' }))!;
    expect(f.blocks!.map((b) => b.name)).toEqual(['shape', 'tags', 'print', 'creator', 'remix']);
    expect([...f.ids].sort()).toEqual(['a', 'b', 'c', 'd']);
    const idx = featureIndex(f);
    expect(Array.from(featureRow(f, idx, 'b')!.subarray(0, 3))).toEqual([0, 1, 0]);
    const print = f.blocks!.find((b) => b.name === 'print')!;
    const a = featureRow(f, idx, 'a')!;
    expect(a[print.offset]).toBeCloseTo(Math.log10(40) / 3, 4); // longest side 40 mm
    expect(a[print.offset + 2]).toBe(0.5); // watertight box
    const only = (await storeItemFeatures(store, { blocks: ['tags'] }))!;
    expect(only.blocks!.map((b) => b.name)).toEqual(['tags']);
    await expect(storeItemFeatures(store, { blocks: ['shape'] })).rejects.toThrowError(/layerwise embed/);
    await store.close();
  });

  it("a new item's row built alone equals its row in a full rebuild (remix lineage included)", async () => {
    const store = await seeded();
    const full = (await storeItemFeatures(store, { encoder: 'enc' }))!;
    const items = new Map((await allItems(store)).map((it) => [it.id, itemContent(it)]));
    const c = items.get('c')!;
    const alone = featuresForItem(c, full.blocks!, (id) => items.get(id));
    expect(alone.dim).toBe(full.dim);
    expect(Array.from(alone.values)).toEqual(Array.from(featureRow(full, featureIndex(full), 'c')!));
    await store.close();
  });

  it('parses --item-features flags', () => {
    expect(parseFeatureBlocks('store')).toBeUndefined();
    expect(parseFeatureBlocks('shape,tags')).toEqual(['shape', 'tags']);
    expect(() => parseFeatureBlocks('shape,colour')).toThrowError(/unknown block 'colour'/);
  });
});
