import { describe, expect, it } from 'vitest';
import { samplePoints } from './sample.js';
import { box, cylinder, transformMesh, uvSphere } from './sample-primitives.js';
import { azimuthSpectrum, logStretch, stretchVertically } from './symmetry.js';

describe('azimuthSpectrum', () => {
  it('peaks at exactly the multiples of n for an n-sided prism, whatever its proportions', () => {
    for (const n of [3, 5, 6, 7]) {
      for (const [r, h] of [
        [1, 0.2],
        [0.3, 4],
      ] as const) {
        const s = azimuthSpectrum(samplePoints(cylinder(r, h, n), 3000, 1), 12);
        for (let m = 1; m <= 12; m++) {
          if (m % n === 0) expect(s[m - 1]).toBeCloseTo(1, 5);
          else expect(s[m - 1]).toBeLessThan(0.15);
        }
      }
    }
  });

  it('is invariant to rotation about z, scale and translation, and near zero for a sphere', () => {
    const a = azimuthSpectrum(samplePoints(box(1, 2, 3), 2000, 4));
    const b = azimuthSpectrum(samplePoints(transformMesh(box(1, 2, 3), 0.9, 3, [4, -1, 2]), 2000, 4));
    for (let m = 0; m < 12; m++) expect(b[m]).toBeCloseTo(a[m]!, 4);
    expect(a[3]).toBeCloseTo(1, 5); // a box's faces are 4-fold in azimuth
    const sphere = azimuthSpectrum(samplePoints(uvSphere(1, 64, 32), 4000, 2), 8);
    expect(Math.max(...sphere)).toBeLessThan(0.1);
    expect(azimuthSpectrum({ points: new Float32Array(0), normals: new Float32Array(0), count: 0 })).toEqual(
      new Float32Array(12),
    );
  });
});

describe('logStretch / stretchVertically', () => {
  it('measures squat versus tall and removes it', () => {
    const flat = samplePoints(box(4, 4, 1), 2000, 3);
    const tall = samplePoints(box(1, 1, 4), 2000, 3);
    expect(logStretch(flat)).toBeGreaterThan(1);
    expect(logStretch(tall)).toBeLessThan(-1);
    expect(logStretch(samplePoints(box(1, 1, 1), 2000, 3))).toBeCloseTo(0, 1);
    for (const c of [flat, tall]) {
      const rows = new Float32Array(c.count * 6);
      for (let i = 0; i < c.count; i++) {
        rows.set(c.points.subarray(3 * i, 3 * i + 3), 6 * i);
        rows.set(c.normals.subarray(3 * i, 3 * i + 3), 6 * i + 3);
      }
      stretchVertically(rows, 0, c.count);
      const points = new Float32Array(c.count * 3);
      const normals = new Float32Array(c.count * 3);
      for (let i = 0; i < c.count; i++) {
        points.set(rows.subarray(6 * i, 6 * i + 3), 3 * i);
        normals.set(rows.subarray(6 * i + 3, 6 * i + 6), 3 * i);
        expect(Math.hypot(normals[3 * i]!, normals[3 * i + 1]!, normals[3 * i + 2]!)).toBeCloseTo(1, 5);
      }
      expect(logStretch({ points, normals, count: c.count })).toBeCloseTo(0, 4);
    }
  });
});
