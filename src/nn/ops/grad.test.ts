import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { availableBackends, setBackend } from '../backend/index.js';
import { csrFromRows } from '../csr.js';
import { bpr, crossEntropy, infoNce, klStdNormal, mse, multinomialNll, tiedCrossEntropy } from '../losses.js';
import { Tensor } from '../tensor.js';
import { gradCheck, leaf, weightedSum } from '../testing/gradcheck.js';
import { add, div, mul, sub } from './broadcast.js';
import { linear, matmul, spLinear, spmm } from './matmul.js';
import { l2Normalize, layerNorm } from './normalize.js';
import { concat, maxPool, mean, meanPool, sliceLast, sum, sumLast } from './reduce.js';
import { dropout, embedding } from './sampling.js';
import { logSoftmax, softmax } from './softmax.js';
import { affine, exp, gelu, log, logSigmoid, relu, reshape, sigmoid, square, tanh } from './unary.js';

const TOL = 1e-2;

/** Values bounded away from 0 (so relu/abs kinks sit outside the finite-difference step). */
function awayFromZero(shape: number[], rng: Rng): Tensor {
  const t = leaf(shape, rng);
  for (let i = 0; i < t.size; i++) t.data[i] = (t.data[i]! >= 0 ? 0.2 : -0.2) + t.data[i]!;
  return t;
}

describe.each(availableBackends())('gradients vs central differences (%s backend)', (name) => {
  beforeAll(() => setBackend(name));
  const rng = new Rng(11);
  const check = (f: () => Tensor, inputs: Tensor[]): void => {
    const r = gradCheck(f, inputs);
    expect(r.maxError, JSON.stringify(r.worst)).toBeLessThan(TOL);
  };

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matmul transA=%s transB=%s', (ta, tb) => {
    const a = leaf(ta ? [4, 3] : [3, 4], rng);
    const b = leaf(tb ? [5, 4] : [4, 5], rng);
    check(() => weightedSum(matmul(a, b, { transA: ta, transB: tb })), [a, b]);
  });

  it('linear with bias', () => {
    const x = leaf([3, 4], rng);
    const w = leaf([4, 5], rng);
    const b = leaf([5], rng);
    check(() => weightedSum(linear(x, w, b)), [x, w, b]);
  });

  it('spmm and spLinear (CSR × dense, both orientations)', () => {
    const a = csrFromRows(
      [
        [
          [0, 1.5],
          [3, -2],
        ],
        [],
        [
          [1, 0.5],
          [2, 1],
          [3, 2],
        ],
      ],
      4,
    );
    const b = leaf([4, 3], rng);
    const bt = leaf([3, 2], rng);
    const bias = leaf([3], rng);
    check(() => weightedSum(spmm(a, b)), [b]);
    check(() => weightedSum(spmm(a, bt, { transA: true })), [bt]);
    check(() => weightedSum(spLinear(a, b, bias)), [b, bias]);
  });

  it('add/sub/mul/div with broadcasting', () => {
    const a = leaf([2, 3, 4], rng);
    const row = leaf([4], rng);
    const col = leaf([3, 1], rng);
    const pos = leaf([2, 1, 4], rng);
    for (let i = 0; i < pos.size; i++) pos.data[i] = 1 + Math.abs(pos.data[i]!);
    check(() => weightedSum(add(a, row)), [a, row]);
    check(() => weightedSum(sub(col, a)), [a, col]);
    check(() => weightedSum(mul(a, col)), [a, col]);
    check(() => weightedSum(div(a, pos)), [a, pos]);
    check(() => weightedSum(mul(col, row)), [col, row]);
  });

  it('activations and element-wise functions', () => {
    const x = awayFromZero([3, 5], rng);
    for (const f of [relu, tanh, sigmoid, gelu, exp, logSigmoid, square]) check(() => weightedSum(f(x)), [x]);
    check(() => weightedSum(affine(x, -1.5, 2)), [x]);
    const p = leaf([7], rng);
    for (let i = 0; i < p.size; i++) p.data[i] = 0.5 + Math.abs(p.data[i]!);
    check(() => weightedSum(log(p)), [p]);
  });

  it('softmax and log-softmax', () => {
    const x = leaf([3, 6], rng);
    check(() => weightedSum(softmax(x)), [x]);
    check(() => weightedSum(logSoftmax(x)), [x]);
  });

  it('dropout with a fixed seed, layer norm, l2 normalise', () => {
    const x = leaf([4, 6], rng);
    check(() => weightedSum(dropout(x, 0.3, new Rng(5))), [x]);
    const g = leaf([6], rng);
    const b = leaf([6], rng);
    check(() => weightedSum(layerNorm(x, g, b)), [x, g, b]);
    check(() => weightedSum(l2Normalize(x)), [x]);
  });

  it('embedding gather with repeated indices', () => {
    const w = leaf([5, 3], rng);
    check(() => weightedSum(embedding(w, [4, 0, 4, 2])), [w]);
  });

  it('max and mean pooling over groups (fixed size and offsets)', () => {
    const x = leaf([6, 3], rng, 3);
    check(() => weightedSum(maxPool(x, 3)), [x]);
    check(() => weightedSum(meanPool(x, Int32Array.of(0, 1, 6))), [x]);
    check(() => weightedSum(maxPool(x, Int32Array.of(0, 4, 6))), [x]);
  });

  it('concat, reshape, sum, mean, sumLast', () => {
    const a = leaf([2, 3], rng);
    const b = leaf([2, 2], rng);
    const c = leaf([1, 3], rng);
    check(() => weightedSum(concat([a, b], 1)), [a, b]);
    check(() => weightedSum(concat([a, c], 0)), [a, c]);
    check(() => weightedSum(reshape(a, [3, -1])), [a]);
    check(() => sum(square(a)), [a]);
    check(() => mean(square(a)), [a]);
    check(() => weightedSum(sumLast(a, { mean: true })), [a]);
    check(() => weightedSum(sliceLast(a, 1, 3)), [a]);
  });

  it('losses: multinomial (dense and CSR), cross-entropy, MSE, BPR, InfoNCE, KL', () => {
    const z = leaf([3, 5], rng);
    const counts = Tensor.from([1, 0, 2, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 3], [3, 5]);
    const sparse = csrFromRows(
      [
        [
          [0, 1],
          [2, 2],
        ],
        [[4, 1]],
        [
          [0, 1],
          [1, 1],
          [4, 3],
        ],
      ],
      5,
    );
    check(() => multinomialNll(z, counts), [z]);
    check(() => multinomialNll(z, sparse), [z]);
    check(() => crossEntropy(z, [4, 0, 2]), [z]);
    const t = leaf([3, 5], rng);
    check(() => mse(z, t), [z, t]);
    const pos = leaf([6], rng);
    const neg = leaf([6], rng);
    check(() => bpr(pos, neg), [pos, neg]);
    const qa = leaf([4, 3], rng);
    const qb = leaf([4, 3], rng);
    check(() => infoNce(l2Normalize(qa), l2Normalize(qb), { temperature: 0.5 }), [qa, qb]);
    check(() => infoNce(qa, qb, { temperature: 2, symmetric: false }), [qa, qb]);
    const mu = leaf([2, 3], rng);
    const lv = leaf([2, 3], rng, 0.5);
    check(() => klStdNormal(mu, lv), [mu, lv]);
  });
});

describe('loss values against hand-computed cases', () => {
  it('multinomial NLL of uniform logits is Σx·log n per row, averaged', () => {
    const z = Tensor.zeros([2, 4]);
    const x = Tensor.from([1, 1, 0, 0, 0, 0, 0, 3], [2, 4]);
    expect(multinomialNll(z, x).item()).toBeCloseTo(((2 + 3) * Math.log(4)) / 2, 5);
  });
  it('BPR of equal scores is log 2; KL of N(0,1) is 0', () => {
    expect(bpr(Tensor.from([1, 2]), Tensor.from([1, 2])).item()).toBeCloseTo(Math.log(2), 6);
    expect(klStdNormal(Tensor.zeros([2, 3]), Tensor.zeros([2, 3])).item()).toBeCloseTo(0, 7);
  });
  it('cross-entropy of [0, ln 3] against class 1 is ln(4/3)', () => {
    expect(crossEntropy(Tensor.from([0, Math.log(3)], [1, 2]), [1]).item()).toBeCloseTo(Math.log(4 / 3), 6);
  });
});

describe('tiedCrossEntropy', () => {
  it('is crossEntropy(matmul(h, W, {transB}), labels): loss to the bit, gradients to rounding, step after step', () => {
    for (let step = 0; step < 3; step++) {
      const rng = new Rng(40 + step);
      const h1 = leaf([5, 4], rng);
      const w1 = leaf([7, 4], rng);
      const h2 = new Tensor(h1.data.slice(), h1.shape, true);
      const w2 = new Tensor(w1.data.slice(), w1.shape, true);
      const labels = [0, 6, 3, 3, 1];
      const fused = tiedCrossEntropy(h1, w1, labels);
      const plain = crossEntropy(matmul(h2, w2, { transB: true }), labels);
      expect(fused.item()).toBe(plain.item());
      fused.backward();
      plain.backward();
      for (const [a, e] of [
        [h1.grad!, h2.grad!],
        [w1.grad!, w2.grad!],
      ] as const)
        for (let i = 0; i < a.length; i++)
          expect(Math.abs(a[i]! - e[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e[i]!)));
    }
    const rng = new Rng(7);
    const [h, w] = [leaf([3, 4], rng), leaf([6, 4], rng)];
    expect(gradCheck(() => tiedCrossEntropy(h, w, [5, 0, 2]), [h, w]).maxError).toBeLessThan(2e-3);
    expect(() => tiedCrossEntropy(h, w, [6, 0, 2])).toThrowError(/label 6/);
  });
});
