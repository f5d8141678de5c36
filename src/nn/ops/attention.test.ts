import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { availableBackends, setBackend } from '../backend/index.js';
import { Tensor } from '../tensor.js';
import { gradCheck, leaf, weightedSum } from '../testing/gradcheck.js';
import { attention } from './attention.js';
import { add } from './broadcast.js';
import { dropout, dropoutRows, embedding, embeddingSum, maskRows, residualDropout } from './sampling.js';
import { scale } from './unary.js';

/** Plain-loop reference: softmax over visible keys of q·k/√dh, times v. */
function naive(q: Tensor, k: Tensor, v: Tensor, bs: number, l: number, heads: number, mask?: Uint8Array): number[] {
  const d = q.shape[1]!;
  const dh = d / heads;
  const out = new Array<number>(bs * l * d).fill(0);
  for (let b = 0; b < bs; b++)
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < l; i++) {
        const s: number[] = [];
        for (let j = 0; j <= i; j++) {
          if (mask && !mask[b * l + j]) continue;
          let x = 0;
          for (let c = 0; c < dh; c++)
            x += q.data[(b * l + i) * d + h * dh + c]! * k.data[(b * l + j) * d + h * dh + c]!;
          s.push(j, x / Math.sqrt(dh));
        }
        if (s.length === 0) continue;
        let mx = -Infinity;
        for (let t = 1; t < s.length; t += 2) mx = Math.max(mx, s[t]!);
        let z = 0;
        for (let t = 1; t < s.length; t += 2) z += Math.exp(s[t]! - mx);
        for (let t = 0; t < s.length; t += 2) {
          const j = s[t]!;
          const w = Math.exp(s[t + 1]! - mx) / z;
          for (let c = 0; c < dh; c++) out[(b * l + i) * d + h * dh + c]! += w * v.data[(b * l + j) * d + h * dh + c]!;
        }
      }
  return out;
}

describe.each(availableBackends())('causal masked attention (%s backend)', (name) => {
  beforeAll(() => setBackend(name));
  const rng = new Rng(5);
  // sequence 0 is left-padded by two positions, sequence 1 is full
  const mask = Uint8Array.from([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);

  it.each([1, 2])('matches a plain-loop reference with %i head(s)', (heads) => {
    const [q, k, v] = [leaf([10, 4], rng), leaf([10, 4], rng), leaf([10, 4], rng)];
    const y = attention(q, k, v, { batch: 2, length: 5, heads, keyMask: mask });
    const ref = naive(q, k, v, 2, 5, heads, mask);
    for (const [i, x] of y.data.entries()) expect(x).toBeCloseTo(ref[i]!, 5);
    // padding queries see no key: zero output
    for (let c = 0; c < 8; c++) expect(y.data[c]).toBe(0);
  });

  it('never lets a position see a later one', () => {
    const [q, k, v] = [leaf([5, 4], rng), leaf([5, 4], rng), leaf([5, 4], rng)];
    const before = attention(q, k, v, { batch: 1, length: 5, heads: 1 }).data.slice();
    v.data[4 * 4] = v.data[4 * 4]! + 10;
    k.data[4 * 4] = k.data[4 * 4]! + 10;
    const after = attention(q, k, v, { batch: 1, length: 5, heads: 1 }).data;
    for (let i = 0; i < 16; i++) expect(after[i]).toBe(before[i]);
    expect(after[16]).not.toBe(before[16]);
  });

  it.each([1, 2])('gradients of q, k and v match central differences (%i heads)', (heads) => {
    const [q, k, v] = [leaf([10, 4], rng), leaf([10, 4], rng), leaf([10, 4], rng)];
    const f = (): Tensor => weightedSum(attention(q, k, v, { batch: 2, length: 5, heads, keyMask: mask }));
    const r = gradCheck(f, [q, k, v], 1e-2, 40);
    expect(r.maxError, JSON.stringify(r.worst)).toBeLessThan(1e-2);
  });

  it('rejects mismatched shapes and head counts', () => {
    const q = Tensor.zeros([6, 4]);
    expect(() => attention(q, q, q, { batch: 2, length: 2, heads: 1 })).toThrow(/must all be/);
    expect(() => attention(q, q, q, { batch: 2, length: 3, heads: 3 })).toThrow(/divisible/);
  });
});

describe('maskRows', () => {
  it('zeroes padding rows and their gradient', () => {
    const rng = new Rng(9);
    const x = leaf([4, 3], rng);
    const keep = Uint8Array.from([0, 1, 0, 1]);
    const y = maskRows(x, keep);
    expect(Array.from(y.data.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(y.data.subarray(3, 6))).toEqual(Array.from(x.data.subarray(3, 6)));
    const r = gradCheck(() => weightedSum(maskRows(x, keep)), [x]);
    expect(r.maxError).toBeLessThan(1e-3);
    expect(() => maskRows(x, new Uint8Array(3))).toThrowError(/3 entries for 4 rows/);
  });
});

describe('residualDropout (the fused residual step)', () => {
  it('equals maskRows(add(x, dropout(y))) to the bit, draws the same numbers, and has the same gradients', () => {
    const keep = Uint8Array.from([1, 0, 1, 1, 0, 1]);
    const make = () => {
      const r = new Rng(3);
      return [leaf([6, 5], r), leaf([6, 5], r)] as const;
    };
    const [x1, y1] = make();
    const [x2, y2] = make();
    const r1 = new Rng(11);
    const r2 = new Rng(11);
    const fused = residualDropout(x1, y1, 0.3, r1, true, keep);
    const plain = maskRows(add(x2, dropout(y2, 0.3, r2)), keep);
    expect(Array.from(fused.data)).toEqual(Array.from(plain.data));
    expect(r1.nextU32()).toBe(r2.nextU32()); // the generators are at the same place
    weightedSum(fused).backward();
    weightedSum(plain).backward();
    expect(Array.from(x1.grad!)).toEqual(Array.from(x2.grad!));
    expect(Array.from(y1.grad!)).toEqual(Array.from(y2.grad!));
    const r = gradCheck(() => weightedSum(residualDropout(x1, y1, 0.3, new Rng(4), true, keep)), [x1, y1]);
    expect(r.maxError).toBeLessThan(1e-3);
    // not training: a plain sum, no draws
    const r3 = new Rng(8);
    const eval_ = residualDropout(x1, y1, 0.3, r3, false);
    expect(Array.from(eval_.data)).toEqual(Array.from(add(x1, y1).data));
    expect(r3.nextU32()).toBe(new Rng(8).nextU32());
  });

  it('Rng.keepMask makes the same decisions as next() < p, one draw per element', () => {
    const a = new Rng(21);
    const b = new Rng(21);
    const m = new Uint8Array(10_000);
    a.keepMask(m, 0.2);
    let dropped = 0;
    for (let i = 0; i < m.length; i++) {
      expect(m[i]).toBe(b.next() < 0.2 ? 0 : 1);
      dropped += 1 - m[i]!;
    }
    expect(dropped / m.length).toBeGreaterThan(0.18);
    expect(dropped / m.length).toBeLessThan(0.22);
    expect(a.nextU32()).toBe(b.nextU32());
  });
});

describe('embeddingSum and dropoutRows (the fused input of a transformer)', () => {
  it('embeddingSum is add(scale(embedding(a, ia), s), embedding(b, ib)) to the bit, with matching gradients', () => {
    const rng = new Rng(12);
    const a1 = leaf([6, 3], rng);
    const b1 = leaf([4, 3], rng);
    const [a2, b2] = [new Tensor(a1.data.slice(), a1.shape, true), new Tensor(b1.data.slice(), b1.shape, true)];
    const ia = [5, 0, 5, 2];
    const ib = [0, 1, 2, 3];
    const fused = embeddingSum(a1, ia, 1.7, b1, ib);
    const plain = add(scale(embedding(a2, ia), 1.7), embedding(b2, ib));
    expect(Array.from(fused.data)).toEqual(Array.from(plain.data));
    weightedSum(fused).backward();
    weightedSum(plain).backward();
    expect(Array.from(a1.grad!)).toEqual(Array.from(a2.grad!));
    expect(Array.from(b1.grad!)).toEqual(Array.from(b2.grad!));
    const [a, b] = [leaf([6, 3], rng), leaf([4, 3], rng)];
    expect(gradCheck(() => weightedSum(embeddingSum(a, ia, 1.7, b, ib)), [a, b]).maxError).toBeLessThan(1e-3);
    expect(() => embeddingSum(a, [6, 0, 0, 0], 1, b, ib)).toThrowError(/index 6/);
  });

  it('dropoutRows is maskRows(dropout(x)) with the same draws, training or not', () => {
    const rng = new Rng(13);
    const keep = Uint8Array.from([1, 0, 1, 1, 0]);
    for (const training of [true, false]) {
      const x1 = leaf([5, 4], rng);
      const x2 = new Tensor(x1.data.slice(), x1.shape, true);
      const [r1, r2] = [new Rng(21), new Rng(21)];
      const fused = dropoutRows(x1, 0.3, r1, training, keep);
      const plain = maskRows(dropout(x2, 0.3, r2, training), keep);
      expect(Array.from(fused.data)).toEqual(Array.from(plain.data));
      expect(r1.next()).toBe(r2.next());
      weightedSum(fused).backward();
      weightedSum(plain).backward();
      expect(Array.from(x1.grad!)).toEqual(Array.from(x2.grad!));
    }
    expect(() => dropoutRows(leaf([5, 4], rng), 0.3, rng, true, new Uint8Array(4))).toThrowError(/4 entries/);
  });
});
