import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { Interactions } from '../../models/interactions.js';
import { createModel } from '../../models/registry.js';
import type { Item } from '../../store/ports.js';
import { Catalog } from './catalog.js';
import { ServedModel } from './served-model.js';

function stub(id: string): Item {
  return {
    id,
    status: 'stub',
    fileHash: null,
    path: null,
    format: null,
    sizeBytes: null,
    report: null,
    error: null,
    title: id,
    description: null,
    tags: [],
    license: null,
    creator: null,
    category: null,
    remixOf: null,
    createdAt: null,
    ingestedAt: 0,
    updatedAt: 0,
  };
}

describe('ServedModel.candidates', () => {
  it('equals a brute-force sort of the model scores (seen and uncatalogued items excluded, ties by index)', async () => {
    const rng = new Rng(3);
    const events = Array.from({ length: 3000 }, () => ({
      user: `u${rng.int(200)}`,
      item: `i${Math.floor(rng.next() ** 2 * 300)}`,
    }));
    const { data } = Interactions.fromEvents(events);
    const model = createModel('itemknn', { neighbours: 20 });
    await model.fit(data);
    // the catalogue lacks every 7th item and orders items differently from the model
    const ids = data.items
      .toArray()
      .filter((_, i) => i % 7 !== 3)
      .reverse();
    const catalog = Catalog.from(ids.map(stub));
    const served = new ServedModel({ id: 'm@1', name: 'm', version: 1 }, model, catalog);
    for (let u = 0; u < 20; u++) {
      const history = new Map<number, number>();
      for (const m of data.rowItems(u)) {
        const c = catalog.index(data.items.id(m));
        if (c !== undefined) history.set(c, 1);
      }
      const h = served.historyArrays(history);
      for (const n of [1, 10, 50, 10_000]) {
        const got = served.candidates(h, n);
        const scores = new Float32Array(model.data.nItems);
        model.scoreHistory(h.items, h.weights, scores);
        const seen = new Set(h.items);
        const expected = [...scores.keys()]
          .filter((m) => !seen.has(m) && served.toCatalog[m]! >= 0)
          .sort((a, b) => scores[b]! - scores[a]! || a - b);
        const want = expected.slice(0, n);
        expect(Array.from(got.scores.subarray(0, got.count))).toEqual(want.map((m) => scores[m]!));
        // the items match exactly above the last score (equal scores may be cut anywhere)
        const last = want.length > 0 ? scores[want[want.length - 1]!]! : 0;
        const above = (list: number[]) => list.filter((m) => scores[m]! > last).sort((a, b) => a - b);
        expect(above(Array.from(got.items).map((c) => served.modelIndex(c)))).toEqual(above(want));
        expect(got.complete).toBe(n >= expected.length);
      }
    }
  });
});

describe('ServedModel.historyArrays', () => {
  it('hands a sequential model the history in the order the user met the items, others sorted by index', async () => {
    const events = Array.from({ length: 40 }, (_, k) => ({
      user: `u${k % 4}`,
      item: `i${(k * 7) % 13}`,
      timestamp: k,
    }));
    const { data } = Interactions.fromEvents(events);
    const catalog = Catalog.from(data.items.toArray().map(stub));
    const history = new Map<number, number>();
    for (const id of ['i9', 'i2', 'i5']) history.set(catalog.index(id)!, 1);
    const markov = createModel('markov');
    await markov.fit(data);
    const seq = new ServedModel({ id: 'm@1', name: 'm', version: 1 }, markov, catalog).historyArrays(history);
    expect(Array.from(seq.items, (m) => data.items.id(m))).toEqual(['i9', 'i2', 'i5']);
    const knn = createModel('itemknn');
    await knn.fit(data);
    const set = new ServedModel({ id: 'k@1', name: 'k', version: 1 }, knn, catalog).historyArrays(history);
    expect(Array.from(set.items)).toEqual(Array.from(set.items).sort((a, b) => a - b));
  });
});

describe('ServedModel.extendCandidates (uploads scored without recomputing cached candidates)', () => {
  /** 30 users × 30 items, same parity liked; content = parity one-hot + a tag. */
  async function fitted() {
    const events = [];
    for (let u = 0; u < 30; u++)
      for (let i = 0; i < 30; i++)
        if (u % 2 === i % 2 && (u + i) % 3 !== 0) events.push({ user: `u${u}`, item: `i${i}` });
    const { data } = Interactions.fromEvents(events);
    const features = (ks: number[]) => {
      const values = new Float32Array(ks.length * 3);
      for (const [r, i] of ks.entries()) values.set([i % 2 === 0 ? 1 : 0, i % 2, (i % 5) / 5], r * 3);
      return { dim: 3, ids: ks.map((i) => `i${i}`), values };
    };
    const model = createModel('hybrid', { factors: 8, epochs: 10, towerHidden: 16, towerEpochs: 80, towerLr: 0.01 });
    await model.fit(data, { seed: 1, itemFeatures: features(Array.from({ length: 30 }, (_, i) => i)) });
    return { data, model: model as typeof model & { addItems(f: ReturnType<typeof features>): unknown }, features };
  }

  it('merges the appended items into cached candidates as a full scan would rank them', async () => {
    const { data, model, features } = await fitted();
    const catalog = Catalog.from(data.items.toArray().map(stub));
    const ref = { id: 'recommender@1', name: 'recommender', version: 1 };
    const before = new ServedModel(ref, model, catalog);
    const history = new Map<number, number>();
    for (const m of data.rowItems(data.users.index('u2')!)) history.set(catalog.index(data.items.id(m))!, 1);
    const hist = before.historyArrays(history);
    const cached = before.candidates(hist, 8);
    const factor = before.userFactor(hist);
    expect(factor).not.toBeNull();
    // two uploads: an even item (u2's parity) and an odd one
    for (const id of ['i100', 'i101']) catalog.upsert(stub(id));
    model.addItems(features([100, 101]));
    const after = new ServedModel(ref, model, catalog, null, before.lineage);
    const ext = after.extendCandidates(before, hist, factor, cached, 8)!;
    expect(ext.changed).toBe(true);
    const full = after.candidates(hist, 8);
    const even = catalog.index('i100')!;
    expect([...ext.items]).toContain(even);
    expect([...ext.items]).not.toContain(catalog.index('i101')!);
    // the new item sits where the full scan puts it, with its score within a few per cent (the fold-in's Gram
    // matrix moved by 2 items of 32 here; by one row per upload in a real catalogue)
    expect([...ext.items].indexOf(even)).toBe([...full.items].indexOf(even));
    const scanned = full.scores[[...full.items].indexOf(even)]!;
    expect(Math.abs(ext.scores[[...ext.items].indexOf(even)]! - scanned)).toBeLessThan(0.05 * Math.abs(scanned));
    expect(new Set(ext.items)).toEqual(new Set(full.items));
    expect([...ext.scores]).toEqual([...ext.scores].sort((a, b) => b - a));
    // not the same lineage (a retrain, an updated item) or no factor: the caller recomputes
    const other = new ServedModel(ref, model, catalog);
    expect(other.extendCandidates(before, hist, factor, cached, 8)).toBeNull();
    expect(after.extendCandidates(before, hist, null, cached, 8)).toBeNull();
  });
});
