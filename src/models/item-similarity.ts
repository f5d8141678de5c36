/**
 * Shared machinery of the item–item models (ItemKNN, P3alpha, RP3beta): a sparse items × items matrix S whose row i
 * holds the top-k items reached from i; a history h scores s_j = Σ_i h_i S[i, j]. Also the sparse accumulation
 * kernel that computes Σ_u A[u, i] B[u, j] row by row and keeps the k largest entries of each row.
 */
import { topK } from '../core/math.js';
import type { TensorMap } from './artifact.js';
import { BaseRecommender, type FitContext, type IndexEvidence, type Params } from './base.js';
import type { Interactions } from './interactions.js';
import type { Csr } from './sparse.js';

/**
 * Row i of the result: for j ≠ i, finalize(i, j, Σ_u aT[i, u] · b[u, j]) (a value ≤ 0 or NaN is dropped), keeping the
 * `k` largest per row (k ≤ 0 keeps all). aT is items × users, b users × items.
 */
export async function itemItemTopK(
  aT: Csr,
  b: Csr,
  k: number,
  finalize: (i: number, j: number, raw: number) => number,
  ctx?: FitContext,
): Promise<Csr> {
  const n = aT.rows;
  const dense = new Float64Array(b.cols);
  const mark = new Uint8Array(b.cols);
  const touched: number[] = [];
  const candJ = new Int32Array(b.cols);
  const candV = new Float64Array(b.cols);
  const indptr = new Int32Array(n + 1);
  // Pruned (k > 0), the output never exceeds items × k entries: memory O(items × k), never items × items.
  let cap = k > 0 ? Math.min(n * k, 1 << 20) : 1 << 16;
  let outIdx = new Int32Array(cap);
  let outVal = new Float32Array(cap);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    if (ctx && i % 256 === 255) await ctx.pause();
    touched.length = 0;
    for (let p = aT.indptr[i]!; p < aT.indptr[i + 1]!; p++) {
      const u = aT.indices[p]!;
      const a = aT.values[p]!;
      for (let q = b.indptr[u]!; q < b.indptr[u + 1]!; q++) {
        const j = b.indices[q]!;
        if (mark[j] === 0) {
          mark[j] = 1;
          touched.push(j);
        }
        dense[j]! += a * b.values[q]!;
      }
    }
    let nc = 0;
    for (const j of touched) {
      if (j !== i) {
        const v = finalize(i, j, dense[j]!);
        if (v > 0) {
          candJ[nc] = j;
          candV[nc++] = v;
        }
      }
      dense[j] = 0;
      mark[j] = 0;
    }
    const keep = k > 0 && nc > k ? topK(candV.subarray(0, nc), k) : Array.from({ length: nc }, (_, c) => c);
    keep.sort((x, y) => candJ[x]! - candJ[y]!);
    if (nnz + keep.length > cap) {
      cap = Math.max(nnz + keep.length, Math.min(cap * 2, k > 0 ? n * k : Number.MAX_SAFE_INTEGER));
      const idx = new Int32Array(cap);
      idx.set(outIdx.subarray(0, nnz));
      const val = new Float32Array(cap);
      val.set(outVal.subarray(0, nnz));
      outIdx = idx;
      outVal = val;
    }
    for (const c of keep) {
      outIdx[nnz] = candJ[c]!;
      outVal[nnz++] = candV[c]!;
    }
    indptr[i + 1] = nnz;
  }
  return { rows: n, cols: b.cols, indptr, indices: outIdx.slice(0, nnz), values: outVal.slice(0, nnz) };
}

/** Scales each row of S to sum 1 (rows of zeros stay). */
export function l1NormalizeRows(s: Csr): Csr {
  const values = s.values.slice();
  for (let i = 0; i < s.rows; i++) {
    let t = 0;
    for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) t += values[p]!;
    if (t > 0) for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) values[p] = values[p]! / t;
  }
  return { ...s, values };
}

export abstract class ItemSimilarityModel<P extends Params> extends BaseRecommender<P> {
  protected sim: Csr = {
    rows: 0,
    cols: 0,
    indptr: new Int32Array(1),
    indices: new Int32Array(0),
    values: new Float32Array(0),
  };
  protected override readonly servesWithoutMatrix: boolean = true;
  /** Every row's column indices ascend (itemItemTopK writes them so): lookups can binary-search. */
  private rowsSorted = true;

  protected abstract buildSimilarity(data: Interactions, ctx: FitContext): Promise<Csr>;

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs?: number }> {
    this.setSimilarity(await this.buildSimilarity(data, ctx));
    return {};
  }

  /** The fitted items × items matrix (row i: items reached from i). */
  get similarity(): Csr {
    return this.sim;
  }

  scoreHistory(items: Int32Array, weights: Float32Array, out: Float32Array): void {
    out.fill(0);
    const s = this.sim;
    for (let h = 0; h < items.length; h++) {
      const i = items[h]!;
      const w = weights[h]!;
      for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) out[s.indices[p]!]! += w * s.values[p]!;
    }
  }

  protected similarScores(item: number, out: Float32Array): void {
    out.fill(0);
    const s = this.sim;
    for (let p = s.indptr[item]!; p < s.indptr[item + 1]!; p++) out[s.indices[p]!] = s.values[p]!;
  }

  private setSimilarity(sim: Csr): void {
    this.sim = sim;
    let sorted = true;
    for (let i = 0; i < sim.rows && sorted; i++) {
      for (let p = sim.indptr[i]! + 1; p < sim.indptr[i + 1]!; p++) {
        if (sim.indices[p - 1]! >= sim.indices[p]!) {
          sorted = false;
          break;
        }
      }
    }
    this.rowsSorted = sorted;
  }

  /** Position of column `j` in row `i` of the similarity, or −1. */
  private find(i: number, j: number): number {
    const s = this.sim;
    let lo = s.indptr[i]!;
    let hi = s.indptr[i + 1]!;
    if (!this.rowsSorted) {
      for (let p = lo; p < hi; p++) if (s.indices[p] === j) return p;
      return -1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = s.indices[mid]!;
      if (v === j) return mid;
      if (v < j) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  protected explainIndex(items: Int32Array, weights: Float32Array, target: number): IndexEvidence {
    const parts: { index: number; weight: number }[] = [];
    let score = 0;
    for (let h = 0; h < items.length; h++) {
      const i = items[h]!;
      const p = this.find(i, target);
      if (p >= 0) {
        const w = weights[h]! * this.sim.values[p]!;
        parts.push({ index: i, weight: w });
        score += w;
      }
    }
    return { basis: 'items', score, parts };
  }

  protected exportState(): { extra: Record<string, unknown>; tensors: TensorMap } {
    return {
      extra: {},
      tensors: { simIndptr: this.sim.indptr, simIndices: this.sim.indices, simValues: this.sim.values },
    };
  }

  protected importState(_extra: Record<string, unknown>, t: TensorMap, data: Interactions): void {
    this.setSimilarity({
      rows: data.nItems,
      cols: data.nItems,
      indptr: t.simIndptr as Int32Array,
      indices: t.simIndices as Int32Array,
      values: t.simValues as Float32Array,
    });
  }
}
