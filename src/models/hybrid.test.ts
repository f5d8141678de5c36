/**
 * Hybrid cold start: the contract suite (without content it is iALS), and on a checkerboard with parity as the
 * content, items held out with all their events must still rank first for users of their parity.
 */
import { describe, expect, it } from 'vitest';
import { runRecommenderContract } from '../../test/recommender-contract.js';
import { featureMatrix, Hybrid } from './hybrid.js';
import { Interactions } from './interactions.js';
import type { ItemFeatures } from './recommender.js';

const SMALL = {
  factors: 8,
  reg: 0.1,
  alpha: 5,
  epochs: 10,
  towerHidden: 16,
  towerEpochs: 80,
  towerLr: 0.01,
  minEvents: 1,
};

runRecommenderContract({ kind: 'hybrid', create: () => new Hybrid(SMALL) });

/** 24 users × 24 items, same parity liked; items i0 and i1 have no events (cold). Content: parity one-hot + a tag. */
function coldBoard(): { data: Interactions; features: ItemFeatures } {
  const n = 24;
  const events = [];
  for (let u = 0; u < n; u++)
    for (let i = 2; i < n; i++)
      if (u % 2 === i % 2) events.push({ user: `u${u}`, item: `i${i}`, timestamp: u * n + i });
  events.push({ user: 'u0', item: 'i0', timestamp: 0 }, { user: 'u1', item: 'i1', timestamp: 0 });
  const full = Interactions.fromEvents(events).data;
  // drop the only events of i0 and i1 but keep their columns: cold items the id map knows
  const m = full.matrix;
  const cold = new Set([full.items.index('i0')!, full.items.index('i1')!]);
  const keep: number[] = [];
  for (let p = 0; p < m.indices.length; p++) if (!cold.has(m.indices[p]!)) keep.push(p);
  const indptr = new Int32Array(m.rows + 1);
  for (let u = 0; u < m.rows; u++) {
    let c = 0;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) if (!cold.has(m.indices[p]!)) c++;
    indptr[u + 1] = indptr[u]! + c;
  }
  const data = full.withMatrix({
    rows: m.rows,
    cols: m.cols,
    indptr,
    indices: Int32Array.from(keep, (p) => m.indices[p]!),
    values: Float32Array.from(keep, (p) => m.values[p]!),
  });
  return { data, features: parityFeatures(Array.from({ length: n }, (_, i) => i)) };
}

/** Content of items i<k>: parity one-hot + a tag. */
function parityFeatures(ks: number[]): ItemFeatures {
  const values = new Float32Array(ks.length * 3);
  for (const [r, i] of ks.entries()) values.set([i % 2 === 0 ? 1 : 0, i % 2 === 1 ? 1 : 0, (i % 5) / 5], r * 3);
  return { dim: 3, ids: ks.map((i) => `i${i}`), values };
}

describe('hybrid cold start', () => {
  it('saves the tower whole: a loaded model scores a new item by content like the fitted one', async () => {
    const { data, features } = coldBoard();
    const m = new Hybrid(SMALL);
    await m.fit(data, { seed: 1, itemFeatures: features });
    expect(m.usesContent).toBe(true);
    expect(m.coldCalibration).toBeGreaterThan(1); // the regression shrinks: calibration scales content-only factors up
    const loaded = new Hybrid();
    loaded.load(m.save());
    expect(loaded.usesContent).toBe(true);
    expect(loaded.coldCalibration).toBeCloseTo(m.coldCalibration, 6);
    // two uploads after training: an even and an odd item nobody has seen
    const fresh = parityFeatures([100, 101]);
    for (const model of [m, loaded]) {
      expect(model.addItems(fresh)).toEqual({ added: 2, updated: 0 });
      expect(model.data.nItems).toBe(data.nItems + 2);
      // with i0 and i1 excluded, the new item of the user's parity comes first among all unseen items
      for (const u of ['u2', 'u4']) expect(model.recommend(u, 1, { exclude: ['i0', 'i1'] })[0]!.item).toBe('i100');
      for (const u of ['u3', 'u5']) expect(model.recommend(u, 1, { exclude: ['i0', 'i1'] })[0]!.item).toBe('i101');
      expect(model.addItems(fresh)).toEqual({ added: 0, updated: 2 });
    }
    const a = m.recommend('u2', 5).map((s) => s.item);
    expect(loaded.recommend('u2', 5).map((s) => s.item)).toEqual(a);
    await expect(async () => new Hybrid(SMALL).addItems(fresh)).rejects.toThrowError(/fitted with itemFeatures/);
    expect(() => m.addItems({ dim: 2, ids: ['x'], values: new Float32Array(2) })).toThrowError(/trained on 3/);
  });

  it('calibrates: content-only factors have the norm of the CF factors (coldScale 0 leaves them shrunken)', async () => {
    const { data, features } = coldBoard();
    const norm = (m: Hybrid, id: string): number => {
      const out = new Float32Array(m.data.nItems);
      const i = m.data.items.index(id)!;
      m.scoreUser(m.data.users.index('u2')!, out);
      return out[i]!;
    };
    const cal = new Hybrid(SMALL);
    await cal.fit(data, { seed: 1, itemFeatures: features });
    const raw = new Hybrid({ ...SMALL, coldScale: 0 });
    await raw.fit(data, { seed: 1, itemFeatures: features });
    expect(raw.coldCalibration).toBe(1);
    expect(norm(cal, 'i0')).toBeGreaterThan(norm(raw, 'i0'));
  });

  it('ranks a cold item (no events) by its content: first among unseen items for its parity', async () => {
    const { data, features } = coldBoard();
    const i0 = data.items.index('i0')!;
    expect(data.byItem().indptr[i0 + 1]! - data.byItem().indptr[i0]!).toBe(0);
    const m = new Hybrid(SMALL);
    await m.fit(data, { seed: 1, itemFeatures: features });
    expect(m.towerLosses.at(-1)!).toBeLessThan(m.towerLosses[0]!);
    for (const u of ['u2', 'u4', 'u6']) expect(m.recommend(u, 1)[0]!.item).toBe('i0');
    for (const u of ['u1', 'u3']) expect(m.recommend(u, 1)[0]!.item).toBe('i1');
    const plain = new Hybrid(SMALL);
    const rep = await plain.fit(data, { seed: 1 });
    expect(rep.warnings.join(' ')).toMatch(/no itemFeatures/);
  });

  it('checks feature sizes and aligns rows to item indices', () => {
    const { data, features } = coldBoard();
    const mat = featureMatrix(data, features);
    const i3 = data.items.index('i3')!;
    expect(Array.from(mat.subarray(i3 * 3, i3 * 3 + 3))).toEqual(Array.from(features.values.subarray(9, 12)));
    const bad = { ...features, dim: 4 };
    expect(() => featureMatrix(data, bad)).toThrowError(/items × dim 4/);
    expect(() => new Hybrid({ cfDropout: 2 })).toThrowError(/cfDropout/);
  });
});
