/**
 * Online-experiment statistics that stay valid while the experiment is watched: ratio metrics over users with
 * delta-method variances (users are the independent units, impressions within a user are not), Wilson intervals
 * for per-user proportions, and the mixture sequential probability ratio test (mSPRT) of Johari, Koomen, Pekelis &
 * Walsh, "Always valid inference: continuous monitoring of A/B tests" (Operations Research 2022) with a normal
 * mixing distribution N(0, τ²) over the difference of two arms. Its p-value may be looked at after every user
 * (running minimum of 1/Λ) and its confidence sequence covers the true difference at all times simultaneously with
 * probability ≥ 1 − α — so peeking does not inflate the false-positive rate the way repeated fixed-horizon tests do.
 */

/** Sufficient statistics of a ratio metric Σy/Σn over independent users (y = hits, n = items shown). */
export interface RatioSample {
  users: number;
  sumY: number;
  sumN: number;
  sumYY: number;
  sumNN: number;
  sumYN: number;
}

export function emptyRatio(): RatioSample {
  return { users: 0, sumY: 0, sumN: 0, sumYY: 0, sumNN: 0, sumYN: 0 };
}

/** Adds one user's totals. */
export function addUser(s: RatioSample, y: number, n: number): void {
  s.users++;
  s.sumY += y;
  s.sumN += n;
  s.sumYY += y * y;
  s.sumNN += n * n;
  s.sumYN += y * n;
}

export interface RateEstimate {
  /** Point estimate. */
  rate: number;
  /** Variance of the estimate. */
  variance: number;
  /** 95 % interval (normal approximation / Wilson). */
  lo: number;
  hi: number;
  /** Users behind it. */
  users: number;
}

const Z95 = 1.959963984540054;

/** Σy/Σn with the delta-method variance (1/(m n̄²))·(s_y² − 2r·s_yn + r²·s_n²), m users. */
export function ratioEstimate(s: RatioSample): RateEstimate {
  const m = s.users;
  if (m === 0 || s.sumN === 0) return { rate: 0, variance: 0, lo: 0, hi: 0, users: m };
  const r = s.sumY / s.sumN;
  const my = s.sumY / m;
  const mn = s.sumN / m;
  const d = Math.max(1, m - 1);
  const vy = (s.sumYY - m * my * my) / d;
  const vn = (s.sumNN - m * mn * mn) / d;
  const cyn = (s.sumYN - m * my * mn) / d;
  const variance = Math.max(0, (vy - 2 * r * cyn + r * r * vn) / (m * mn * mn));
  const half = Z95 * Math.sqrt(variance);
  return { rate: r, variance, lo: Math.max(0, r - half), hi: Math.min(1, r + half), users: m };
}

/** Wilson score interval for k successes out of n (95 % by default). */
export function wilson(k: number, n: number, z = Z95): RateEstimate {
  if (n === 0) return { rate: 0, variance: 0, lo: 0, hi: 0, users: 0 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return {
    rate: p,
    variance: (p * (1 - p)) / n,
    lo: Math.max(0, centre - half),
    hi: Math.min(1, centre + half),
    users: n,
  };
}

export interface MsprtOptions {
  /** Significance level (false-positive rate under continuous monitoring), default 0.05. */
  alpha?: number;
  /** Standard deviation τ of the normal mixing distribution over the true difference, in metric units. */
  tau: number;
}

export interface MsprtResult {
  /** Treatment − control. */
  difference: number;
  /** Variance of the difference. */
  variance: number;
  /** Mixture likelihood ratio Λ against "no difference". */
  lambda: number;
  /** min(1, 1/Λ) at this look; the always-valid p-value is the running minimum over looks (`runningP`). */
  p: number;
  /** Always-valid (1 − α) confidence sequence for the difference at this look. */
  lo: number;
  hi: number;
}

/**
 * mSPRT of H0: difference = 0 for an asymptotically normal estimate `difference` with variance `variance`:
 * Λ = √(V/(V+τ²)) · exp(θ̂²τ² / (2V(V+τ²))); reject when Λ ≥ 1/α. The confidence sequence is every θ whose Λ(θ)
 * stays below 1/α: θ̂ ± √(V(V+τ²)/τ² · (2 ln(1/α) + ln((V+τ²)/V))).
 */
export function msprt(difference: number, variance: number, o: MsprtOptions): MsprtResult {
  const alpha = o.alpha ?? 0.05;
  const t2 = o.tau * o.tau;
  if (!(variance > 0) || !(t2 > 0)) {
    return { difference, variance, lambda: 1, p: 1, lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
  }
  const v = variance;
  const logLambda = 0.5 * Math.log(v / (v + t2)) + (difference * difference * t2) / (2 * v * (v + t2));
  const lambda = Math.exp(Math.min(700, logLambda));
  const half = Math.sqrt(((v * (v + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((v + t2) / v)));
  return {
    difference,
    variance,
    lambda,
    p: Math.min(1, 1 / lambda),
    lo: difference - half,
    hi: difference + half,
  };
}

/** Running minimum of p-values over successive looks: the always-valid p-value after each look. */
export function runningP(ps: readonly number[]): number[] {
  let m = 1;
  return ps.map((p) => (m = Math.min(m, p)));
}

/** Two-sided fixed-horizon z-test p-value (for comparison: repeated looks at it inflate false positives). */
export function zTestP(difference: number, variance: number): number {
  if (!(variance > 0)) return 1;
  return 2 * (1 - normalCdf(Math.abs(difference) / Math.sqrt(variance)));
}

/** Φ(x) by the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
