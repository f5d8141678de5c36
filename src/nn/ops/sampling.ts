/** Ops that index or sample: embedding gather (scatter-add backward), dropout, row selection. */
import { LayerwiseError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { floats } from '../pool.js';
import { makeResult, type Tensor } from '../tensor.js';

/** Gathers rows of `weight` [n, d] → [indices.length, d]; the backward scatter-adds into the gathered rows. */
export function embedding(weight: Tensor, indices: ArrayLike<number>): Tensor {
  if (weight.rank !== 2)
    throw new LayerwiseError('invalid_argument', `embedding: weight must be 2-D, got [${weight.shape.join(', ')}]`);
  const [n, d] = weight.shape as [number, number];
  const y = floats(indices.length * d, false);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!(r >= 0 && r < n && Number.isInteger(r)))
      throw new LayerwiseError('invalid_argument', `embedding: index ${r} at position ${i} is outside 0..${n - 1}`);
    y.set(weight.data.subarray(r * d, (r + 1) * d), i * d);
  }
  return makeResult(y, [indices.length, d], [weight], (g) => {
    const gw = weight.ensureGrad();
    for (let i = 0; i < indices.length; i++) {
      const o = indices[i]! * d;
      for (let j = 0; j < d; j++) gw[o + j] += g[i * d + j]!;
    }
  });
}

/**
 * s·a[ia] + b[ib]: two embedding lookups summed, the first scaled (a transformer's item embeddings times √d plus
 * its position embeddings) — what `add(scale(embedding(a, ia), s), embedding(b, ib))` computes, to the bit, as
 * one op with one output buffer; the backward scatter-adds into the looked-up rows of both tables.
 */
export function embeddingSum(a: Tensor, ia: ArrayLike<number>, s: number, b: Tensor, ib: ArrayLike<number>): Tensor {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[1] || ia.length !== ib.length)
    throw new LayerwiseError(
      'invalid_argument',
      `embeddingSum: tables [${a.shape}] and [${b.shape}] need the same width, and ${ia.length} and ${ib.length} indices the same count`,
    );
  const d = a.shape[1]!;
  const check = (t: Tensor, idx: ArrayLike<number>): void => {
    const n = t.shape[0]!;
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i]!;
      if (!(r >= 0 && r < n && Number.isInteger(r)))
        throw new LayerwiseError(
          'invalid_argument',
          `embeddingSum: index ${r} at position ${i} is outside 0..${n - 1}`,
        );
    }
  };
  check(a, ia);
  check(b, ib);
  const ad = a.data;
  const bd = b.data;
  const y = floats(ia.length * d, false);
  for (let i = 0; i < ia.length; i++) {
    const oa = ia[i]! * d;
    const ob = ib[i]! * d;
    const o = i * d;
    for (let j = 0; j < d; j++) y[o + j] = Math.fround(s * ad[oa + j]!) + bd[ob + j]!;
  }
  return makeResult(y, [ia.length, d], [a, b], (g) => {
    if (a.requiresGrad) {
      const ga = a.ensureGrad();
      for (let i = 0; i < ia.length; i++) {
        const oa = ia[i]! * d;
        for (let j = 0; j < d; j++) ga[oa + j] += Math.fround(s * g[i * d + j]!);
      }
    }
    if (b.requiresGrad) {
      const gb = b.ensureGrad();
      for (let i = 0; i < ib.length; i++) {
        const ob = ib[i]! * d;
        for (let j = 0; j < d; j++) gb[ob + j] += g[i * d + j]!;
      }
    }
  });
}

/**
 * Inverted dropout: zeroes each value with probability p and scales the rest by 1/(1−p). Identity when
 * `training` is false or p = 0. Masks come from `rng` (seeded runs repeat exactly).
 */
export function dropout(x: Tensor, p: number, rng: Rng, training = true): Tensor {
  if (!(p >= 0 && p < 1)) throw new LayerwiseError('invalid_argument', `dropout: p must be in [0, 1), got ${p}`);
  if (!training || p === 0) return x;
  const keep = 1 / (1 - p);
  const n = x.size;
  const mask = new Uint8Array(n);
  rng.keepMask(mask, p);
  const xd = x.data;
  const y = floats(n, false);
  for (let i = 0; i < n; i++) y[i] = mask[i] ? xd[i]! * keep : 0;
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let i = 0; i < n; i++) if (mask[i]) gx[i] += g[i]! * keep;
  });
}

/**
 * maskRows(dropout(x, p, rng, training), rowKeep) as one op — the same draws and values, one output buffer: the
 * dropout of a transformer's input with its padding rows zeroed. Only the row mask when not training or p = 0.
 */
export function dropoutRows(
  x: Tensor,
  p: number,
  rng: Rng | undefined,
  training: boolean,
  rowKeep: Uint8Array,
): Tensor {
  if (!(p >= 0 && p < 1)) throw new LayerwiseError('invalid_argument', `dropout: p must be in [0, 1), got ${p}`);
  const rows = x.shape[0] ?? 0;
  if (rowKeep.length !== rows)
    throw new LayerwiseError('invalid_argument', `dropoutRows: mask has ${rowKeep.length} entries for ${rows} rows`);
  const n = x.size;
  const w = rows === 0 ? 0 : (n / rows) | 0;
  const drop = training && p > 0 && rng !== undefined;
  const keep = drop ? 1 / (1 - p) : 1;
  const mask = new Uint8Array(n);
  if (drop) rng.keepMask(mask, p);
  else mask.fill(1);
  const xd = x.data;
  const y = floats(n, false);
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * w;
    if (!rowKeep[r]) y.fill(0, r * w, end);
    else for (let i = r * w; i < end; i++) y[i] = mask[i] ? xd[i]! * keep : 0;
  }
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let r = 0; r < rows; r++) {
      if (!rowKeep[r]) continue;
      for (let i = r * w, end = (r + 1) * w; i < end; i++) if (mask[i]) gx[i] += g[i]! * keep;
    }
  });
}

/**
 * The residual step of a transformer block in one pass: x + dropout(y), with the rows whose `rowKeep` entry is 0
 * zeroed (padding positions; omit for none) — what `maskRows(add(x, dropout(y, p, rng)), rowKeep)` computes, to the
 * bit and with the same draws, without the two intermediate tensors. Plain x + y when not training or p = 0.
 */
export function residualDropout(
  x: Tensor,
  y: Tensor,
  p: number,
  rng: Rng | undefined,
  training: boolean,
  rowKeep?: Uint8Array,
): Tensor {
  if (!(p >= 0 && p < 1)) throw new LayerwiseError('invalid_argument', `dropout: p must be in [0, 1), got ${p}`);
  const n = x.size;
  if (y.size !== n)
    throw new LayerwiseError('invalid_argument', `residualDropout: shapes [${x.shape}] and [${y.shape}] differ`);
  const rows = x.shape[0] ?? 0;
  if (rowKeep && rowKeep.length !== rows)
    throw new LayerwiseError(
      'invalid_argument',
      `residualDropout: mask has ${rowKeep.length} entries for ${rows} rows`,
    );
  const w = rows === 0 ? 0 : (n / rows) | 0;
  const drop = training && p > 0 && rng !== undefined;
  const keep = drop ? 1 / (1 - p) : 1;
  const mask = new Uint8Array(n);
  if (drop) rng.keepMask(mask, p);
  else mask.fill(1);
  const xd = x.data;
  const yd = y.data;
  const out = floats(n, false);
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * w;
    if (rowKeep && !rowKeep[r]) out.fill(0, r * w, end);
    else for (let i = r * w; i < end; i++) out[i] = xd[i]! + (mask[i] ? Math.fround(yd[i]! * keep) : 0);
  }
  return makeResult(out, x.shape, [x, y], (g) => {
    const gx = x.requiresGrad ? x.ensureGrad() : null;
    const gy = y.requiresGrad ? y.ensureGrad() : null;
    for (let r = 0; r < rows; r++) {
      if (rowKeep && !rowKeep[r]) continue;
      const end = (r + 1) * w;
      if (gx) for (let i = r * w; i < end; i++) gx[i] += g[i]!;
      if (gy) for (let i = r * w; i < end; i++) if (mask[i]) gy[i] += g[i]! * keep;
    }
  });
}

/**
 * Zeroes the rows of x ([rows, d], any trailing width) whose `keep` entry is 0 — padding positions of a batch of
 * sequences; the gradient is masked the same way. A direct loop instead of a broadcast multiply by a [rows, 1] mask.
 */
export function maskRows(x: Tensor, keep: Uint8Array): Tensor {
  const rows = x.shape[0] ?? 0;
  if (keep.length !== rows)
    throw new LayerwiseError('invalid_argument', `maskRows: mask has ${keep.length} entries for ${rows} rows`);
  const d = rows === 0 ? 0 : (x.size / rows) | 0;
  const y = floats(x.size, false);
  y.set(x.data);
  for (let r = 0; r < rows; r++) if (!keep[r]) y.fill(0, r * d, (r + 1) * d);
  return makeResult(y, x.shape, [x], (g) => {
    const gx = x.ensureGrad();
    for (let r = 0; r < rows; r++) if (keep[r]) for (let j = r * d; j < (r + 1) * d; j++) gx[j] += g[j]!;
  });
}
