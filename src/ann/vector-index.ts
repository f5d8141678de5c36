/**
 * The `VectorIndex` role: cosine nearest-neighbour search over embeddings with incremental add and remove. Keys are
 * non-negative safe integers chosen by the caller (the app layer maps item ids to keys). Implementations: brute
 * force (exact reference), usearch and hnswlib-node (HNSW: Malkov & Yashunin, "Efficient and robust approximate
 * nearest neighbor search using Hierarchical Navigable Small World graphs", TPAMI 2018).
 */
import { LayerwiseError } from '../core/errors.js';

export type VectorIndexKind = 'brute' | 'usearch' | 'hnswlib';

/** One search hit: the key and its cosine similarity to the query (1 = same direction). */
export interface Neighbor {
  key: number;
  score: number;
}

export interface VectorIndex {
  readonly kind: VectorIndexKind;
  readonly dim: number;
  /** Number of live vectors. */
  size(): number;
  has(key: number): boolean;
  /** Adds or replaces the vector of `key`. */
  add(key: number, vector: ArrayLike<number>): void;
  /** Adds many: `vectors` is row-major, `keys.length` rows of `dim`. */
  addMany(keys: ArrayLike<number>, vectors: Float32Array): void;
  /** Removes `key`; false when it was not there. */
  remove(key: number): boolean;
  /** The `k` nearest live vectors by cosine similarity, best first. */
  search(query: ArrayLike<number>, k: number): Neighbor[];
}

/** Options shared by the index factories. */
export interface VectorIndexOptions {
  dim: number;
  /**
   * Similarity: cosine (default) or inner product (`ip`: maximum-inner-product search straight on the graph, as
   * ip-NSW — Morozov & Babenko, NeurIPS 2018; scores are dot products). usearch only.
   */
  metric?: 'cos' | 'ip';
  /** HNSW graph degree M (default 16). */
  connectivity?: number;
  /** Candidate list size while building (default 128). */
  expansionAdd?: number;
  /** Candidate list size while searching (default 128: recall@10 ≥ 0.99 on 100k × 128). */
  expansionSearch?: number;
  /** Capacity reserved up front (grows as needed; default 1024). */
  capacity?: number;
  /** Seed of the level generator (hnswlib only; default 100). */
  seed?: number;
}

export function checkKey(key: number): void {
  if (!Number.isSafeInteger(key) || key < 0) {
    throw new LayerwiseError('invalid_argument', `vector index: keys must be non-negative safe integers, got ${key}`);
  }
}

export function checkVector(dim: number, v: ArrayLike<number>, what = 'vector'): void {
  if (v.length !== dim) {
    throw new LayerwiseError(
      'invalid_argument',
      `vector index: ${what} has ${v.length} values, the index has dim ${dim}`,
    );
  }
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) {
      throw new LayerwiseError('invalid_argument', `vector index: ${what} has a non-finite value at ${i} (${v[i]})`);
    }
  }
}

export function checkDim(dim: number): void {
  if (!Number.isInteger(dim) || dim < 1 || dim > 65_536) {
    throw new LayerwiseError('invalid_argument', `vector index: dim must be an integer in 1..65536, got ${dim}`);
  }
}
