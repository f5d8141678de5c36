/**
 * Item features: block layout and normalisation, hashing shared by train and serve, remix lineages, typed errors;
 * and the content-only baseline model that reads them.
 */
import { describe, expect, it } from 'vitest';
import { runRecommenderContract } from '../../test/recommender-contract.js';
import { buildItemFeatures, featureIndex, featureRow, type ItemContent, words } from './content.js';
import { ContentKnn } from './content-knn.js';
import { Interactions } from './interactions.js';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

const ITEMS: ItemContent[] = [
  { id: 'a', shape: Float32Array.of(3, 4), tokens: ['Flat Hook', 'hook'], creator: 'ann', print: { sizeMm: 100 } },
  { id: 'b', shape: Float32Array.of(1, 0), tokens: ['hook'], creator: 'ann', remixOf: 'a' },
  { id: 'c', tokens: ['vase'], creator: 'bob', remixOf: 'b', print: { overhangShare: 0.3, watertight: true } },
  { id: 'd', tokens: ['Vase spiral'], creator: 'cid' },
];

describe('buildItemFeatures', () => {
  it('lays blocks out in order, each L2-normalised, missing parts as zeros', () => {
    const f = buildItemFeatures(ITEMS, { tokenBuckets: 32, idBuckets: 16 });
    expect(f.blocks!.map((b) => [b.name, b.offset, b.dim])).toEqual([
      ['shape', 0, 2],
      ['tags', 2, 32],
      ['print', 34, 3],
      ['creator', 37, 16],
      ['remix', 53, 16],
    ]);
    expect(f.dim).toBe(69);
    expect(f.values.length).toBe(4 * 69);
    const idx = featureIndex(f);
    const a = featureRow(f, idx, 'a')!;
    expect(Array.from(a.subarray(0, 2)).map((x) => +x.toFixed(5))).toEqual([0.6, 0.8]);
    expect(norm(a.subarray(2, 34))).toBeCloseTo(1, 5);
    expect(a[34]).toBeCloseTo(2 / 3, 5); // log10(100) / 3
    const c = featureRow(f, idx, 'c')!;
    expect(Array.from(c.subarray(0, 2))).toEqual([0, 0]);
    expect(c[35]).toBeCloseTo(0.3, 6);
    expect(c[36]).toBe(0.5);
    expect(featureRow(f, idx, 'zz')).toBeUndefined();
  });

  it('hashes tokens by word, case-insensitively: the same word lands in the same bucket for any item', () => {
    expect(words('Flat-Hook, 2x')).toEqual(['flat', 'hook', '2x']);
    const f = buildItemFeatures(ITEMS, { blocks: ['tags'], tokenBuckets: 64 });
    const idx = featureIndex(f);
    const dot = (x: string, y: string): number => {
      const p = featureRow(f, idx, x)!;
      const q = featureRow(f, idx, y)!;
      return p.reduce((s, v, i) => s + v * q[i]!, 0);
    };
    expect(dot('a', 'b')).toBeGreaterThan(0.5); // both say hook
    expect(dot('c', 'd')).toBeGreaterThan(0.5); // vase / Vase
    // rebuilding for one new item alone gives the same row (serve-time features match training's)
    const alone = buildItemFeatures([ITEMS[3]!], { blocks: ['tags'], tokenBuckets: 64 });
    expect(Array.from(alone.values)).toEqual(Array.from(featureRow(f, idx, 'd')!));
  });

  it('puts an original, its remixes and their remixes in one lineage bucket; unrelated items get none', () => {
    const f = buildItemFeatures(ITEMS, { blocks: ['remix'], idBuckets: 16 });
    const idx = featureIndex(f);
    const bucket = (id: string): number => featureRow(f, idx, id)!.findIndex((x) => x > 0);
    expect(bucket('a')).toBeGreaterThanOrEqual(0);
    expect(bucket('b')).toBe(bucket('a'));
    expect(bucket('c')).toBe(bucket('a'));
    expect(bucket('d')).toBe(-1);
  });

  it('says which block is unknown or impossible', () => {
    expect(() => buildItemFeatures(ITEMS, { blocks: ['colour' as never] })).toThrowError(/unknown feature block/);
    expect(() => buildItemFeatures([{ id: 'x', tokens: ['t'] }], { blocks: ['shape'] })).toThrowError(/embed/);
    const ragged = [...ITEMS, { id: 'e', shape: Float32Array.of(1, 2, 3) }];
    expect(() => buildItemFeatures(ragged)).toThrowError(/item 'e'.*3 values, expected 2/);
    // default: only the blocks some item has
    expect(buildItemFeatures([{ id: 'x', tokens: ['t'] }]).blocks!.map((b) => b.name)).toEqual(['tags']);
  });
});

/** Checkerboard item content: item i's one feature block is its parity (what the checkerboard's users share). */
function parityFeatures(size: number) {
  const ids = Array.from({ length: size }, (_, i) => `i${i}`);
  const values = new Float32Array(size * 2);
  for (let i = 0; i < size; i++) values[i * 2 + (i % 2)] = 1;
  return { itemFeatures: { dim: 2, ids, values } };
}

runRecommenderContract({ kind: 'content', create: () => new ContentKnn(), fitOptions: parityFeatures });

describe('content baseline', () => {
  it('ranks unseen items by content similarity to the history, saves and loads', async () => {
    const events = [
      { user: 'u', item: 'a' },
      { user: 'v', item: 'c' },
      { user: 'v', item: 'd' },
      { user: 'v', item: 'b' },
    ];
    const data = Interactions.fromEvents(events).data;
    const features = buildItemFeatures(ITEMS, { blocks: ['tags'] });
    const m = new ContentKnn();
    await expect(m.fit(data)).rejects.toThrowError(/needs itemFeatures/);
    await m.fit(data, { itemFeatures: features });
    expect(m.recommend('u', 1)[0]!.item).toBe('b'); // hook like a
    const ev = m.explain('u', 'b');
    expect(ev.contributions[0]!.item).toBe('a');
    const loaded = new ContentKnn();
    loaded.load(m.save());
    expect(loaded.recommend('u', 3)).toEqual(m.recommend('u', 3));
  });
});
