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
