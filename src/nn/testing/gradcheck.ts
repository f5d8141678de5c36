/**
 * Test helpers for src/nn: central finite-difference gradient checks and random inputs. Used by the *.test.ts files
 * (kept out of the public barrel).
 */
import { Rng } from '../../core/rng.js';
import { mul } from '../ops/broadcast.js';
import { sum } from '../ops/reduce.js';
import { noGrad, Tensor } from '../tensor.js';

export interface GradReport {
  maxError: number;
  worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

/**
 * Compares the analytic gradient of a scalar `f()` with respect to each of `inputs` against central differences
 * (step eps), on up to `samples` entries per input. Error = |a − n| / max(1, |a|, |n|).
 */
export function gradCheck(f: () => Tensor, inputs: readonly Tensor[], eps = 1e-2, samples = 24, seed = 1): GradReport {
  for (const t of inputs) t.grad = null;
  const out = f();
  out.backward();
  const analytic = inputs.map((t) => (t.grad ? t.grad.slice() : new Float32Array(t.size)));
  const rng = new Rng(seed);
  let maxError = 0;
  let worst: GradReport['worst'] = null;
  inputs.forEach((t, k) => {
    const idx = t.size <= samples ? [...Array(t.size).keys()] : Array.from({ length: samples }, () => rng.int(t.size));
    for (const i of idx) {
      const orig = t.data[i]!;
      t.data[i] = orig + eps;
      const up = noGrad(() => f().item());
      t.data[i] = orig - eps;
      const down = noGrad(() => f().item());
      t.data[i] = orig;
      const numeric = (up - down) / (2 * eps);
      const a = analytic[k]![i]!;
      const err = Math.abs(a - numeric) / Math.max(1, Math.abs(a), Math.abs(numeric));
      if (err > maxError || Number.isNaN(err)) {
        maxError = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
        worst = { input: k, index: i, analytic: a, numeric };
      }
    }
  });
  return { maxError, worst };
}

/** Reduces any tensor to a scalar with fixed random weights, so every output entry's gradient matters. */
export function weightedSum(y: Tensor, seed = 99): Tensor {
  const rng = new Rng(seed);
  const w = Tensor.zeros(y.shape);
  for (let i = 0; i < w.size; i++) w.data[i] = rng.uniform(-1, 1);
  return sum(mul(y, w));
}

/** A leaf tensor needing gradients, with N(0, std²) entries. */
export function leaf(shape: readonly number[], rng: Rng, std = 1): Tensor {
  return Tensor.randn(shape, rng, std, true);
}
