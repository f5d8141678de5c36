import { describe, expect, it } from 'vitest';
import { analyzeMesh } from './analyze.js';
import { layerProfile, MAX_LAYERS } from './layers.js';
import { box, flipWinding, merge, torus, translate, unweld } from './primitives.js';

const sum = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);

describe('layerProfile', () => {
  it('a box: outline, area and skins per layer', () => {
    const b = translate(box([20, 10, 5]), [100, -50, 3]); // far from the origin, off the bed
    const r = layerProfile(b.positions, b.indices, { layerHeightMm: 0.2, firstLayerHeightMm: 0.3 });
    expect(r.layers).toBe(1 + Math.ceil(4.7 / 0.2)); // 25
    expect(r.heightMm[0]).toBe(0.3);
    for (let i = 0; i < r.layers; i++) {
      expect(r.perimeterMm[i]).toBeCloseTo(60, 6);
      expect(r.areaMm2[i]).toBeCloseTo(200, 6);
    }
    expect(r.downMm2[0]).toBeCloseTo(200, 6);
    expect(r.upMm2[r.layers - 1]).toBeCloseTo(200, 6);
    expect(sum(r.upMm2)).toBeCloseTo(200, 6);
    expect(sum(r.downMm2)).toBeCloseTo(200, 6);
  });

  it('holes and islands: a torus cross-section, unwelded, has the annulus area', () => {
    const t = unweld(torus(20, 5, 256, 64));
    const r = layerProfile(t.positions, t.indices, { layerHeightMm: 0.2 });
    const mid = Math.floor(r.layers / 2); // z ≈ 0: ring between radius 15 and 25
    expect(r.areaMm2[mid]! / (Math.PI * (25 ** 2 - 15 ** 2))).toBeCloseTo(1, 2);
    expect(r.perimeterMm[mid]! / (2 * Math.PI * 40)).toBeCloseTo(1, 2);
    // Two boxes side by side: the areas add.
    const two = merge(box([10, 10, 2]), translate(box([5, 5, 2]), [20, 0, 0]));
    const q = layerProfile(two.positions, two.indices, { layerHeightMm: 0.5 });
    expect(q.areaMm2[1]).toBeCloseTo(125, 6);
    expect(q.perimeterMm[1]).toBeCloseTo(60, 6);
  });

  it('volume is the sum of area × layer height; inside-out gives negative area', () => {
    const b = box([7, 3, 2]);
    const r = layerProfile(b.positions, b.indices, { layerHeightMm: 0.25 });
    let v = 0;
    for (let i = 0; i < r.layers; i++) v += r.areaMm2[i]! * r.heightMm[i]!;
    expect(v).toBeCloseTo(42, 6);
    const f = layerProfile(flipWinding(b).positions, b.indices.slice().reverse(), { layerHeightMm: 0.25 });
    expect(f.areaMm2[2]).toBeCloseTo(-21, 6);
  });

  it('empty and flat meshes have no layers', () => {
    expect(layerProfile(new Float32Array(0), new Uint32Array(0), { layerHeightMm: 0.2 }).layers).toBe(0);
    const flat = { positions: Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0]), indices: Uint32Array.from([0, 1, 2]) };
    expect(layerProfile(flat.positions, flat.indices, { layerHeightMm: 0.2 }).layers).toBe(0);
  });

  it('absurdly tall meshes are cut into at most MAX_LAYERS layers (a real STL with 1e29 mm coordinates threw)', () => {
    const tall = box([10, 10, 1e29]);
    const lp = layerProfile(tall.positions, tall.indices, { layerHeightMm: 0.2, firstLayerHeightMm: 0.3 });
    expect(lp.layers).toBe(MAX_LAYERS);
    expect(sum(lp.heightMm)).toBeCloseTo(1e29, -24);
    expect(lp.areaMm2[MAX_LAYERS / 2]).toBeCloseTo(100, 6);
    const r = analyzeMesh(tall);
    expect(Number.isFinite(r.printMinutes) && Number.isFinite(r.materialCm3!)).toBe(true);
    // a tall but real part keeps its layers
    expect(layerProfile(box([5, 5, 300]).positions, box([5, 5, 300]).indices, { layerHeightMm: 0.2 }).layers).toBe(
      1500,
    );
  });
});
