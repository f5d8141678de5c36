import { describe, expect, it } from 'vitest';
import { bestOrientation, fibonacciSphere, rotatePositions, rotationToZ } from './orientation.js';
import { overhangArea } from './overhang.js';
import { box, uvSphere } from './primitives.js';
import { prism } from './prism.js';

const apply = (m: number[], v: number[]): number[] =>
  [0, 1, 2].map((r) => m[3 * r]! * v[0]! + m[3 * r + 1]! * v[1]! + m[3 * r + 2]! * v[2]!);

/** L profile in XZ: a 50 mm foot (10 thick) and a 30 mm high leg (10 thick), extruded 60 along Y. */
const L_PROFILE: [number, number][] = [
  [0, 0],
  [50, 0],
  [50, 10],
  [10, 10],
  [10, 30],
  [0, 30],
];

describe('rotationToZ', () => {
  it('takes any unit vector to +Z with a proper rotation', () => {
    for (const u of [...fibonacciSphere(50), [0, 0, 1], [0, 0, -1], [1, 0, 0]]) {
      const m = rotationToZ(u);
      const z = apply(m, u);
      expect(z[0]).toBeCloseTo(0, 9);
      expect(z[1]).toBeCloseTo(0, 9);
      expect(z[2]).toBeCloseTo(1, 9);
      const det =
        m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
        m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
        m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
      expect(det).toBeCloseTo(1, 9);
    }
  });
});

describe('bestOrientation', () => {
  it('a cube keeps its stored orientation: no support, stable', () => {
    const b = box([20, 20, 20]);
    const r = bestOrientation(b.positions, b.indices);
    expect(r.up).toEqual([0, 0, 1]);
    expect(r).toMatchObject({ supportAreaMm2: 0, stable: true, heightMm: 20 });
    expect(r.contactAreaMm2).toBeCloseTo(400, 6);
    expect(r.quaternion).toEqual([0, 0, 0, 1]);
  });

  it('an L stored upside down is turned back onto its foot', () => {
    const upright = prism(L_PROFILE, 60);
    // Upside down: rotate 180° about X (y → −y, z → −z).
    const flipped = rotatePositions(upright.positions, [1, 0, 0, 0, -1, 0, 0, 0, -1]);
    const r = bestOrientation(flipped, upright.indices);
    // Stored: the foot's underside (40 × 60 beyond the leg) is a ceiling needing support, and it rests on the
    // leg's 10 × 60 end with the centre of mass outside it.
    expect(r.stored.supportAreaMm2).toBeCloseTo(40 * 60, 3);
    expect(r.stored.stable).toBe(false);
    expect(r.up[2]).toBeCloseTo(-1, 9);
    expect(r).toMatchObject({ supportAreaMm2: 0, stable: true });
    expect(r.heightMm).toBeCloseTo(30, 4);
    expect(r.contactAreaMm2).toBeCloseTo(50 * 60, 3);
    // Rotating by the reported rotation gives a part with no overhang.
    const printed = rotatePositions(flipped, r.rotation);
    expect(overhangArea(printed, upright.indices)).toBeCloseTo(0, 6);
  });

  it('a T (cap on a stem) is printed cap down', () => {
    const t = prism(
      [
        [-2, 0],
        [2, 0],
        [2, 20],
        [15, 20],
        [15, 24],
        [-15, 24],
        [-15, 20],
        [-2, 20],
      ],
      30,
    );
    const r = bestOrientation(t.positions, t.indices);
    expect(r.stored.supportAreaMm2).toBeCloseTo(2 * 13 * 30, 3); // the cap's two undersides
    // Cap down (24 high) beats lying on the T-shaped end (30 high), also without support.
    expect(r.up[2]).toBeCloseTo(-1, 9);
    expect(r.supportAreaMm2).toBeCloseTo(0, 6);
    expect(r.heightMm).toBeCloseTo(24, 4);
    expect(r.stable).toBe(true);
  });

  it('a sphere has no stable base: the least support wins and is reported unstable', () => {
    const s = uvSphere(10, 16, 32);
    const r = bestOrientation(s.positions, s.indices);
    expect(r.supportAreaMm2).toBeLessThanOrEqual(r.stored.supportAreaMm2 + 1e-9);
    expect(r.candidates).toBeGreaterThan(60);
  });
});
