/**
 * Exact cosine search by scanning every vector: the reference the approximate indexes are tested against, and the
 * right choice for small libraries. Vectors are stored L2-normalised in one growable Float32Array; removal moves the
 * last row into the hole. Serialises to bytes (`toBytes`/`fromBytes`); the app layer writes them.
 */
import { LayerwiseError } from '../core/errors.js';
import { topK } from '../core/math.js';
import {
  checkDim,
  checkKey,
  checkVector,
  type Neighbor,
  type VectorIndex,
  type VectorIndexOptions,
} from './vector-index.js';

const MAGIC = 0x4c574246; // "LWBF"

export class BruteForceIndex implements VectorIndex {
  readonly kind = 'brute' as const;
  readonly dim: number;
  private data: Float32Array;
  private keys: number[] = [];
  private readonly slot = new Map<number, number>();

  constructor(options: Pick<VectorIndexOptions, 'dim' | 'capacity'>) {
    checkDim(options.dim);
    this.dim = options.dim;
    this.data = new Float32Array(this.dim * Math.max(1, options.capacity ?? 1024));
  }

  size(): number {
    return this.keys.length;
  }

  has(key: number): boolean {
    return this.slot.has(key);
  }

  add(key: number, vector: ArrayLike<number>): void {
    checkKey(key);
    checkVector(this.dim, vector);
    let s = this.slot.get(key);
    if (s === undefined) {
      s = this.keys.length;
      if ((s + 1) * this.dim > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.keys.push(key);
      this.slot.set(key, s);
    }
    let n = 0;
    for (let i = 0; i < this.dim; i++) n += vector[i]! * vector[i]!;
    const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
    const o = s * this.dim;
    for (let i = 0; i < this.dim; i++) this.data[o + i] = vector[i]! * inv;
  }

  addMany(keys: ArrayLike<number>, vectors: Float32Array): void {
    if (vectors.length !== keys.length * this.dim) {
      throw new LayerwiseError(
        'invalid_argument',
        `addMany: ${keys.length} keys need ${keys.length * this.dim} values, got ${vectors.length}`,
      );
    }
    for (let r = 0; r < keys.length; r++) this.add(keys[r]!, vectors.subarray(r * this.dim, (r + 1) * this.dim));
  }

  remove(key: number): boolean {
    const s = this.slot.get(key);
    if (s === undefined) return false;
    const last = this.keys.length - 1;
    if (s !== last) {
      this.data.copyWithin(s * this.dim, last * this.dim, (last + 1) * this.dim);
      const moved = this.keys[last]!;
      this.keys[s] = moved;
      this.slot.set(moved, s);
    }
    this.keys.pop();
    this.slot.delete(key);
    return true;
  }

  search(query: ArrayLike<number>, k: number): Neighbor[] {
    checkVector(this.dim, query, 'query');
    const n = this.keys.length;
    let qn = 0;
    for (let i = 0; i < this.dim; i++) qn += query[i]! * query[i]!;
    const inv = qn > 0 ? 1 / Math.sqrt(qn) : 0;
    const q = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) q[i] = query[i]! * inv;
    const scores = new Float32Array(n);
    const d = this.dim;
    const data = this.data;
    for (let r = 0; r < n; r++) {
      let s = 0;
      const o = r * d;
      for (let i = 0; i < d; i++) s += data[o + i]! * q[i]!;
      scores[r] = s;
    }
    return topK(scores, Math.min(k, n)).map((r) => ({ key: this.keys[r]!, score: scores[r]! }));
  }

  /** Serialised form: magic, dim, count, keys (float64), vectors (float32). */
  toBytes(): Uint8Array {
    const n = this.keys.length;
    const out = new Uint8Array(12 + 8 * n + 4 * n * this.dim);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, MAGIC, true);
    dv.setUint32(4, this.dim, true);
    dv.setUint32(8, n, true);
    for (let i = 0; i < n; i++) dv.setFloat64(12 + 8 * i, this.keys[i]!, true);
    new Uint8Array(out.buffer, 12 + 8 * n).set(new Uint8Array(this.data.buffer, 0, 4 * n * this.dim));
    return out;
  }

  static fromBytes(bytes: Uint8Array): BruteForceIndex {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 12 || dv.getUint32(0, true) !== MAGIC) {
      throw new LayerwiseError('parse_error', 'BruteForceIndex.fromBytes: not a brute-force index file (bad magic)');
    }
    const dim = dv.getUint32(4, true);
    const n = dv.getUint32(8, true);
    if (bytes.length !== 12 + 8 * n + 4 * n * dim) {
      throw new LayerwiseError(
        'parse_error',
        `BruteForceIndex.fromBytes: expected ${12 + 8 * n + 4 * n * dim} bytes, got ${bytes.length}`,
      );
    }
    const index = new BruteForceIndex({ dim, capacity: Math.max(1, n) });
    const vectors = new Float32Array(bytes.slice(12 + 8 * n).buffer);
    for (let i = 0; i < n; i++) index.add(dv.getFloat64(12 + 8 * i, true), vectors.subarray(i * dim, (i + 1) * dim));
    return index;
  }
}
