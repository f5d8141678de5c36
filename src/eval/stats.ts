/**
 * Statistics over per-user metric values: mean with a percentile bootstrap confidence interval (users resampled,
 * Efron & Tibshirani 1993), paired tests between two models on the same users (paired t-test and a sign-flip
 * randomisation test, Smucker, Allan & Carterette, CIKM 2007), and averaging over seeds. All randomness seeded.
 */
import { Rng } from '../core/rng.js';

export interface Estimate {
  mean: number;
  /** Lower and upper bounds of the confidence interval. */
  lo: number;
  hi: number;
  n: number;
}

export function meanOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length > 0 ? s / xs.length : 0;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Mean and percentile bootstrap CI (level 0.95 by default) of per-user values. */
export function bootstrapCi(
  values: ArrayLike<number>,
  options: { samples?: number; level?: number; seed?: number } = {},
): Estimate {
  const n = values.length;
  const mean = meanOf(values);
  if (n < 2) return { mean, lo: mean, hi: mean, n };
  const b = options.samples ?? 1000;
  const level = options.level ?? 0.95;
  const rng = new Rng(options.seed ?? 1);
  const means = new Float64Array(b);
  for (let s = 0; s < b; s++) {
    let t = 0;
    for (let i = 0; i < n; i++) t += values[rng.int(n)]!;
    means[s] = t / n;
  }
  means.sort();
  return { mean, lo: quantile(means, (1 - level) / 2), hi: quantile(means, 1 - (1 - level) / 2), n };
}

/** ln Γ(x), Lanczos approximation. */
function lnGamma(x: number): number {
  const c = [
    76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2,
    -0.5395239384953e-5,
  ];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const ci of c) ser += ci / ++y;
  return -tmp + Math.log((2.5066282746310007 * ser) / x);
}

/** Regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes 6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let f = 1;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < 1e-300 ? 1e-300 : d;
  d = 1 / d;
  f = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + num * d;
      d = Math.abs(d) < 1e-300 ? 1e-300 : d;
      c = 1 + num / c;
      c = Math.abs(c) < 1e-300 ? 1e-300 : c;
      d = 1 / d;
      f *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-12) break;
  }
  return (front * f) / a;
}

/** Two-sided p-value of Student's t with df degrees of freedom. */
export function studentTwoSidedP(t: number, df: number): number {
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

export interface PairedTest {
  meanDiff: number;
  t: number;
  /** Paired t-test, two-sided. */
  pT: number;
  /** Sign-flip randomisation test, two-sided. */
  pRandom: number;
  n: number;
}

/** Paired comparison of a and b on the same users (a[i] and b[i] belong to user i). */
export function pairedTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: { samples?: number; seed?: number } = {},
): PairedTest {
  const n = Math.min(a.length, b.length);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i]! - b[i]!;
  const md = meanOf(d);
  let v = 0;
  for (const x of d) v += (x - md) ** 2;
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  const t = sd > 0 ? md / (sd / Math.sqrt(n)) : md === 0 ? 0 : Number.POSITIVE_INFINITY;
  const pT = n > 1 ? (Number.isFinite(t) ? studentTwoSidedP(t, n - 1) : 0) : 1;
  const samples = options.samples ?? 2000;
  const rng = new Rng(options.seed ?? 1);
  const obs = Math.abs(md);
  let extreme = 0;
  for (let s = 0; s < samples; s++) {
    let t2 = 0;
    for (let i = 0; i < n; i++) t2 += rng.next() < 0.5 ? d[i]! : -d[i]!;
    if (Math.abs(t2 / n) >= obs - 1e-15) extreme++;
  }
  return { meanDiff: md, t, pT, pRandom: (extreme + 1) / (samples + 1), n };
}

/** Mean and spread over seeds: mean, and the min/max across seeds as lo/hi. */
export function acrossSeeds(values: readonly number[]): Estimate {
  return { mean: meanOf(values), lo: Math.min(...values), hi: Math.max(...values), n: values.length };
}
