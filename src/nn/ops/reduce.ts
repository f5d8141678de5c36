/** Reductions and joins with autograd: sum/mean (all or last axis), group max/mean pooling, concatenation. */
import { LayerwiseError } from '../../core/errors.js';
import { makeResult, type Tensor } from '../tensor.js';

/** Sum of all values → scalar. */
export function sum(x: Tensor): Tensor {
  let s = 0;
  for (let i = 0; i < x.size; i++) s += x.data[i]!;
  return makeResult(Float32Array.of(s), [], [x], (g) => {
    const gx = x.ensureGrad();
    const v = g[0]!;
    for (let i = 0; i < gx.length; i++) gx[i] += v;
  });
}

/** Mean of all values → scalar. */
export function mean(x: Tensor): Tensor {
  let s = 0;
  for (let i = 0; i < x.size; i++) s += x.data[i]!;
  const n = x.size;
  return makeResult(Float32Array.of(s / n), [], [x], (g) => {
    const gx = x.ensureGrad();
    const v = g[0]! / n;
    for (let i = 0; i < gx.length; i++) gx[i] += v;
  });
}

/** Sum over the last axis: [..., n] → [...]. With `mean`, divides by n. */
export function sumLast(x: Tensor, opts: { mean?: boolean } = {}): Tensor {
  if (x.rank === 0) throw new LayerwiseError('invalid_argument', 'sumLast: needs at least one axis, got a scalar');
  const n = x.shape[x.rank - 1]!;
  const rows = n === 0 ? 0 : x.size / n;
  const f = opts.mean ? 1 / n : 1;
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += x.data[r * n + j]!;
    y[r] = s * f;
  }
  return makeResult(y, x.shape.slice(0, -1), [x], (g) => {
    const gx = x.ensureGrad();
    for (let r = 0; r < rows; r++) {
      const v = g[r]! * f;
      for (let j = 0; j < n; j++) gx[r * n + j] += v;
    }
  });
}

/**
 * Pools rows of x [total, d] over groups: `groups` is a group size (x holds total/size equal groups, e.g. a batch of
 * point clouds of N points each; a 3-D [b, N, d] input is accepted too) or an offsets array of length g+1 for
 * variable-size groups. Returns [g, d]. Max pooling sends each gradient to the arg-max row (first on ties).
 */
export function groupPool(x: Tensor, groups: number | Int32Array, kind: 'max' | 'mean'): Tensor {
  const d = x.shape[x.rank - 1]!;
  const total = x.size / d;
  let offsets: Int32Array;
  if (typeof groups === 'number') {
    if (!(groups > 0) || total % groups !== 0)
      throw new LayerwiseError('invalid_argument', `groupPool: ${total} rows do not split into groups of ${groups}`);
    offsets = new Int32Array(total / groups + 1);
    for (let i = 0; i < offsets.length; i++) offsets[i] = i * groups;
  } else {
    offsets = groups;
    if (offsets[0] !== 0 || offsets[offsets.length - 1] !== total)
      throw new LayerwiseError('invalid_argument', `groupPool: offsets must run from 0 to ${total} rows`);
  }
  const g = offsets.length - 1;
  const y = new Float32Array(g * d);
  const arg = kind === 'max' ? new Int32Array(g * d) : null;
  for (let k = 0; k < g; k++) {
    const s = offsets[k]!;
    const e = offsets[k + 1]!;
    if (e <= s) throw new LayerwiseError('invalid_argument', `groupPool: group ${k} is empty`);
    for (let j = 0; j < d; j++) {
      if (arg) {
        let best = x.data[s * d + j]!;
        let bi = s;
        for (let r = s + 1; r < e; r++)
          if (x.data[r * d + j]! > best) {
            best = x.data[r * d + j]!;
            bi = r;
          }
        y[k * d + j] = best;
        arg[k * d + j] = bi;
      } else {
        let acc = 0;
        for (let r = s; r < e; r++) acc += x.data[r * d + j]!;
        y[k * d + j] = acc / (e - s);
      }
    }
  }
  return makeResult(y, [g, d], [x], (gy) => {
    const gx = x.ensureGrad();
    for (let k = 0; k < g; k++) {
      const s = offsets[k]!;
      const e = offsets[k + 1]!;
      for (let j = 0; j < d; j++) {
        if (arg) gx[arg[k * d + j]! * d + j] += gy[k * d + j]!;
        else {
          const v = gy[k * d + j]! / (e - s);
          for (let r = s; r < e; r++) gx[r * d + j] += v;
        }
      }
    }
  });
}

export const maxPool = (x: Tensor, groups: number | Int32Array): Tensor => groupPool(x, groups, 'max');
export const meanPool = (x: Tensor, groups: number | Int32Array): Tensor => groupPool(x, groups, 'mean');

/** Concatenates tensors along `axis` (default last); other axes must match. */
export function concat(xs: readonly Tensor[], axis = -1): Tensor {
  if (xs.length === 0) throw new LayerwiseError('invalid_argument', 'concat: needs at least one tensor');
  const r = xs[0]!.rank;
  const ax = axis < 0 ? r + axis : axis;
  if (ax < 0 || ax >= r)
    throw new LayerwiseError('invalid_argument', `concat: axis ${axis} out of range for rank ${r}`);
  const outer = xs[0]!.shape.slice(0, ax).reduce((p, v) => p * v, 1);
  const tail = xs[0]!.shape.slice(ax + 1);
  const inner = tail.reduce((p, v) => p * v, 1);
  let along = 0;
  for (const t of xs) {
    if (t.rank !== r || t.shape.some((d, i) => i !== ax && d !== xs[0]!.shape[i]))
      throw new LayerwiseError(
        'invalid_argument',
        `concat: shape [${t.shape.join(', ')}] does not match [${xs[0]!.shape.join(', ')}] outside axis ${ax}`,
      );
    along += t.shape[ax]!;
  }
  const shape = [...xs[0]!.shape.slice(0, ax), along, ...tail];
  const rowLen = along * inner;
  const y = new Float32Array(outer * rowLen);
  let off = 0;
  const offs: number[] = [];
  for (const t of xs) {
    offs.push(off);
    const w = t.shape[ax]! * inner;
    for (let o = 0; o < outer; o++) y.set(t.data.subarray(o * w, (o + 1) * w), o * rowLen + off);
    off += w;
  }
  return makeResult(y, shape, xs, (g) => {
    xs.forEach((t, i) => {
      if (!t.requiresGrad) return;
      const gt = t.ensureGrad();
      const w = t.shape[ax]! * inner;
      for (let o = 0; o < outer; o++) {
        const src = o * rowLen + offs[i]!;
        for (let j = 0; j < w; j++) gt[o * w + j] += g[src + j]!;
      }
    });
  });
}

/** Columns [start, end) of the last axis (e.g. split an encoder output into μ and log σ²). */
export function sliceLast(x: Tensor, start: number, end: number): Tensor {
  const d = x.shape[x.rank - 1]!;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= d))
    throw new LayerwiseError('invalid_argument', `sliceLast: range [${start}, ${end}) is not inside 0..${d}`);
  const rows = x.size / d;
  const w = end - start;
  const y = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) y.set(x.data.subarray(r * d + start, r * d + end), r * w);
  return makeResult(y, [...x.shape.slice(0, -1), w], [x], (g) => {
    const gx = x.ensureGrad();
    for (let r = 0; r < rows; r++) for (let j = 0; j < w; j++) gx[r * d + start + j] += g[r * w + j]!;
  });
}
