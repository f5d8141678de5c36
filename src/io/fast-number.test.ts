/** The fast decimal reader must agree with `Number()` bit for bit, on hand-picked and seeded random inputs. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { parseNumberAt } from './fast-number.js';

const same = (s: string) => Object.is(parseNumberAt(` ${s} `, 1, 1 + s.length), Number(s));

describe('parseNumberAt', () => {
  it('agrees with Number() on edge cases', () => {
    for (const s of [
      '0',
      '-0',
      '+1',
      '1.',
      '.5',
      '-.5',
      '1e5',
      '1E+01',
      '2.5e-1',
      '1e-22',
      '1e23',
      '1e-400',
      '1e400',
      '0.000000000000000000001234',
      '123456789012345678',
      '0.1',
      '0.30000000000000004',
      '3.4028235e38',
      '-7.125',
      '00012.5000',
      'abc',
      '-',
      '.',
      'e5',
      '1e',
      '1e+',
      '0x10',
      'Infinity',
      'NaN',
      '1.2.3',
      '1-2',
      '9007199254740993',
    ]) {
      expect(same(s), s).toBe(true);
    }
  });

  it('agrees with Number() on 20,000 random decimals (float32 and double, fixed and exponent forms)', () => {
    const rng = new Rng(7);
    const wrong: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      const v = (rng.next() - 0.5) * 10 ** rng.int(12) * (rng.bernoulli(0.3) ? 10 ** -rng.int(30) : 1);
      const f = Math.fround(v);
      for (const s of [String(v), f.toPrecision(9), v.toExponential(rng.int(17)), v.toFixed(rng.int(8))]) {
        if (!same(s)) wrong.push(s);
      }
    }
    expect(wrong).toEqual([]);
  });
});
