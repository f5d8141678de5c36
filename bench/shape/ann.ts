/**
 * ANN part of the shape benchmark: build time, QPS (one query per call) and recall@10 against exact brute force on
 * embedding-like vectors, for our `VectorIndex` wrappers and the raw libraries underneath (usearch, hnswlib-node),
 * also after save → load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { BruteForceIndex, HnswlibIndex, UsearchIndex, type VectorIndex } from '../../src/ann/index.js';
import { Rng } from '../../src/core/rng.js';

export interface AnnRow {
  name: string;
  buildSeconds: number;
  qps: number;
  recall: number;
}

/**
 * Embedding-like unit vectors: a mixture of 256 Gaussian clusters in a 24-d latent space, mapped to `dim` dims by a
 * fixed random linear map, plus small isotropic noise (learned embeddings have low intrinsic dimension).
 */
export function embeddingLike(n: number, dim: number, seed: number): Float32Array {
  const latent = 24;
  const clusters = 256;
  const fixed = new Rng(12345);
  const map = new Float32Array(latent * dim).map(() => fixed.normal() / Math.sqrt(latent));
  const centres = new Float32Array(clusters * latent).map(() => fixed.normal());
  const rng = new Rng(seed);
  const out = new Float32Array(n * dim);
  const z = new Float32Array(latent);
  for (let i = 0; i < n; i++) {
    const c = rng.int(clusters);
    for (let l = 0; l < latent; l++) z[l] = centres[c * latent + l]! + 0.5 * rng.normal();
    let s = 0;
    for (let d = 0; d < dim; d++) {
      let v = 0.05 * rng.normal();
      for (let l = 0; l < latent; l++) v += z[l]! * map[l * dim + d]!;
      out[i * dim + d] = v;
      s += v * v;
    }
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < dim; d++) out[i * dim + d] = out[i * dim + d]! * inv;
  }
  return out;
}

function timeQueries(
  queries: Float32Array,
  dim: number,
  search: (q: Float32Array) => number[],
): { qps: number; results: number[][] } {
  const nq = queries.length / dim;
  const results: number[][] = [];
  const t0 = performance.now();
  for (let q = 0; q < nq; q++) results.push(search(queries.subarray(q * dim, (q + 1) * dim)));
  return { qps: nq / ((performance.now() - t0) / 1000), results };
}

function recall(results: number[][], truth: number[][]): number {
  let hit = 0;
  let total = 0;
  results.forEach((r, i) => {
    const t = new Set(truth[i]);
    for (const key of r) if (t.has(key)) hit++;
    total += t.size;
  });
  return hit / total;
}

export function runAnn(n: number, dim: number, nq: number, log: (s: string) => void): AnnRow[] {
  const k = 10;
  const data = embeddingLike(n, dim, 1);
  const queries = embeddingLike(nq, dim, 2);
  const keys = Array.from({ length: n }, (_, i) => i);
  const rows: AnnRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-ann-bench-'));
  try {
    let t = performance.now();
    const brute = new BruteForceIndex({ dim, capacity: n });
    brute.addMany(keys, data);
    const bruteBuild = (performance.now() - t) / 1000;
    const exact = timeQueries(queries, dim, (q) => brute.search(q, k).map((h) => h.key));
    rows.push({ name: 'brute force (exact reference)', buildSeconds: bruteBuild, qps: exact.qps, recall: 1 });
    log(`brute: ${exact.qps.toFixed(0)} qps`);
    const measure = (name: string, build: () => VectorIndex | { search: (q: Float32Array) => number[] }): void => {
      t = performance.now();
      const index = build();
      const buildSeconds = (performance.now() - t) / 1000;
      const search = 'kind' in index ? (q: Float32Array) => index.search(q, k).map((h) => h.key) : index.search;
      const r = timeQueries(queries, dim, search);
      rows.push({ name, buildSeconds, qps: r.qps, recall: recall(r.results, exact.results) });
      log(
        `${name}: build ${buildSeconds.toFixed(1)} s, ${r.qps.toFixed(0)} qps, recall ${rows.at(-1)!.recall.toFixed(4)}`,
      );
    };
    // usearch: raw library (same settings as our defaults: M 16, ef_add 128, ef_search 128), then our wrapper
    measure('usearch raw (M16, efC128, ef128)', () => {
      const raw = new Index({
        dimensions: dim,
        metric: MetricKind.Cos,
        quantization: ScalarKind.F32,
        connectivity: 16,
        expansion_add: 128,
        expansion_search: 128,
        multi: false,
      });
      raw.add(BigUint64Array.from(keys, BigInt), data, 0);
      return { search: (q: Float32Array) => Array.from(raw.search(q, k, 1).keys, Number) };
    });
    let usearch: UsearchIndex | null = null;
    measure('layerwise UsearchIndex (defaults)', () => {
      usearch = new UsearchIndex({ dim });
      usearch.addMany(keys, data);
      return usearch;
    });
    measure('layerwise UsearchIndex after save → load', () => {
      const path = join(dir, 'u.usearch');
      usearch!.save(path);
      const loaded = new UsearchIndex({ dim });
      loaded.load(path);
      return loaded;
    });
    measure('hnswlib-node raw (M16, efC128, ef128)', () => {
      const raw = new hnswlib.HierarchicalNSW('cosine', dim);
      raw.initIndex({ maxElements: n, m: 16, efConstruction: 128, randomSeed: 100 });
      for (let i = 0; i < n; i++) raw.addPoint(Array.from(data.subarray(i * dim, (i + 1) * dim)), i);
      raw.setEf(128);
      return { search: (q: Float32Array) => raw.searchKnn(Array.from(q), k).neighbors };
    });
    let hnsw: HnswlibIndex | null = null;
    measure('layerwise HnswlibIndex (defaults)', () => {
      hnsw = new HnswlibIndex({ dim, capacity: n });
      hnsw.addMany(keys, data);
      return hnsw;
    });
    measure('layerwise HnswlibIndex after save → load', () => {
      const path = join(dir, 'h.hnsw');
      hnsw!.save(path);
      const loaded = new HnswlibIndex({ dim });
      loaded.load(path);
      return loaded;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
