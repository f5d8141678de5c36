/**
 * The one contract suite every Recommender runs (shallow and deep): the checkerboard test of the `implicit` library
 * (users like the items of their own parity; the held-out diagonal item is the obvious one and must rank first),
 * seen-item exclusion, fold-in, explanations, determinism under a seed, and save → load → identical output.
 * Usage in a model's test file: `runRecommenderContract({ kind: 'ease', create: () => new Ease({ lambda: 10 }) })`.
 */
import { describe, expect, it } from 'vitest';
import { isLayerwiseError } from '../src/core/errors.js';
import { Interactions } from '../src/models/interactions.js';
import type { FitOptions, Recommender } from '../src/models/recommender.js';
import { loadRecommender } from '../src/models/registry.js';

export interface ContractOptions {
  kind: string;
  create: () => Recommender;
  /** False for models that ignore the structure (popularity): skips the ranking checks. */
  structural?: boolean;
  /** Users (= items) in the checkerboard; even. Default 20. */
  size?: number;
  /** Extra fit options (e.g. item features for content models), built for the checkerboard's item ids `i0…`. */
  fitOptions?: (size: number) => Omit<FitOptions, 'seed'>;
}

/** users × items where u and i share parity, minus the diagonal (u, u): the held-out item of user u is u. */
export function checkerboard(size = 20): Interactions {
  const events = [];
  for (let u = 0; u < size; u++) {
    for (let i = 0; i < size; i++)
      if (u % 2 === i % 2 && u !== i) events.push({ user: `u${u}`, item: `i${i}`, timestamp: u * size + i });
  }
  return Interactions.fromEvents(events).data;
}

export function runRecommenderContract(opts: ContractOptions): void {
  const size = opts.size ?? 20;
  const structural = opts.structural ?? true;
  describe(`Recommender contract: ${opts.kind}`, () => {
    const data = checkerboard(size);
    const fitted = async (seed = 1): Promise<Recommender> => {
      const m = opts.create();
      await m.fit(data, { ...opts.fitOptions?.(size), seed });
      return m;
    };

    it('fits and reports', async () => {
      const m = opts.create();
      const r = await m.fit(data, { ...opts.fitOptions?.(size), seed: 1 });
      expect(r.kind).toBe(opts.kind);
      expect(r.seconds).toBeGreaterThanOrEqual(0);
      expect(m.fitted).toBe(true);
    });

    it('never returns seen or excluded items, honours k and filter', async () => {
      const m = await fitted();
      for (let u = 0; u < size; u++) {
        const recs = m.recommend(`u${u}`, 5, {
          exclude: [`i${(u + 1) % size}`],
          filter: (id) => id !== `i${(u + 3) % size}`,
        });
        expect(recs.length).toBeLessThanOrEqual(5);
        const seen = new Set(Array.from(data.rowItems(u)));
        for (const r of recs) {
          expect(seen.has(data.items.index(r.item)!)).toBe(false);
          expect([`i${(u + 1) % size}`, `i${(u + 3) % size}`]).not.toContain(r.item);
        }
      }
      expect(() => m.recommend('nobody', 3)).toThrowError(/unknown user/);
    });

    if (structural) {
      it('ranks the held-out diagonal item first (checkerboard)', async () => {
        const m = await fitted();
        for (let u = 0; u < size; u++) expect(m.recommend(`u${u}`, 1)[0]?.item).toBe(`i${u}`);
      });

      it('folds in an unseen history: the same-parity held-out item comes first', async () => {
        const m = await fitted();
        const history = [2, 4, 6, 8].map((i) => ({ item: `i${i}` }));
        const top = m.recommendForHistory(history, 3);
        for (const r of top) expect(Number(r.item.slice(1)) % 2).toBe(0);
        const odd = m.recommendForHistory([{ item: 'i1' }, { item: 'i3' }], 1);
        expect(Number(odd[0]!.item.slice(1)) % 2).toBe(1);
      });

      it('similar items share the parity', async () => {
        const m = await fitted();
        const sims = m.similarItems('i0', 3);
        expect(sims.length).toBe(3);
        for (const s of sims) expect(Number(s.item.slice(1)) % 2).toBe(0);
      });

      it('explains a recommendation by history items or neighbour users', async () => {
        const m = await fitted();
        const ev = m.explain('u0', 'i0', 3);
        expect(ev.contributions.length).toBeGreaterThan(0);
        expect(Number.isFinite(ev.score)).toBe(true);
        const seen = new Set(Array.from(data.rowItems(0), (i) => data.items.id(i)));
        for (const c of ev.contributions) {
          if (ev.basis === 'items') expect(seen.has(c.item!)).toBe(true);
          else expect(Number(c.user!.slice(1)) % 2).toBe(0);
        }
      });

      it('explains a history in index space exactly as by ids', async () => {
        const m = await fitted();
        const history = [2, 4, 6, 8].map((i) => ({ item: `i${i}`, weight: i / 2 }));
        const byId = m.explainForHistory(history, 'i0', 3);
        const items = Int32Array.from(history.map((h) => data.items.index(h.item)!)).sort();
        const weights = Float32Array.from(items, (i) => history.find((h) => h.item === data.items.id(i))!.weight);
        const byIndex = m.explainHistoryIndices(items, weights, data.items.index('i0')!, 3);
        expect(byIndex.basis).toBe(byId.basis);
        expect(byIndex.score).toBeCloseTo(byId.score, 6);
        const ids = ev2ids(byIndex, m);
        expect(ids).toEqual(byId.contributions.map((c) => c.item ?? c.user));
        expect(() => m.explainHistoryIndices(items, weights, size + 5)).toThrowError(/no item at index/);
      });

      it('explanations of one history do not leak into the next (per-history memo)', async () => {
        const m = await fitted();
        const a = [2, 4, 6].map((i) => ({ item: `i${i}`, weight: 1 }));
        const b = [8, 10, 12, 14].map((i) => ({ item: `i${i}`, weight: 2 }));
        const first = m.explainForHistory(a, 'i0', 5);
        const other = m.explainForHistory(b, 'i0', 5);
        expect(m.explainForHistory(a, 'i0', 5)).toEqual(first);
        expect(other).not.toEqual(first);
        // the same history explains different items from the same history-dependent part
        const again = m.explainForHistory(b, 'i16', 5);
        expect(again.item).toBe('i16');
        expect(m.explainForHistory(b, 'i0', 5)).toEqual(other);
      });
    }

    it('same seed gives identical scores', async () => {
      const a = await fitted(7);
      const b = await fitted(7);
      const sa = new Float32Array(size);
      const sb = new Float32Array(size);
      for (let u = 0; u < size; u += 3) {
        a.scoreUser(u, sa);
        b.scoreUser(u, sb);
        expect(Array.from(sb)).toEqual(Array.from(sa));
      }
    });

    it('scoreUsers (where a model has it) gives each user the scores of scoreUser', async () => {
      const m = await fitted(7);
      if (typeof m.scoreUsers !== 'function') return;
      const users = Int32Array.from({ length: Math.ceil(size / 3) }, (_, r) => (r * 3) % size);
      const block = new Float32Array(users.length * size);
      m.scoreUsers(users, block);
      const one = new Float32Array(size);
      users.forEach((u, r) => {
        m.scoreUser(u, one);
        for (let j = 0; j < size; j++) expect(block[r * size + j]).toBeCloseTo(one[j]!, 4);
      });
    });

    it('save → load gives identical recommendations and keeps the meta', async () => {
      const m = await fitted();
      const bytes = m.save({ ndcg10: 0.5 });
      const back = loadRecommender(bytes);
      expect(back.kind).toBe(opts.kind);
      expect(back.meta?.metrics.ndcg10).toBe(0.5);
      expect(back.meta?.dataFingerprint).toBe(data.fingerprint());
      expect(back.meta?.configHash).toBe(m.meta?.configHash);
      for (let u = 0; u < size; u++) expect(back.recommend(`u${u}`, 5)).toEqual(m.recommend(`u${u}`, 5));
      const h = [{ item: 'i2' }, { item: 'i5', weight: 2 }];
      expect(back.recommendForHistory(h, 4)).toEqual(m.recommendForHistory(h, 4));
    });

    it('a serving load scores histories exactly as a full load followed by releaseTrainingData', async () => {
      const m = await fitted();
      const bytes = m.save();
      const full = loadRecommender(bytes);
      (full as Partial<{ releaseTrainingData(): boolean }>).releaseTrainingData?.();
      const lean = loadRecommender(bytes, { serving: true });
      expect(lean.data.nItems).toBe(full.data.nItems);
      expect([0, m.data.nnz]).toContain(lean.data.nnz); // the matrix left out, or kept (models that need it)
      if (['ials', 'pop', 'itemknn', 'bpr'].includes(opts.kind)) expect(lean.data.nnz).toBe(0);
      const a = new Float32Array(full.data.nItems);
      const b = new Float32Array(full.data.nItems);
      for (const h of [[2, 5], [0], [1, 3, 8]]) {
        const items = Int32Array.from(h);
        const weights = Float32Array.from(h, () => 1);
        full.scoreHistory(items, weights, a);
        lean.scoreHistory(items, weights, b);
        expect(Array.from(b)).toEqual(Array.from(a));
      }
    });

    it('rejects a truncated artifact with parse_error', async () => {
      const m = await fitted();
      const bytes = m.save();
      try {
        loadRecommender(bytes.subarray(0, bytes.length - 8));
        expect.unreachable();
      } catch (e) {
        expect(isLayerwiseError(e) && e.code).toBe('parse_error');
      }
    });
  });
}

function ev2ids(ev: ReturnType<Recommender['explainHistoryIndices']>, m: Recommender): string[] {
  const ids = ev.basis === 'users' ? m.data.users : m.data.items;
  return ev.parts.map((p) => ids.id(p.index));
}
