import { describe, expect, it } from 'vitest';
import { a3Histogram, d2Histogram, d3Histogram } from './descriptors.js';
import { FEATURE_BLOCKS, FEATURE_LENGTH, featureBlock, prepareShape } from './descriptors-features.js';
import { VIEW_FEATURES, viewDescriptor } from './descriptors-views.js';
import { normalizeCloudInPlace, normalizeMesh, pcaFrame } from './normalize.js';
import { samplePoints } from './sample.js';
import { box, subdivide, torus, transformMesh, uvSphere } from './sample-primitives.js';

function l1(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s;
}

describe('shape distributions', () => {
  it('D2 of a sphere matches the analytic density p(d) = d / 2 on [0, 2]', () => {
    const cloud = samplePoints(normalizeMesh(uvSphere(1, 96, 48)), 8000, 1);
    const bins = 32;
    const h = d2Histogram(cloud, { bins, samples: 200_000, rng: 2 });
    let tv = 0;
    for (let b = 0; b < bins; b++) {
      const lo = (2 * b) / bins;
      const hi = (2 * (b + 1)) / bins;
      const expected = (hi * hi - lo * lo) / 4;
      expect(Math.abs(h[b]! - expected)).toBeLessThan(0.006);
      tv += Math.abs(h[b]! - expected);
    }
    expect(tv / 2).toBeLessThan(0.03);
  });

  it('A3 of a thin rod concentrates at 0 and π; histograms sum to 1', () => {
    const cloud = samplePoints(box(10, 0.01, 0.01), 4000, 4);
    normalizeCloudInPlace(cloud);
    const h = a3Histogram(cloud, { bins: 18, samples: 20_000, rng: 1 });
    expect(h.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(h[0]! + h[17]!).toBeGreaterThan(0.95);
    const d3 = d3Histogram(cloud, { bins: 16, samples: 20_000, rng: 1 });
    expect(d3[0]! + d3[1]!).toBeGreaterThan(0.9);
  });

  it('is invariant to rotation, scale and re-triangulation, and tells a torus from a sphere', () => {
    const a = prepareShape(torus(1, 0.3));
    const b = prepareShape(subdivide(transformMesh(torus(1, 0.3), 1.1, 25, [5, 5, 5])), { seed: 9 });
    const s = prepareShape(uvSphere(1));
    for (const name of ['d2', 'a3', 'd3'] as const) {
      const same = l1(featureBlock(a.features, name), featureBlock(b.features, name));
      const other = l1(featureBlock(a.features, name), featureBlock(s.features, name));
      expect(same).toBeLessThan(0.15);
      expect(other).toBeGreaterThan(2 * same);
    }
    expect(a.features.length).toBe(FEATURE_LENGTH);
    expect(FEATURE_BLOCKS.at(-1)!.start + FEATURE_BLOCKS.at(-1)!.length).toBe(FEATURE_LENGTH);
    expect(a.features.every(Number.isFinite)).toBe(true);
  });
});

describe('viewDescriptor', () => {
  it('sees a unit sphere as a disc covering π/4 of every view', () => {
    const m = normalizeMesh(uvSphere(1, 64, 32));
    const cloud = samplePoints(m, 2000, 1);
    const v = viewDescriptor(m, pcaFrame(cloud.points).axes, { size: 64 });
    for (let k = 0; k < v.length / VIEW_FEATURES; k++) expect(v[k * VIEW_FEATURES]).toBeCloseTo(Math.PI / 4, 1);
  });

  it('is stable under an arbitrary rotation of the input', () => {
    const base = box(1, 2, 4);
    const r = Math.PI / 5;
    const rot = new Float32Array(base.positions.length);
    for (let i = 0; i < rot.length; i += 3) {
      const [x, y, z] = [base.positions[i]!, base.positions[i + 1]!, base.positions[i + 2]!];
      rot[i] = x;
      rot[i + 1] = Math.cos(r) * y - Math.sin(r) * z;
      rot[i + 2] = Math.sin(r) * y + Math.cos(r) * z;
    }
    const desc = (m: { positions: Float32Array; indices: Uint32Array }): Float32Array => {
      const n = normalizeMesh(m);
      return viewDescriptor(n, pcaFrame(samplePoints(n, 4000, 2).points).axes);
    };
    const a = desc(base);
    const b = desc({ positions: rot, indices: base.indices });
    expect(l1(a, b) / l1(a, new Float32Array(a.length))).toBeLessThan(0.1);
  });
});
