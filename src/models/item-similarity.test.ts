/**
 * Top-k pruning of the item–item models (ItemKNN, RP3beta): each pruned neighbour row is exactly the k best entries
 * of the unpruned row, and the fitted matrix and its saved artifact stay within items × k entries.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Rp3Beta } from './graph-walk.js';
import { Interactions } from './interactions.js';
import { ItemKnn } from './item-knn.js';
import type { ItemSimilarityModel } from './item-similarity.js';

function library(users: number, items: number, perUser: number): Interactions {
  const rng = new Rng(11);
  const events: { user: string; item: string; value: number }[] = [];
  for (let u = 0; u < users; u++) {
    for (let e = 0; e < perUser; e++) {
      events.push({ user: `u${u}`, item: `i${Math.floor(items * rng.next() ** 2)}`, value: 0.5 + rng.next() });
    }
  }
  return Interactions.fromEvents(events, { values: 'value', combine: 'sum' }).data;
}

function row(m: ItemSimilarityModel<never>, i: number): Map<number, number> {
  const s = m.similarity;
  const out = new Map<number, number>();
  for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) out.set(s.indices[p]!, s.values[p]!);
  return out;
}

const cases: [string, (neighbours: number) => ItemSimilarityModel<never>][] = [
  ['itemknn cosine', (neighbours) => new ItemKnn({ neighbours }) as unknown as ItemSimilarityModel<never>],
  [
    'itemknn bm25',
    (neighbours) => new ItemKnn({ similarity: 'bm25', neighbours }) as unknown as ItemSimilarityModel<never>,
  ],
  ['rp3beta', (neighbours) => new Rp3Beta({ neighbours }) as unknown as ItemSimilarityModel<never>],
];

describe('item–item top-k pruning', () => {
  const data = library(300, 120, 12);
  const k = 8;
  for (const [name, create] of cases) {
    it(`${name}: pruned rows are the unpruned rows' top ${k}; nnz and artifact bounded by items × k`, async () => {
      const full = create(data.nItems);
      await full.fit(data);
      const pruned = create(k);
      await pruned.fit(data);
      let longer = 0;
      for (let i = 0; i < data.nItems; i++) {
        const all = [...row(full, i)].sort((a, b) => b[1] - a[1]);
        if (all.length > k) longer++;
        const want = new Map(all.slice(0, k));
        const got = row(pruned, i);
        expect(got.size).toBe(want.size);
        // Ties at the cut may pick either item; every kept value is one of the top-k values.
        const cut = all[Math.min(k, all.length) - 1]?.[1] ?? 0;
        for (const [j, v] of got) {
          expect(v).toBeGreaterThanOrEqual(cut);
          expect(row(full, i).get(j)).toBe(v);
        }
      }
      expect(longer).toBeGreaterThan(data.nItems / 2); // pruning actually cut most rows
      const nnz = pruned.similarity.indices.length;
      expect(nnz).toBeLessThanOrEqual(data.nItems * k);
      expect(full.similarity.indices.length).toBeGreaterThan(3 * nnz);
      // The saved model grows with items × k (8 bytes an entry), not with the unpruned matrix.
      const small = pruned.save().byteLength;
      const big = full.save().byteLength;
      expect(small).toBeLessThan(big / 2);
    });
  }
});
