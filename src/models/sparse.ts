/**
 * Compressed sparse row matrices on typed arrays: the storage of every interaction matrix and item–item model.
 * Indices inside a row are sorted ascending and unique. A CSC view is the CSR of the transpose.
 */
import { LayerwiseError } from '../core/errors.js';

export interface Csr {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into `indices`/`values`. */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** How duplicate (row, col) entries are merged. */
export type Combine = 'sum' | 'max' | 'last';

/** Builds a CSR matrix from coordinate triplets; duplicates are merged with `combine` (default sum). */
export function csrFromTriplets(
  rows: number,
  cols: number,
  r: ArrayLike<number>,
  c: ArrayLike<number>,
  v: ArrayLike<number>,
  combine: Combine = 'sum',
): Csr {
  const n = r.length;
  if (c.length !== n || v.length !== n) {
    throw new LayerwiseError(
      'invalid_argument',
      `csrFromTriplets: lengths differ (rows ${n}, cols ${c.length}, values ${v.length})`,
    );
  }
  const counts = new Int32Array(rows + 1);
  for (let e = 0; e < n; e++) {
    const ri = r[e]!;
    const ci = c[e]!;
    if (!(ri >= 0 && ri < rows && ci >= 0 && ci < cols)) {
      throw new LayerwiseError(
        'invalid_argument',
        `csrFromTriplets: entry ${e} at (${ri}, ${ci}) is outside ${rows}×${cols}`,
      );
    }
    counts[ri + 1]!++;
  }
  for (let i = 0; i < rows; i++) counts[i + 1]! += counts[i]!;
  const order = new Int32Array(n);
  const fill = counts.slice(0, rows);
  for (let e = 0; e < n; e++) order[fill[r[e]!]!++] = e;
  const indptr = new Int32Array(rows + 1);
  const outIdx = new Int32Array(n);
  const outVal = new Float32Array(n);
  let out = 0;
  let keys = new Float64Array(64);
  for (let i = 0; i < rows; i++) {
    const lo = counts[i]!;
    const len = counts[i + 1]! - lo;
    // Sort the row's entries by (column, input order) as one packed float64 key: exact below 2^53.
    if (keys.length < len) keys = new Float64Array(Math.max(len, keys.length * 2));
    const seg = keys.subarray(0, len);
    for (let k = 0; k < len; k++) {
      const e = order[lo + k]!;
      seg[k] = c[e]! * n + e;
    }
    if (len > 1) seg.sort();
    let last = -1;
    for (let k = 0; k < len; k++) {
      const e = seg[k]! % n;
      const col = c[e]!;
      const val = v[e]!;
      if (col === last) {
        const p = out - 1;
        outVal[p] = combine === 'sum' ? outVal[p]! + val : combine === 'max' ? Math.max(outVal[p]!, val) : val;
      } else {
        outIdx[out] = col;
        outVal[out] = val;
        out++;
        last = col;
      }
    }
    indptr[i + 1] = out;
  }
  return { rows, cols, indptr, indices: outIdx.slice(0, out), values: outVal.slice(0, out) };
}

/** The transpose (equivalently: the CSC view of `m`, as a CSR of cols × rows). */
export function transpose(m: Csr): Csr {
  const nnz = m.indices.length;
  const indptr = new Int32Array(m.cols + 1);
  for (let e = 0; e < nnz; e++) indptr[m.indices[e]! + 1]!++;
  for (let j = 0; j < m.cols; j++) indptr[j + 1]! += indptr[j]!;
  const fill = indptr.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) {
      const q = fill[m.indices[p]!]!++;
      indices[q] = i;
      values[q] = m.values[p]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

/** Column indices of row `i` (a view, not a copy). */
export function rowIndices(m: Csr, i: number): Int32Array {
  return m.indices.subarray(m.indptr[i]!, m.indptr[i + 1]!);
}

/** Values of row `i` (a view, not a copy). */
export function rowValues(m: Csr, i: number): Float32Array {
  return m.values.subarray(m.indptr[i]!, m.indptr[i + 1]!);
}

export function rowNnz(m: Csr, i: number): number {
  return m.indptr[i + 1]! - m.indptr[i]!;
}

/** Value at (i, j) or 0 (binary search in the sorted row). */
export function getEntry(m: Csr, i: number, j: number): number {
  let lo = m.indptr[i]!;
  let hi = m.indptr[i + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.indices[mid]!;
    if (c === j) return m.values[mid]!;
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** True when row i has a stored entry at column j. */
export function hasEntry(m: Csr, i: number, j: number): boolean {
  let lo = m.indptr[i]!;
  let hi = m.indptr[i + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.indices[mid]!;
    if (c === j) return true;
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** A copy of `m` with every value replaced by f(value, row, col). */
export function mapValues(m: Csr, f: (v: number, row: number, col: number) => number): Csr {
  const values = new Float32Array(m.values.length);
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) values[p] = f(m.values[p]!, i, m.indices[p]!);
  }
  return { rows: m.rows, cols: m.cols, indptr: m.indptr, indices: m.indices, values };
}

/** Keeps the entries where keep(row, col, value) is true. */
export function filterEntries(m: Csr, keep: (row: number, col: number, v: number) => boolean): Csr {
  const indptr = new Int32Array(m.rows + 1);
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) {
      if (keep(i, m.indices[p]!, m.values[p]!)) {
        idx.push(m.indices[p]!);
        val.push(m.values[p]!);
      }
    }
    indptr[i + 1] = idx.length;
  }
  return { rows: m.rows, cols: m.cols, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
}

/** An all-zero rows × cols matrix. */
export function emptyCsr(rows: number, cols: number): Csr {
  return { rows, cols, indptr: new Int32Array(rows + 1), indices: new Int32Array(0), values: new Float32Array(0) };
}

/** Position of (i, j) in `indices`/`values`, or -1. */
export function entryPosition(m: Csr, i: number, j: number): number {
  let lo = m.indptr[i]!;
  let hi = m.indptr[i + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.indices[mid]!;
    if (c === j) return mid;
    if (c < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
