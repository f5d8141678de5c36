/** Compressed sparse row matrices: the input format of the sparse ops (user×item interaction rows). */
import { LayerwiseError } from '../core/errors.js';

export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows+1 offsets into indices/values. */
  readonly indptr: Int32Array;
  /** Column of each stored value (need not be sorted within a row). */
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Validates and wraps CSR arrays; throws `invalid_argument` saying what is inconsistent. */
export function csr(
  rows: number,
  cols: number,
  indptr: Int32Array,
  indices: Int32Array,
  values: Float32Array,
): CsrMatrix {
  const bad = (msg: string): never => {
    throw new LayerwiseError('invalid_argument', `csr(${rows}×${cols}): ${msg}`);
  };
  if (indptr.length !== rows + 1) bad(`indptr has length ${indptr.length}, expected rows+1 = ${rows + 1}`);
  const nnz = indptr[rows]!;
  if (indptr[0] !== 0 || nnz !== indices.length || nnz !== values.length)
    bad(
      `indptr must start at 0 and end at nnz (got ${indptr[0]}..${nnz}; indices ${indices.length}, values ${values.length})`,
    );
  for (let i = 0; i < rows; i++) if (indptr[i + 1]! < indptr[i]!) bad(`indptr decreases at row ${i}`);
  for (let q = 0; q < nnz; q++)
    if (indices[q]! < 0 || indices[q]! >= cols) bad(`column ${indices[q]} out of range at ${q}`);
  return { rows, cols, indptr, indices, values };
}

/** Builds a CSR matrix from rows of (column, value) pairs, e.g. one user's interactions per row. */
export function csrFromRows(rowsOfPairs: readonly (readonly (readonly [number, number])[])[], cols: number): CsrMatrix {
  const indptr = new Int32Array(rowsOfPairs.length + 1);
  let nnz = 0;
  rowsOfPairs.forEach((r, i) => {
    nnz += r.length;
    indptr[i + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let q = 0;
  for (const r of rowsOfPairs)
    for (const [j, v] of r) {
      indices[q] = j;
      values[q++] = v;
    }
  return csr(rowsOfPairs.length, cols, indptr, indices, values);
}

/** Selects rows (a mini-batch) into a new CSR matrix. */
export function csrRows(m: CsrMatrix, rows: ArrayLike<number>): CsrMatrix {
  const indptr = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    indptr[i + 1] = indptr[i]! + m.indptr[r + 1]! - m.indptr[r]!;
  }
  const nnz = indptr[rows.length]!;
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const s = m.indptr[r]!;
    const e = m.indptr[r + 1]!;
    indices.set(m.indices.subarray(s, e), indptr[i]!);
    values.set(m.values.subarray(s, e), indptr[i]!);
  }
  return { rows: rows.length, cols: m.cols, indptr, indices, values };
}

/** Dense row-major copy (tests, small matrices). */
export function csrToDense(m: CsrMatrix): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let q = m.indptr[i]!; q < m.indptr[i + 1]!; q++) out[i * m.cols + m.indices[q]!] += m.values[q]!;
  return out;
}
