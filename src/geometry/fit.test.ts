import { describe, expect, it } from 'vitest';
import { fitBuildVolume } from './fit.js';
import { convexHull2d } from './hull2d.js';
import { box } from './primitives.js';

/** Applies a reported orientation to the vertices and returns the axis-aligned extents (the reference check). */
function extentsAfter(positions: Float32Array, axes: number[], deg: number): number[] {
  const r = (deg * Math.PI) / 180;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let v = 0; v < positions.length / 3; v++) {
    const u = positions[3 * v + axes[0]!]!;
    const w = positions[3 * v + axes[1]!]!;
    const p = [u * Math.cos(r) - w * Math.sin(r), u * Math.sin(r) + w * Math.cos(r), positions[3 * v + axes[2]!]!];
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, p[a]!);
      hi[a] = Math.max(hi[a]!, p[a]!);
    }
  }
  return hi.map((h, a) => h - lo[a]!);
}

describe('fitBuildVolume', () => {
  const build: [number, number, number] = [100, 100, 50];

  it('keeps the original orientation when it fits', () => {
    const r = fitBuildVolume(box([90, 40, 30]).positions, build);
    expect(r).toEqual({ fits: true, orientation: { axes: [0, 1, 2], rotationZDeg: 0 }, extentsMm: [90, 40, 30] });
  });

  it('a long thin bar fits only diagonally', () => {
    const bar = box([130, 5, 5], [-3, 7, 0]).positions;
    const r = fitBuildVolume(bar, build);
    expect(r.fits).toBe(true);
    const deg = r.orientation!.rotationZDeg;
    expect(Math.abs(deg)).toBeGreaterThan(35);
    expect(Math.abs(deg)).toBeLessThan(55);
    const ext = extentsAfter(bar, r.orientation!.axes, deg);
    expect(ext[0]).toBeLessThanOrEqual(100 + 1e-3);
    expect(ext[1]).toBeLessThanOrEqual(100 + 1e-3);
    expect(ext[0]).toBeCloseTo(r.extentsMm![0], 4);
    expect(ext[1]).toBeCloseTo(r.extentsMm![1], 4);
  });

  it('a tall post is laid down', () => {
    const post = box([5, 5, 90]).positions;
    const r = fitBuildVolume(post, build);
    expect(r.fits).toBe(true);
    expect(r.orientation!.axes[2]).not.toBe(2);
    const ext = extentsAfter(post, r.orientation!.axes, r.orientation!.rotationZDeg);
    expect(ext[2]).toBeLessThanOrEqual(50);
  });

  it('too long for the diagonal: does not fit', () => {
    expect(fitBuildVolume(box([150, 5, 5]).positions, build)).toEqual({
      fits: false,
      orientation: null,
      extentsMm: null,
    });
  });

  it('a diagonal bar in the mesh is straightened by rotating back', () => {
    // A 120 × 4 × 4 bar at 45° in XY: its axis-aligned footprint is 87.7 mm square; on a 121 × 4.5 bed it fits only at ±45°.
    const bar = box([120, 4, 4], [-60, -2, 0]).positions.slice();
    const c = Math.SQRT1_2;
    for (let v = 0; v < bar.length / 3; v++) {
      const [x, y] = [bar[3 * v]!, bar[3 * v + 1]!];
      bar[3 * v] = c * x - c * y;
      bar[3 * v + 1] = c * x + c * y;
    }
    const r = fitBuildVolume(bar, [121, 4.5, 10]);
    expect(r.fits).toBe(true);
    expect(Math.abs(r.orientation!.rotationZDeg)).toBe(45);
  });
});

describe('convexHull2d', () => {
  it('matches the hand-computed hull of a square with inner and edge points', () => {
    const xs = [0, 2, 2, 0, 1, 1, 0.5, 2, 1.5];
    const ys = [0, 0, 2, 2, 1, 0, 1.5, 1, 0.2];
    const h = Array.from(convexHull2d(xs, ys));
    expect(h).toEqual([0, 0, 2, 0, 2, 2, 0, 2]);
  });

  it('agrees with a brute-force extreme-point test on random points', () => {
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const a = rnd() * Math.PI;
      const r = Math.sqrt(Math.abs(rnd()));
      xs.push(r * Math.cos(a) * 3);
      ys.push(r * Math.sin(a));
    }
    const h = convexHull2d(xs, ys);
    // Every point lies left of (or on) every hull edge, and the hull is convex counter-clockwise.
    const k = h.length / 2;
    let worst = Infinity;
    for (let e = 0; e < k; e++) {
      const [ax, ay, bx, by] = [h[2 * e]!, h[2 * e + 1]!, h[(2 * e + 2) % h.length]!, h[(2 * e + 3) % h.length]!];
      for (let i = 0; i < xs.length; i++) {
        worst = Math.min(worst, (bx - ax) * (ys[i]! - ay) - (by - ay) * (xs[i]! - ax));
      }
    }
    expect(worst).toBeGreaterThanOrEqual(-1e-12);
    expect(k).toBeGreaterThan(10);
  });
});
