/**
 * `VectorIndex` over usearch (Unum's HNSW in C++, prebuilt N-API binaries). Cosine metric, f32 storage. usearch has
 * no setter for the search expansion, so it is fixed at construction (and re-applied on `load`). Persistence goes
 * through usearch's own file format: `save(path)` / `load(path)` (the app layer chooses the path).
 */
import { statSync } from 'node:fs';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { LayerwiseError } from '../core/errors.js';
import type { IndexFile } from './search-thread.js';
import {
  checkDim,
  checkKey,
  checkVector,
  type Neighbor,
  type VectorIndex,
  type VectorIndexOptions,
} from './vector-index.js';

export class UsearchIndex implements VectorIndex {
  readonly kind = 'usearch' as const;
  readonly dim: number;
  private readonly index: Index;
  private readonly options: VectorIndexOptions;
  private viewed: string | null = null;

  constructor(options: VectorIndexOptions) {
    checkDim(options.dim);
    this.dim = options.dim;
    this.options = options;
    this.index = new Index({
      dimensions: options.dim,
      metric: options.metric === 'ip' ? MetricKind.IP : MetricKind.Cos,
      quantization: ScalarKind.F32,
      connectivity: options.connectivity ?? 16,
      expansion_add: options.expansionAdd ?? 128,
      expansion_search: options.expansionSearch ?? 128,
      multi: false,
    });
  }

  size(): number {
    return this.index.size();
  }

  has(key: number): boolean {
    return this.index.contains(BigInt(key)) as boolean;
  }

  add(key: number, vector: ArrayLike<number>): void {
    checkKey(key);
    checkVector(this.dim, vector);
    const k = BigInt(key);
    if (this.index.contains(k)) this.index.remove(k);
    this.index.add(k, Float32Array.from(vector));
  }

  addMany(keys: ArrayLike<number>, vectors: Float32Array): void {
    if (vectors.length !== keys.length * this.dim) {
      throw new LayerwiseError(
        'invalid_argument',
        `addMany: ${keys.length} keys need ${keys.length * this.dim} values, got ${vectors.length}`,
      );
    }
    if (keys.length === 0) return;
    const big = new BigUint64Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      checkKey(keys[i]!);
      big[i] = BigInt(keys[i]!);
    }
    checkVector(vectors.length, vectors, 'vectors');
    const present = this.index.contains(big) as boolean[];
    const existing = big.filter((_, i) => present[i]);
    if (existing.length > 0) this.index.remove(existing);
    this.index.add(big, vectors, 0);
  }

  remove(key: number): boolean {
    if (!Number.isSafeInteger(key) || key < 0) return false;
    return (this.index.remove(BigInt(key)) as number) > 0;
  }

  search(query: ArrayLike<number>, k: number): Neighbor[] {
    checkVector(this.dim, query, 'query');
    const n = this.size();
    if (n === 0 || k <= 0) return [];
    const r = this.index.search(Float32Array.from(query), Math.min(k, n), 1);
    const out: Neighbor[] = [];
    for (let i = 0; i < r.keys.length; i++) {
      const d = r.distances[i]!;
      if (!Number.isFinite(d)) continue;
      out.push({ key: Number(r.keys[i]!), score: 1 - d });
    }
    return out;
  }

  /** Writes usearch's file format to `path`. */
  save(path: string): void {
    this.index.save(path);
  }

  /** Replaces the contents with an index file written by `save`. */
  load(path: string): void {
    this.index.load(path);
    this.viewed = null;
  }

  /** Serves an index file written by `save` from a memory map (read-only: no add or remove afterwards). */
  view(path: string): void {
    // usearch's view of a file it cannot open closes descriptors it does not own (libuv then aborts the process)
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
      throw new LayerwiseError('not_found', `vector index: no index file at ${path}`);
    }
    this.index.view(path);
    this.viewed = path;
  }

  /** The file this index serves from a memory map (`view`), described for a search thread; null otherwise. */
  file(): IndexFile | null {
    if (this.viewed === null) return null;
    return {
      path: this.viewed,
      dim: this.dim,
      metric: this.options.metric ?? 'cos',
      connectivity: this.options.connectivity ?? 16,
      expansionSearch: this.options.expansionSearch ?? 128,
    };
  }
}
