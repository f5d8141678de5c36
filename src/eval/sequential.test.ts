import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { addUser, emptyRatio, msprt, normalCdf, ratioEstimate, runningP, wilson, zTestP } from './sequential.js';

/** One simulated two-arm test watched every `every` users per arm; returns whether each readout ever rejected. */
function watch(rng: Rng, pA: number, pB: number, usersPerArm: number, every: number, tau: number) {
  const a = emptyRatio();
  const b = emptyRatio();
  let msprtRejected = false;
  let naiveRejected = false;
  let firstRejection = -1;
  let direction = 0;
  const ps: number[] = [];
  for (let u = 1; u <= usersPerArm; u++) {
    // each user sees 1–4 impressions and clicks each with the arm's probability
    const nA = 1 + rng.int(4);
    const nB = 1 + rng.int(4);
    let yA = 0;
    let yB = 0;
    for (let i = 0; i < nA; i++) if (rng.next() < pA) yA++;
    for (let i = 0; i < nB; i++) if (rng.next() < pB) yB++;
    addUser(a, yA, nA);
    addUser(b, yB, nB);
    if (u % every === 0 && u >= 100) {
      const ea = ratioEstimate(a);
      const eb = ratioEstimate(b);
      const r = msprt(eb.rate - ea.rate, ea.variance + eb.variance, { alpha: 0.05, tau });
      ps.push(r.p);
      if (runningP(ps).at(-1)! <= 0.05 && !msprtRejected) {
        msprtRejected = true;
        firstRejection = u;
        direction = Math.sign(r.difference);
      }
      if (zTestP(eb.rate - ea.rate, ea.variance + eb.variance) <= 0.05) naiveRejected = true;
    }
  }
  return { msprtRejected, naiveRejected, firstRejection, direction };
}

describe('sequential statistics', () => {
  it('ratio estimate: the delta-method variance of Bernoulli users is p(1−p)/(m−1)·… as computed by hand', () => {
    const s = emptyRatio();
    const ys = [1, 0, 0, 1, 1, 0, 0, 0];
    for (const y of ys) addUser(s, y, 1);
    const e = ratioEstimate(s);
    expect(e.rate).toBeCloseTo(3 / 8, 12);
    const sampleVar = (3 - 8 * (3 / 8) ** 2) / 7;
    expect(e.variance).toBeCloseTo(sampleVar / 8, 12);
    // two users with 10 and 30 impressions: r = 8/40; hand-computed delta variance
    const t = emptyRatio();
    addUser(t, 1, 10);
    addUser(t, 7, 30);
    const r = 8 / 40;
    const vy = ((1 - 4) ** 2 + (7 - 4) ** 2) / 1;
    const vn = ((10 - 20) ** 2 + (30 - 20) ** 2) / 1;
    const cyn = ((1 - 4) * (10 - 20) + (7 - 4) * (30 - 20)) / 1;
    expect(ratioEstimate(t).variance).toBeCloseTo((vy - 2 * r * cyn + r * r * vn) / (2 * 20 * 20), 12);
  });

  it('Wilson interval matches the published value for 5/10 and stays inside [0, 1]', () => {
    const w = wilson(5, 10);
    expect(w.lo).toBeCloseTo(0.2366, 4);
    expect(w.hi).toBeCloseTo(0.7634, 4);
    expect(wilson(0, 20).lo).toBe(0);
    expect(wilson(20, 20).hi).toBeLessThanOrEqual(1);
  });

  it('normal CDF matches known quantiles', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });

  it('mSPRT: Λ = 1/α exactly on the confidence-sequence boundary', () => {
    const v = 1e-4;
    const r = msprt(0.01, v, { alpha: 0.05, tau: 0.02 });
    // testing θ = hi with the same data is the mSPRT of the shifted estimate θ̂ − hi against 0
    expect(msprt(0.01 - r.hi, v, { alpha: 0.05, tau: 0.02 }).lambda).toBeCloseTo(20, 6);
    expect(msprt(0.01 - r.lo, v, { alpha: 0.05, tau: 0.02 }).lambda).toBeCloseTo(20, 6);
    expect(r.lo).toBeLessThan(0.01);
    expect(msprt(0, 0, { tau: 0.02 }).p).toBe(1);
  });

  it('A/A watched continuously: mSPRT keeps the false-positive rate at α; repeated z-tests do not', () => {
    const rng = new Rng(11);
    const runs = 300;
    let msprtFp = 0;
    let naiveFp = 0;
    for (let r = 0; r < runs; r++) {
      const w = watch(rng, 0.12, 0.12, 3000, 50, 0.02);
      if (w.msprtRejected) msprtFp++;
      if (w.naiveRejected) naiveFp++;
    }
    // α = 0.05 over 300 runs: the binomial 99.9 % upper bound is ≈ 0.09 (27 runs)
    expect(msprtFp / runs).toBeLessThanOrEqual(0.09);
    // the same data, peeked at with a fixed-horizon test 58 times, rejects far more often
    expect(naiveFp / runs).toBeGreaterThan(0.15);
  });

  it('A/B: mSPRT finds a 20 % relative lift and names the right direction', () => {
    const rng = new Rng(12);
    let found = 0;
    let wrong = 0;
    for (let r = 0; r < 60; r++) {
      const up = watch(rng, 0.12, 0.144, 4000, 50, 0.02);
      const down = watch(rng, 0.144, 0.12, 4000, 50, 0.02);
      found += Number(up.msprtRejected) + Number(down.msprtRejected);
      if (up.msprtRejected && up.direction !== 1) wrong++;
      if (down.msprtRejected && down.direction !== -1) wrong++;
    }
    expect(found / 120).toBeGreaterThan(0.9);
    expect(wrong).toBe(0);
  });
});
