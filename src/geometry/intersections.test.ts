import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { analyzeMesh } from './analyze.js';
import { degenerateFaces, selfIntersections } from './intersections.js';
import { box, merge, torus, translate, uvSphere } from './primitives.js';
import { weldVertices } from './weld.js';

const faceOf = (m: { indices: Uint32Array }, f: number): number[] => [...m.indices.subarray(3 * f, 3 * f + 3)];

describe('selfIntersections', () => {
  it('closed solids do not intersect themselves', () => {
    for (const m of [box([10, 20, 30]), uvSphere(10, 24, 48), torus(20, 5, 64, 32)]) {
      const r = selfIntersections(m.positions, m.indices);
      expect(r.pairs).toBe(0);
      expect(r.complete).toBe(true);
      expect(r.faces.length).toBe(0);
    }
  });

  it('stops a triangle soup at its budget of candidate pairs and says the counts are lower bounds', () => {
    // 1,200 random triangles across one box: ~700 k overlapping pairs; a budget of 50 k stops the pass early
    const rng = new Rng(3);
    const positions = Float32Array.from({ length: 1200 * 9 }, () => rng.uniform(0, 100));
    const indices = Uint32Array.from({ length: 1200 * 3 }, (_, i) => i);
    const t0 = performance.now();
    const cut = selfIntersections(positions, indices, undefined, 20, 50_000);
    const cutMs = performance.now() - t0;
    expect(cut.complete).toBe(false);
    expect(cut.pairs).toBeGreaterThan(0);
    const t1 = performance.now();
    const full = selfIntersections(positions, indices);
    const fullMs = performance.now() - t1;
    expect(full.complete).toBe(true);
    expect(full.pairs).toBeGreaterThan(cut.pairs); // the budget cut real work
    expect(cutMs).toBeLessThan(fullMs);
    // a 2,500-triangle soup (~3 M candidate pairs) passes the default budget (1 M): the report says it is a floor
    const big = Float32Array.from({ length: 2500 * 9 }, () => rng.uniform(0, 100));
    const report = analyzeMesh(
      { positions: big, indices: Uint32Array.from({ length: 2500 * 3 }, (_, i) => i) },
      { checks: { thickness: false, orientation: false } },
    );
    expect(report.selfIntersections?.complete).toBe(false);
    expect(report.warnings.find((w) => w.code === 'self_intersections')?.message).toMatch(/^at least \d+ pairs/);
  });

  it('two overlapping boxes: only the faces crossing the other box, on the known curve', () => {
    // A = [0,10]³, B = [5,15]³: A's +x, +y, +z sides cross B's −x, −y, −z sides.
    const m = merge(box([10, 10, 10]), translate(box([10, 10, 10]), [5, 5, 5]));
    const r = selfIntersections(m.positions, m.indices);
    expect(r.pairs).toBeGreaterThan(0);
    // box() face order: −z, +z, −y, +y, −x, +x (2 triangles each); B's faces are 12..23.
    const crossing = new Set([2, 3, 6, 7, 10, 11, 12, 13, 16, 17, 20, 21]);
    for (const f of r.faces) expect(crossing.has(f)).toBe(true);
    // Every crossing side is involved: one of its two triangles at least.
    for (const side of [1, 3, 5, 6, 8, 10]) {
      expect([...r.faces].some((f) => f >> 1 === side)).toBe(true);
    }
    expect(r.regions.length).toBeGreaterThan(0);
    const c = r.regions[0]!.centerMm;
    for (const x of c) expect(x).toBeGreaterThan(0);
    for (const x of c) expect(x).toBeLessThan(15);
    expect(faceOf(m, r.faces[0]!)).toHaveLength(3);
  });

  it('touching and disjoint boxes do not intersect', () => {
    const touching = merge(box([10, 10, 10]), translate(box([10, 10, 10]), [10, 0, 0]));
    expect(selfIntersections(touching.positions, touching.indices).pairs).toBe(0);
    const apart = merge(box([10, 10, 10]), translate(box([10, 10, 10]), [20, 0, 0]));
    expect(selfIntersections(apart.positions, apart.indices).pairs).toBe(0);
  });

  it('a face folded onto its neighbour and a duplicated face are overlaps', () => {
    const fold = {
      positions: Float32Array.from([0, 0, 0, 10, 0, 0, 0, 10, 0, 3, 3, 0]),
      indices: Uint32Array.from([0, 1, 2, 1, 0, 3]),
    };
    expect(selfIntersections(fold.positions, fold.indices).pairs).toBe(1);
    const b = box([10, 10, 10]);
    const dup = { positions: b.positions, indices: Uint32Array.from([...b.indices, ...b.indices.subarray(0, 3)]) };
    const r = selfIntersections(dup.positions, dup.indices);
    expect(r.pairs).toBe(1);
    expect([...r.faces]).toEqual([0, 12]);
  });
});

describe('degenerateFaces', () => {
  it('counts zero-area, sliver and duplicate faces with their locations', () => {
    const b = box([10, 10, 10]);
    const positions = Float32Array.from([
      ...b.positions,
      20,
      0,
      0,
      30,
      0,
      0,
      25,
      0,
      0,
      20,
      5,
      0,
      40,
      5,
      0,
      30,
      5,
      1e-5,
    ]);
    const indices = Uint32Array.from([
      ...b.indices,
      8,
      9,
      10, // collinear: zero area at x = 20..30
      11,
      12,
      13, // height 1e-5 over a 20 mm edge: a sliver
      0,
      2,
      3, // duplicate of face 0
      4,
      4,
      5, // collapsed
    ]);
    const r = degenerateFaces(positions, indices);
    expect(r).toMatchObject({ zeroArea: 2, slivers: 1, duplicates: 1 });
    expect([...r.faces]).toEqual([12, 13, 14, 15]);
    const centres = r.regions.map((g) => g.centerMm[0]);
    expect(centres.some((x) => Math.abs(x - 25) < 1e-6)).toBe(true);
    expect(centres.some((x) => Math.abs(x - 30) < 1e-6)).toBe(true);
  });

  it('a clean welded sphere has none', () => {
    const s = uvSphere(5, 16, 32);
    const w = weldVertices(s.positions, s.indices, 0);
    expect(degenerateFaces(w.positions, w.indices)).toMatchObject({ zeroArea: 0, slivers: 0, duplicates: 0 });
  });
});
