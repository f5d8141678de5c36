import { describe, expect, it } from 'vitest';
import { armForPoint, assignArm, murmur3 } from './assignment.js';

describe('sticky assignment', () => {
  it('murmur3 matches the reference implementation (SMHasher test vectors)', () => {
    expect(murmur3('')).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('hello')).toBe(0x248bfa47);
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
    expect(murmur3('aaaa', 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3('abc')).toBe(0xb3dd93fa);
  });

  it('is sticky and splits traffic by share (chi-square within the 99.9% quantile)', () => {
    const shares = [1, 1, 2];
    const counts = [0, 0, 0];
    const n = 20_000;
    let moved = 0;
    for (let u = 0; u < n; u++) {
      const arm = assignArm('exp-7', `user-${u}`, shares);
      if (assignArm('exp-7', `user-${u}`, shares) !== arm) moved++;
      counts[arm]!++;
    }
    expect(moved).toBe(0);
    const expected = shares.map((s) => (s / 4) * n);
    const chi2 = counts.reduce((acc, c, i) => acc + (c - expected[i]!) ** 2 / expected[i]!, 0);
    expect(chi2).toBeLessThan(13.8); // χ²(2) 99.9 %
  });

  it('assigns independently across experiments', () => {
    const table = [
      [0, 0],
      [0, 0],
    ];
    for (let u = 0; u < 20_000; u++) table[assignArm('e1', `u${u}`, [1, 1])]![assignArm('e2', `u${u}`, [1, 1])]!++;
    for (const row of table) for (const c of row) expect(Math.abs(c - 5000)).toBeLessThan(5000 * 0.06);
  });

  it('cuts the unit interval by normalised shares', () => {
    expect(armForPoint(0, [1, 3])).toBe(0);
    expect(armForPoint(0.2499, [1, 3])).toBe(0);
    expect(armForPoint(0.25, [1, 3])).toBe(1);
    expect(armForPoint(0.9999999, [1, 3])).toBe(1);
  });
});
