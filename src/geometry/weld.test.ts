import { describe, expect, it } from 'vitest';
import { box, unweld } from './primitives.js';
import { weldVertices } from './weld.js';

describe('weldVertices', () => {
  it('welds STL-style corners back to 8 and keeps triangle order', () => {
    const soup = unweld(box([1, 2, 3]));
    const w = weldVertices(soup.positions, soup.indices, 0);
    expect(w.positions.length / 3).toBe(8);
    expect(w.indices.length).toBe(36);
    for (let i = 0; i < 36; i++) {
      const v = w.indices[i]!;
      expect(Array.from(w.positions.subarray(3 * v, 3 * v + 3))).toEqual(
        Array.from(soup.positions.subarray(3 * i, 3 * i + 3)),
      );
    }
  });

  it('merges -0 with +0 exactly, but not distinct floats at tolerance 0', () => {
    const positions = new Float32Array([0, 0, 0, -0, 0, 0, 1e-7, 0, 0]);
    const w = weldVertices(positions, new Uint32Array([0, 1, 2]), 0);
    expect(Array.from(w.indices)).toEqual([0, 0, 1]);
  });

  it('merges jittered copies within tolerance across cell boundaries (vs. ground truth clusters)', () => {
    const tol = 0.01;
    let s = 7;
    const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const centers: number[][] = [];
    // Centres straddle the hash cells (8 × tol = 0.08 mm) at many phases; spacing 1 mm ≫ tolerance.
    for (let i = 0; i < 400; i++) centers.push([i * 1.0003 - 200, (i % 7) * 0.9999, -(i % 11) * 1.0007]);
    const pts: number[] = [];
    const truth: number[] = [];
    for (let c = 0; c < centers.length; c++) {
      for (let k = 0; k < 6; k++) {
        const j = tol / 3 / Math.sqrt(3);
        pts.push(...centers[c]!.map((x) => x + (rnd() * 2 - 1) * j));
        truth.push(c);
      }
    }
    const order = truth.map((_, i) => i);
    order.sort(() => rnd() - 0.5); // faces reference the copies in scrambled order
    const w = weldVertices(Float32Array.from(pts), Uint32Array.from(order), tol);
    expect(w.positions.length / 3).toBe(centers.length);
    const byCluster = new Map<number, number>();
    for (let i = 0; i < order.length; i++) {
      const c = truth[order[i]!]!;
      const v = w.indices[i]!;
      if (!byCluster.has(c)) byCluster.set(c, v);
      expect(v).toBe(byCluster.get(c));
    }
    expect(new Set(byCluster.values()).size).toBe(centers.length);
  });

  it('drops unreferenced vertices', () => {
    const positions = new Float32Array([0, 0, 0, 5, 5, 5, 1, 0, 0, 0, 1, 0]);
    const w = weldVertices(positions, new Uint32Array([0, 2, 3]), 1e-4);
    expect(w.positions.length).toBe(9);
    expect(w.remap[1]).toBe(0xffffffff);
  });
});
