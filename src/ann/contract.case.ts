/**
 * The shared contract every `VectorIndex` passes (called from each implementation's test): exact self-matches,
 * recall@10 against brute force, incremental add / replace / remove, and persistence round trips.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { BruteForceIndex } from './brute-force.js';
import type { VectorIndex } from './vector-index.js';

export interface IndexFactory {
  create(dim: number): VectorIndex;
  /** Persists and reloads `index` (through a file or bytes); returns the loaded copy. */
  roundTrip(index: VectorIndex): VectorIndex;
}

/** Clustered data resembling embeddings: `n` vectors around `clusters` centres. */
export function clusteredVectors(n: number, dim: number, clusters: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const centres = new Float32Array(clusters * dim).map(() => rng.normal());
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = rng.int(clusters);
    for (let d = 0; d < dim; d++) out[i * dim + d] = centres[c * dim + d]! + 0.5 * rng.normal();
  }
  return out;
}

/** Mean overlap of the approximate top-k with the exact top-k over the given queries. */
export function recallAtK(
  index: VectorIndex,
  exact: VectorIndex,
  queries: Float32Array,
  dim: number,
  k: number,
): number {
  let hit = 0;
  let total = 0;
  for (let q = 0; q < queries.length / dim; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const truth = new Set(exact.search(query, k).map((n) => n.key));
    for (const n of index.search(query, k)) if (truth.has(n.key)) hit++;
    total += truth.size;
  }
  return hit / total;
}

export function runVectorIndexContract(name: string, factory: IndexFactory): void {
  const dim = 24;
  describe(`VectorIndex contract: ${name}`, () => {
    it('finds each vector first with score 1, and matches brute force (recall@10 ≥ 0.98)', () => {
      const n = 1500;
      const data = clusteredVectors(n, dim, 20, 1);
      const keys = Array.from({ length: n }, (_, i) => i * 3 + 1);
      const index = factory.create(dim);
      expect(index.search(data.subarray(0, dim), 5)).toEqual([]);
      index.addMany(keys, data);
      expect(index.size()).toBe(n);
      const exact = new BruteForceIndex({ dim });
      exact.addMany(keys, data);
      for (const i of [0, 17, 999]) {
        const top = index.search(data.subarray(i * dim, (i + 1) * dim), 3);
        expect(top[0]!.key).toBe(keys[i]);
        expect(top[0]!.score).toBeCloseTo(1, 4);
        expect(top[0]!.score).toBeGreaterThanOrEqual(top[1]!.score);
      }
      const queries = clusteredVectors(100, dim, 20, 1).map((v, i) => v + 0.01 * Math.sin(i));
      expect(recallAtK(index, exact, queries, dim, 10)).toBeGreaterThanOrEqual(0.98);
    });

    it('adds incrementally, replaces a key’s vector and removes keys', () => {
      const data = clusteredVectors(300, dim, 5, 2);
      const index = factory.create(dim);
      for (let i = 0; i < 300; i++) index.add(i, data.subarray(i * dim, (i + 1) * dim));
      expect(index.size()).toBe(300);
      expect(index.remove(5)).toBe(true);
      expect(index.remove(5)).toBe(false);
      expect(index.has(5)).toBe(false);
      expect(index.size()).toBe(299);
      const q5 = data.subarray(5 * dim, 6 * dim);
      expect(index.search(q5, 20).some((h) => h.key === 5)).toBe(false);
      // replace key 7 with key 5's old vector: now 7 is the exact match
      index.add(7, q5);
      expect(index.size()).toBe(299);
      expect(index.search(q5, 1)[0]!.key).toBe(7);
      // re-add a removed key
      index.add(5, data.subarray(9 * dim, 10 * dim));
      expect(index.has(5)).toBe(true);
      expect(index.size()).toBe(300);
      const hits = index.search(data.subarray(9 * dim, 10 * dim), 2).map((h) => h.key);
      expect(hits.sort()).toEqual([5, 9]);
    });

    it('round-trips through save → load with the same results', () => {
      const data = clusteredVectors(400, dim, 8, 3);
      const index = factory.create(dim);
      index.addMany(
        Array.from({ length: 400 }, (_, i) => i),
        data,
      );
      index.remove(11);
      const loaded = factory.roundTrip(index);
      expect(loaded.size()).toBe(399);
      expect(loaded.has(11)).toBe(false);
      for (const i of [0, 11, 123]) {
        const q = data.subarray(i * dim, (i + 1) * dim);
        expect(loaded.search(q, 5).map((h) => h.key)).toEqual(index.search(q, 5).map((h) => h.key));
      }
    });

    it('rejects wrong dimensions, bad keys and non-finite values', () => {
      const index = factory.create(dim);
      expect(() => index.add(1, new Float32Array(dim + 1))).toThrow(/dim 24/);
      expect(() => index.add(-1, new Float32Array(dim))).toThrow(/non-negative/);
      expect(() => index.add(1, new Float32Array(dim).fill(Number.NaN))).toThrow(/non-finite/);
      expect(() => index.search(new Float32Array(3), 1)).toThrow(/query has 3 values/);
    });
  });
}
