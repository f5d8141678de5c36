/**
 * Candidate retrieval against full scoring: the MIPS index over iALS factors (usearch, built in a worker thread)
 * must find ≥ 95 % of full scoring's top 10 among its candidates; neighbour lists (ItemKNN) and the popularity order
 * must find exactly full scoring's top 10.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SearchThreads } from '../../ann/search-thread.js';
import { UsearchIndex } from '../../ann/usearch-index.js';
import { Rng } from '../../core/rng.js';
import { Interactions } from '../../models/interactions.js';
import { createModel } from '../../models/registry.js';
import type { Item } from '../../store/ports.js';
import { Catalog } from './catalog.js';
import { CandidateIndexes } from './indexes.js';
import { type FactorModel, mipsRows } from './retrieval.js';
import { ServedModel } from './served-model.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-retrieval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function stub(id: string): Item {
  return {
    ...{ id, status: 'stub', fileHash: null, path: null, format: null, sizeBytes: null, report: null, error: null },
    ...{ title: id, description: null, tags: [], license: null, creator: null, category: null, remixOf: null },
    ...{ createdAt: null, ingestedAt: 0, updatedAt: 0 },
  } as Item;
}

/** Users with tastes over 40 latent groups of 4,000 items, popular items more likely. */
function library(seed: number) {
  const rng = new Rng(seed);
  const events: { user: string; item: string; weight: number }[] = [];
  for (let u = 0; u < 3000; u++) {
    const groups = [rng.int(40), rng.int(40)];
    for (let e = 0; e < 25; e++) {
      const g = groups[rng.int(2)]!;
      events.push({ user: `u${u}`, item: `i${g * 100 + Math.floor(rng.next() ** 2 * 100)}`, weight: 1 + rng.int(3) });
    }
  }
  return Interactions.fromEvents(events).data;
}

/** Histories of held-out users (fold-in), in model index space. */
function histories(data: Interactions, n: number, seed: number) {
  const rng = new Rng(seed);
  const out: { items: Int32Array; weights: Float32Array }[] = [];
  for (let h = 0; h < n; h++) {
    const g = rng.int(40);
    const set = new Set<number>();
    for (let e = 0; e < 3 + rng.int(20); e++) {
      const m = data.items.index(`i${g * 100 + rng.int(100)}`);
      if (m !== undefined) set.add(m);
    }
    const items = Int32Array.from([...set].sort((a, b) => a - b));
    out.push({ items, weights: Float32Array.from(items, () => 1 + rng.int(3)) });
  }
  return out;
}

async function served(kind: string, params: Record<string, unknown>, threads: SearchThreads | null = null) {
  const data = library(7);
  const model = createModel(kind, params);
  await model.fit(data, { seed: 1 });
  const catalog = Catalog.from(data.items.toArray().map(stub));
  const indexes = new CandidateIndexes({ dir, minItems: 0, threads });
  const s = new ServedModel(
    { id: `${kind}@1`, name: kind, version: 1 },
    model,
    catalog,
    indexes.retriever(model, catalog.size, `${kind}@1`),
  );
  await indexes.ready(model);
  return { s, data, indexes };
}

/** Share of full scoring's top 10 found among the retrieved candidates, over the histories. */
function recall(s: ServedModel, hs: ReturnType<typeof histories>, n: number): number {
  let found = 0;
  let total = 0;
  for (const h of hs) {
    const exact = s.scan(h, 10);
    const got = s.candidates(h, n);
    const have = new Set(got.items.subarray(0, got.count));
    for (let k = 0; k < exact.count; k++) found += have.has(exact.items[k]!) ? 1 : 0;
    total += exact.count;
    // retrieved candidates carry exact scores, best first
    for (let k = 1; k < got.count; k++) expect(got.scores[k]!).toBeLessThanOrEqual(got.scores[k - 1]!);
  }
  return found / total;
}

describe('candidate retrieval', () => {
  it('searches inner products over (v, b) rows, and keeps recall with long-tailed item norms', () => {
    const rng = new Rng(2);
    const f = 16;
    const n = 20_000;
    // iALS-like item side: most items near the origin, a few with large norms (1 M items: p50 0.07, max 7)
    const values = new Float32Array(n * f);
    for (let j = 0; j < n; j++) {
      const scale = Math.exp(rng.normal(-2.5, 1.2));
      for (let k = 0; k < f; k++) values[j * f + k] = rng.normal(0, 1) * scale;
    }
    const bias = Float32Array.from({ length: n }, () => rng.normal(0, 0.05));
    const model = { itemFactors: () => ({ factors: f, values, bias }) } as unknown as FactorModel;
    const keys = Int32Array.from({ length: n }, (_, i) => i);
    const { vectors, dim } = mipsRows(model, keys);
    expect(dim).toBe(f + 1);
    expect(Array.from(vectors.subarray(5 * dim, 6 * dim))).toEqual([...values.subarray(5 * f, 6 * f), bias[5]!]);
    const index = new UsearchIndex({ dim, metric: 'ip', expansionSearch: 128 });
    index.addMany(keys, vectors);
    let found = 0;
    let total = 0;
    for (let t = 0; t < 100; t++) {
      const x = Array.from({ length: f }, () => rng.normal(0, 1));
      const score = (j: number) => x.reduce((s, xk, k) => s + xk * values[j * f + k]!, bias[j]!);
      const exact = keys
        .slice()
        .sort((a, b) => score(b) - score(a))
        .subarray(0, 10);
      const hits = index.search([...x, 1], 100);
      // scores are the inner products, best first
      expect(hits[0]!.score).toBeCloseTo(score(hits[0]!.key), 3);
      const have = new Set(hits.map((h) => h.key));
      for (const j of exact) found += have.has(j) ? 1 : 0;
      total += exact.length;
    }
    expect(found / total).toBeGreaterThanOrEqual(0.95);
  });

  it('iALS through the MIPS index finds ≥ 95 % of full scoring’s top 10 in 200 candidates', async () => {
    const { s, data } = await served('ials', { factors: 32, epochs: 6 });
    expect(s.retriever?.kind).toBe('factors');
    expect(readdirSync(dir).some((f) => f.startsWith('ials@1-ip-') && f.endsWith('.usearch'))).toBe(true);
    const hs = histories(data, 300, 11);
    const r = recall(s, hs, 200);
    expect(r).toBeGreaterThanOrEqual(0.95);
    // the same item scored through the index path and by scanning agrees
    const h = hs[0]!;
    const exact = s.scan(h, 50);
    const got = s.candidates(h, 50);
    const scoreOf = new Map<number, number>();
    for (let k = 0; k < exact.count; k++) scoreOf.set(exact.items[k]!, exact.scores[k]!);
    for (let k = 0; k < got.count; k++) {
      const e = scoreOf.get(got.items[k]!);
      if (e !== undefined) expect(got.scores[k]!).toBeCloseTo(e, 4);
    }
    // an empty history has nothing to retrieve from: the scan answers
    expect(s.candidates({ items: new Int32Array(0), weights: new Float32Array(0) }, 5).count).toBe(5);
  }, 60_000);

  it('with search threads, a new history’s candidates come off the request thread and equal the synchronous ones', async () => {
    const threads = new SearchThreads(2);
    try {
      const { s, data } = await served('ials', { factors: 32, epochs: 6 }, threads);
      const hs = histories(data, 40, 12);
      const got = await Promise.all(hs.map((h) => s.candidatesAsync(h, 100)!));
      expect(threads.inFlight).toBe(0);
      for (let i = 0; i < hs.length; i++) {
        const sync = s.candidates(hs[i]!, 100);
        expect(Array.from(got[i]!.items)).toEqual(Array.from(sync.items));
        expect(Array.from(got[i]!.scores)).toEqual(Array.from(sync.scores));
      }
      // nothing to search for an empty history; a closed pool leaves the caller to search synchronously
      expect(s.candidatesAsync({ items: new Int32Array(0), weights: new Float32Array(0) }, 5)).toBeNull();
      await threads.close();
      expect(s.candidatesAsync(hs[0]!, 100)).toBeNull();
      expect(s.candidates(hs[0]!, 100).count).toBe(100);
    } finally {
      await threads.close();
    }
  }, 60_000);

  it('ItemKNN through neighbour lists and popularity through its order equal full scoring’s top 10', async () => {
    for (const [kind, params] of [
      ['itemknn', { neighbours: 50 }],
      ['pop', {}],
    ] as const) {
      const { s, data } = await served(kind, params);
      expect(s.retriever).not.toBeNull();
      for (const h of histories(data, 100, 5)) {
        const exact = s.scan(h, 10);
        const got = s.candidates(h, 10);
        // only items with a positive score are candidates (full scoring pads with zeros)
        const positive = Array.from(exact.items.subarray(0, exact.count)).filter((_, k) => exact.scores[k]! > 0);
        expect(Array.from(got.items.subarray(0, positive.length))).toEqual(positive);
      }
    }
  }, 60_000);
});
