import { describe, expect, it } from 'vitest';
import { normalizeCloudInPlace, normalizeMesh, pcaFrame, surfaceCentroid, symmetricEigen3 } from './normalize.js';
import { samplePoints, surfaceArea } from './sample.js';
import { box, cylinder, transformMesh, uvSphere } from './sample-primitives.js';

describe('samplePoints', () => {
  it('is deterministic for a seed and puts points on the surface with unit normals', () => {
    const m = box(2, 4, 6);
    const a = samplePoints(m, 500, 7);
    const b = samplePoints(m, 500, 7);
    expect(a.points).toEqual(b.points);
    expect(samplePoints(m, 500, 8).points).not.toEqual(a.points);
    for (let i = 0; i < a.count; i++) {
      const [x, y, z] = [a.points[3 * i]!, a.points[3 * i + 1]!, a.points[3 * i + 2]!];
      const onFace =
        Math.abs(Math.abs(x) - 1) < 1e-5 || Math.abs(Math.abs(y) - 2) < 1e-5 || Math.abs(Math.abs(z) - 3) < 1e-5;
      expect(onFace).toBe(true);
      expect(Math.hypot(a.normals[3 * i]!, a.normals[3 * i + 1]!, a.normals[3 * i + 2]!)).toBeCloseTo(1, 5);
    }
  });

  it('samples faces in proportion to their area', () => {
    // box 2×4×6: faces ±z have area 8 each of total 88 → expect 16/88 of the points there
    const m = box(2, 4, 6);
    expect(surfaceArea(m)).toBeCloseTo(88, 4);
    const n = 20_000;
    const c = samplePoints(m, n, 1);
    let onZ = 0;
    for (let i = 0; i < n; i++) if (Math.abs(Math.abs(c.points[3 * i + 2]!) - 3) < 1e-5) onZ++;
    expect(onZ / n).toBeCloseTo(16 / 88, 2);
  });

  it('rejects zero-area meshes', () => {
    const flat = { positions: new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2]), indices: new Uint32Array([0, 1, 2]) };
    expect(() => samplePoints(flat, 10)).toThrow(/zero surface area/);
  });
});

describe('normalisation', () => {
  it('centres on the surface centroid and scales into the unit sphere', () => {
    const m = transformMesh(uvSphere(3), 0.3, 1, [10, -5, 2]);
    const c = surfaceCentroid(m);
    expect(c[0]).toBeCloseTo(10, 3);
    expect(c[1]).toBeCloseTo(-5, 3);
    const n = normalizeMesh(m);
    expect(n.transform.scale).toBeCloseTo(1 / 3, 3);
    let rmax = 0;
    for (let i = 0; i < n.positions.length; i += 3)
      rmax = Math.max(rmax, Math.hypot(n.positions[i]!, n.positions[i + 1]!, n.positions[i + 2]!));
    expect(rmax).toBeCloseTo(1, 5);
  });

  it('decomposes a symmetric matrix (A v = λ v, descending)', () => {
    const a = [4, 1, 2, 1, 3, 0.5, 2, 0.5, 1];
    const { values, vectors } = symmetricEigen3(a);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]);
    expect(values[1]).toBeGreaterThanOrEqual(values[2]);
    for (let r = 0; r < 3; r++) {
      const v = [vectors[3 * r]!, vectors[3 * r + 1]!, vectors[3 * r + 2]!];
      for (let i = 0; i < 3; i++)
        expect(a[3 * i]! * v[0]! + a[3 * i + 1]! * v[1]! + a[3 * i + 2]! * v[2]!).toBeCloseTo(values[r]! * v[i]!, 9);
    }
    expect(values[0] + values[1] + values[2]).toBeCloseTo(8, 9);
  });

  it('aligns the longest axis first and disambiguates signs by the third moment', () => {
    // a long cylinder along x (rotate a z-cylinder): first principal axis is ±x; the sign follows the heavier side
    const cyl = cylinder(0.5, 6);
    const p = cyl.positions;
    const rotated = new Float32Array(p.length);
    for (let i = 0; i < p.length; i += 3) {
      rotated[i] = p[i + 2]!;
      rotated[i + 1] = p[i + 1]!;
      rotated[i + 2] = -p[i]!;
    }
    const cloud = samplePoints({ positions: rotated, indices: cyl.indices }, 4000, 3);
    normalizeCloudInPlace(cloud);
    const { axes, variances } = pcaFrame(cloud.points);
    expect(Math.abs(axes[0]!)).toBeCloseTo(1, 2);
    expect(variances[0]).toBeGreaterThan(5 * variances[1]);
    // mirrored cloud → mirrored first axis (sign disambiguation follows the shape, not the input sign)
    const mirrored = { ...cloud, points: cloud.points.map((v, i) => (i % 3 === 0 ? -v : v)) };
    const m2 = pcaFrame(mirrored.points);
    const proj = (pts: Float32Array, ax: Float64Array): number => {
      let s = 0;
      for (let i = 0; i < pts.length; i += 3)
        s += (ax[0]! * pts[i]! + ax[1]! * pts[i + 1]! + ax[2]! * pts[i + 2]!) ** 3;
      return s;
    };
    expect(proj(cloud.points, axes)).toBeGreaterThanOrEqual(0);
    expect(proj(mirrored.points, m2.axes)).toBeGreaterThanOrEqual(0);
    expect(m2.axes[0]).toBeCloseTo(-axes[0]!, 3);
  });
});
