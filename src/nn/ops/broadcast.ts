/**
 * Binary element-wise ops with NumPy-style broadcasting (add, sub, mul, div). Fast paths: equal shapes, and a
 * trailing-row operand (e.g. bias [n] over [b, n]); the general path maps indices with zero strides. Gradients
 * are summed over the broadcast axes.
 */
import { LayerwiseError } from '../../core/errors.js';
import { floats } from '../pool.js';
import { makeResult, sizeOf, type Tensor } from '../tensor.js';

type Kind = 'add' | 'sub' | 'mul' | 'div';

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new LayerwiseError(
        'invalid_argument',
        `cannot broadcast shapes [${a.join(', ')}] and [${b.join(', ')}] (axis ${i}: ${da} vs ${db})`,
      );
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** For each output flat index, the input flat index (input broadcast to `out`). */
function indexMap(shape: readonly number[], out: readonly number[]): Int32Array {
  const n = sizeOf(out);
  const r = out.length;
  const strides = new Array<number>(r).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = r - shape.length + i;
    strides[axis] = shape[i] === 1 ? 0 : s;
    s *= shape[i]!;
  }
  const map = new Int32Array(n);
  const idx = new Array<number>(r).fill(0);
  let off = 0;
  for (let f = 0; f < n; f++) {
    map[f] = off;
    for (let ax = r - 1; ax >= 0; ax--) {
      idx[ax]!++;
      off += strides[ax]!;
      if (idx[ax]! < out[ax]!) break;
      off -= strides[ax]! * idx[ax]!;
      idx[ax] = 0;
    }
  }
  return map;
}

function isSuffix(small: readonly number[], big: readonly number[]): boolean {
  if (small.length > big.length) return false;
  for (let i = 0; i < small.length; i++) if (small[i] !== big[big.length - small.length + i]) return false;
  return true;
}

function binary(kind: Kind, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShape(a.shape, b.shape);
  const n = sizeOf(shape);
  const ad = a.data;
  const bd = b.data;
  // Index helpers: identity when same size, modulo when a trailing block repeats, a map otherwise.
  const mode = (t: Tensor): 'same' | 'tile' | 'map' =>
    t.size === n ? 'same' : isSuffix(t.shape, shape) ? 'tile' : 'map';
  const ma = mode(a);
  const mb = mode(b);
  const ia = ma === 'map' ? indexMap(a.shape, shape) : null;
  const ib = mb === 'map' ? indexMap(b.shape, shape) : null;
  const at = (i: number): number => (ma === 'same' ? i : ma === 'tile' ? i % a.size : ia![i]!);
  const bt = (i: number): number => (mb === 'same' ? i : mb === 'tile' ? i % b.size : ib![i]!);
  const y = floats(n, false);
  if (ma === 'same' && mb === 'same') {
    if (kind === 'add') for (let i = 0; i < n; i++) y[i] = ad[i]! + bd[i]!;
    else if (kind === 'sub') for (let i = 0; i < n; i++) y[i] = ad[i]! - bd[i]!;
    else if (kind === 'mul') for (let i = 0; i < n; i++) y[i] = ad[i]! * bd[i]!;
    else for (let i = 0; i < n; i++) y[i] = ad[i]! / bd[i]!;
  } else if (kind === 'add') for (let i = 0; i < n; i++) y[i] = ad[at(i)]! + bd[bt(i)]!;
  else if (kind === 'sub') for (let i = 0; i < n; i++) y[i] = ad[at(i)]! - bd[bt(i)]!;
  else if (kind === 'mul') for (let i = 0; i < n; i++) y[i] = ad[at(i)]! * bd[bt(i)]!;
  else for (let i = 0; i < n; i++) y[i] = ad[at(i)]! / bd[bt(i)]!;
  return makeResult(y, shape, [a, b], (g) => {
    if (a.requiresGrad) {
      const ga = a.ensureGrad();
      if (kind === 'add' || kind === 'sub') for (let i = 0; i < n; i++) ga[at(i)] += g[i]!;
      else if (kind === 'mul') for (let i = 0; i < n; i++) ga[at(i)] += g[i]! * bd[bt(i)]!;
      else for (let i = 0; i < n; i++) ga[at(i)] += g[i]! / bd[bt(i)]!;
    }
    if (b.requiresGrad) {
      const gb = b.ensureGrad();
      if (kind === 'add') for (let i = 0; i < n; i++) gb[bt(i)] += g[i]!;
      else if (kind === 'sub') for (let i = 0; i < n; i++) gb[bt(i)] -= g[i]!;
      else if (kind === 'mul') for (let i = 0; i < n; i++) gb[bt(i)] += g[i]! * ad[at(i)]!;
      else
        for (let i = 0; i < n; i++) {
          const bv = bd[bt(i)]!;
          gb[bt(i)] -= (g[i]! * ad[at(i)]!) / (bv * bv);
        }
    }
  });
}

/** a + b (broadcasting). */
export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
/** a − b (broadcasting). */
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b);
/** a ⊙ b (broadcasting). */
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);
/** a ⊘ b (broadcasting). */
export const div = (a: Tensor, b: Tensor): Tensor => binary('div', a, b);
