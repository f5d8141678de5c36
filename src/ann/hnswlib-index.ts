/**
 * `VectorIndex` over hnswlib-node (the reference HNSW implementation by the algorithm's authors, built from source).
 * Cosine space; capacity doubles as needed; removal marks deleted and re-adding a key replaces its vector.
 * Persistence: hnswlib's own file format via `save(path)` / `load(path)`.
 */
import hnswlib from 'hnswlib-node';
import { LayerwiseError } from '../core/errors.js';
import {
  checkDim,
  checkKey,
  checkVector,
  type Neighbor,
  type VectorIndex,
  type VectorIndexOptions,
} from './vector-index.js';

export class HnswlibIndex implements VectorIndex {
  readonly kind = 'hnswlib' as const;
  readonly dim: number;
  private readonly index: hnswlib.HierarchicalNSW;
  private readonly live = new Set<number>();
  private readonly deleted = new Set<number>();
  private capacity: number;
  private readonly expansionSearch: number;

  constructor(options: VectorIndexOptions) {
    checkDim(options.dim);
    this.dim = options.dim;
    this.capacity = Math.max(16, options.capacity ?? 1024);
    this.expansionSearch = options.expansionSearch ?? 128;
    this.index = new hnswlib.HierarchicalNSW('cosine', options.dim);
    this.index.initIndex({
      maxElements: this.capacity,
      m: options.connectivity ?? 16,
      efConstruction: options.expansionAdd ?? 128,
      randomSeed: options.seed ?? 100,
      allowReplaceDeleted: false,
    });
    this.index.setEf(this.expansionSearch);
  }

  size(): number {
    return this.live.size;
  }

  has(key: number): boolean {
    return this.live.has(key);
  }

  add(key: number, vector: ArrayLike<number>): void {
    checkKey(key);
    checkVector(this.dim, vector);
    if (!this.live.has(key) && !this.deleted.has(key) && this.live.size + this.deleted.size >= this.capacity) {
      this.capacity *= 2;
      this.index.resizeIndex(this.capacity);
    }
    if (this.deleted.has(key)) {
      this.index.unmarkDelete(key);
      this.deleted.delete(key);
    }
    this.index.addPoint(Array.from(vector), key);
    this.live.add(key);
  }

  addMany(keys: ArrayLike<number>, vectors: Float32Array): void {
    if (vectors.length !== keys.length * this.dim) {
      throw new LayerwiseError(
        'invalid_argument',
        `addMany: ${keys.length} keys need ${keys.length * this.dim} values, got ${vectors.length}`,
      );
    }
    const needed = this.live.size + this.deleted.size + keys.length;
    if (needed > this.capacity) {
      while (this.capacity < needed) this.capacity *= 2;
      this.index.resizeIndex(this.capacity);
    }
    for (let r = 0; r < keys.length; r++) this.add(keys[r]!, vectors.subarray(r * this.dim, (r + 1) * this.dim));
  }

  remove(key: number): boolean {
    if (!this.live.has(key)) return false;
    this.index.markDelete(key);
    this.live.delete(key);
    this.deleted.add(key);
    return true;
  }

  search(query: ArrayLike<number>, k: number): Neighbor[] {
    checkVector(this.dim, query, 'query');
    const n = this.live.size;
    if (n === 0 || k <= 0) return [];
    const kk = Math.min(k, n);
    this.index.setEf(Math.max(this.expansionSearch, kk));
    const r = this.index.searchKnn(Array.from(query), kk);
    return r.neighbors.map((key, i) => ({ key, score: 1 - r.distances[i]! }));
  }

  save(path: string): void {
    this.index.writeIndexSync(path);
  }

  /** Replaces the contents with a file written by `save` (deleted keys stay deleted). */
  load(path: string): void {
    this.index.readIndexSync(path, false);
    this.capacity = this.index.getMaxElements();
    this.index.setEf(this.expansionSearch);
    this.live.clear();
    this.deleted.clear();
    for (const key of this.index.getIdsList()) {
      try {
        this.index.getPoint(key); // throws for keys marked deleted
        this.live.add(key);
      } catch {
        this.deleted.add(key);
      }
    }
  }
}
