/**
 * Shape embeddings aligned with the catalogue (row = catalogue index, unit length, a presence flag per row) and
 * cosine k-nearest-neighbour search over them: exact (brute force) for small catalogues — well under a millisecond
 * for a few thousand items — and through an HNSW index (usearch, shape-index.ts) once one is attached: rows set
 * after the index was built (uploads) are searched exactly beside it and merged, so nothing is missed.
 */

import type { UsearchIndex } from '../../ann/usearch-index.js';
import type { EmbeddingSet } from '../../store/ports.js';
import type { Catalog } from './catalog.js';
import { TopN } from './top-n.js';

export class ShapeVectors {
  private data: Float32Array;
  private present: Uint8Array;
  private rows: number;
  /** Reused score buffer (queries are synchronous, so one buffer is safe). */
  private scores = new Float32Array(0);
  private readonly top = new TopN();
  /** Attached index over the rows present when it was built; rows set later are in `since`. */
  private index: UsearchIndex | null = null;
  private readonly since = new Set<number>();

  constructor(
    readonly encoder: string,
    readonly dim: number,
    capacity: number,
  ) {
    this.rows = Math.max(1, capacity);
    this.data = new Float32Array(this.rows * dim);
    this.present = new Uint8Array(this.rows);
  }

  static fromEmbeddings(set: EmbeddingSet, catalog: Catalog): ShapeVectors {
    const v = new ShapeVectors(set.encoder, set.dim, catalog.size);
    for (let r = 0; r < set.itemIds.length; r++) {
      const c = catalog.index(set.itemIds[r]!);
      if (c !== undefined) v.set(c, set.vectors.subarray(r * set.dim, (r + 1) * set.dim));
    }
    return v;
  }

  get count(): number {
    let n = 0;
    for (let i = 0; i < this.present.length; i++) n += this.present[i]!;
    return n;
  }

  has(index: number): boolean {
    return index < this.rows && this.present[index] === 1;
  }

  /** The (unit-length) vector at catalogue `index`, or undefined (a view: do not keep it across set calls). */
  vector(index: number): Float32Array | undefined {
    return this.has(index) ? this.data.subarray(index * this.dim, (index + 1) * this.dim) : undefined;
  }

  /** Stores a unit-length copy of `vector` at catalogue `index` (growing the matrix when needed). */
  set(index: number, vector: ArrayLike<number>): void {
    if (vector.length !== this.dim) return;
    if (index >= this.rows) {
      const rows = Math.max(index + 1, this.rows * 2);
      const data = new Float32Array(rows * this.dim);
      data.set(this.data);
      const present = new Uint8Array(rows);
      present.set(this.present);
      this.data = data;
      this.present = present;
      this.rows = rows;
    }
    let norm = 0;
    for (let d = 0; d < this.dim; d++) norm += vector[d]! * vector[d]!;
    norm = Math.sqrt(norm) || 1;
    const o = index * this.dim;
    for (let d = 0; d < this.dim; d++) this.data[o + d] = vector[d]! / norm;
    this.present[index] = 1;
    if (this.index !== null) this.since.add(index);
  }

  /** The rows present, as keys and a row-major matrix (what an index is built from). */
  rowsPresent(): { keys: Int32Array; vectors: Float32Array } {
    const keys: number[] = [];
    for (let r = 0; r < this.rows; r++) if (this.present[r] === 1) keys.push(r);
    const vectors = new Float32Array(keys.length * this.dim);
    for (const [i, r] of keys.entries())
      vectors.set(this.data.subarray(r * this.dim, (r + 1) * this.dim), i * this.dim);
    return { keys: Int32Array.from(keys), vectors };
  }

  /** Searches through `index` from now on (built from `rowsPresent()`; rows set since then are searched exactly). */
  attach(index: UsearchIndex): void {
    this.index = index;
    this.since.clear();
  }

  get indexed(): boolean {
    return this.index !== null;
  }

  /** Cosine similarity of two stored rows (0 when either is missing). */
  similarity(a: number, b: number): number {
    if (!this.has(a) || !this.has(b)) return 0;
    const oa = a * this.dim;
    const ob = b * this.dim;
    let s = 0;
    for (let d = 0; d < this.dim; d++) s += this.data[oa + d]! * this.data[ob + d]!;
    return s;
  }

  /**
   * The row among `rows` most similar to row `target` with cosine ≥ `min` (first wins ties), or −1; the similarity
   * goes to `out[0]`. One tight loop per candidate — the per-recommendation "same shape family" check.
   */
  closest(target: number, rows: Iterable<number>, min: number, out: Float64Array): number {
    if (!this.has(target)) return -1;
    const dim = this.dim;
    const data = this.data;
    const ot = target * dim;
    let best = -1;
    let bestSim = min;
    for (const r of rows) {
      if (r >= this.rows || this.present[r] !== 1) continue;
      const or = r * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[ot + d]! * data[or + d]!;
      if (s >= bestSim) {
        bestSim = s;
        best = r;
      }
    }
    out[0] = bestSim;
    return best;
  }

  /** The k rows most similar to a query vector (any length-`dim` vector, normalised here). */
  nearestToVector(query: ArrayLike<number>, k: number, exclude = -1): { index: number; score: number }[] {
    let norm = 0;
    for (let d = 0; d < this.dim; d++) norm += query[d]! * query[d]!;
    norm = Math.sqrt(norm) || 1;
    const dim = this.dim;
    const q = new Float32Array(dim);
    for (let d = 0; d < dim; d++) q[d] = query[d]! / norm;
    if (this.index !== null) return this.search(this.index, q, k, exclude);
    if (this.scores.length !== this.rows) this.scores = new Float32Array(this.rows);
    const scores = this.scores;
    const data = this.data;
    for (let r = 0; r < this.rows; r++) {
      if (this.present[r] !== 1 || r === exclude) {
        scores[r] = Number.NEGATIVE_INFINITY;
        continue;
      }
      const o = r * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += data[o + d]! * q[d]!;
      scores[r] = s;
    }
    return this.top.select(scores, k, null).order.map((index) => ({ index, score: scores[index]! }));
  }

  /** Index hits (re-scored exactly from the stored rows) merged with the rows set since the index was built. */
  private search(index: UsearchIndex, q: Float32Array, k: number, exclude: number): { index: number; score: number }[] {
    const out = new Map<number, number>();
    const dot = (r: number) => {
      const o = r * this.dim;
      let s = 0;
      for (let d = 0; d < this.dim; d++) s += this.data[o + d]! * q[d]!;
      return s;
    };
    for (const h of index.search(q, k + 1)) {
      if (h.key !== exclude && this.has(h.key) && !this.since.has(h.key)) out.set(h.key, dot(h.key));
    }
    for (const r of this.since) if (r !== exclude && this.has(r)) out.set(r, dot(r));
    return [...out]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([i, score]) => ({ index: i, score }));
  }

  /** The k rows most similar to stored row `index` (itself excluded); empty when it has no vector. */
  nearest(index: number, k: number): { index: number; score: number }[] {
    if (!this.has(index)) return [];
    return this.nearestToVector(this.data.subarray(index * this.dim, (index + 1) * this.dim), k, index);
  }
}
