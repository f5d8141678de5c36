import { describe, expect, it } from 'vitest';
import { box, merge, translate, uvSphere } from './primitives.js';
import { prism } from './prism.js';
import { wallThickness } from './thickness.js';

describe('wallThickness', () => {
  it('plate of known thickness: top and bottom read the thickness, edges do not', () => {
    const plate = box([40, 30, 0.3]);
    const thin = wallThickness(plate.positions, plate.indices, { minWidthMm: 0.44, budget: 20_000 });
    expect(thin.minThicknessMm).toBeCloseTo(0.3, 5);
    // top + bottom = 2 × 1200 mm²; the 0.3 mm high rim reads 30 or 40 mm across.
    expect(thin.thinAreaMm2 / 2400).toBeGreaterThan(0.99);
    expect(thin.thinAreaMm2 / 2400).toBeLessThan(1.01);
    expect(thin.regions).toHaveLength(1);
    expect(thin.regions[0]!.minThicknessMm).toBeCloseTo(0.3, 5);
    expect(thin.regions[0]!.centerMm[0]).toBeCloseTo(20, 0);
    const ok = wallThickness(plate.positions, plate.indices, { minWidthMm: 0.25 });
    expect(ok.thinAreaMm2).toBe(0);
    expect(ok.regions).toEqual([]);
    expect(ok.measured).toBe(ok.samples);
  });

  it('wedge: thin area matches the analytic answer', () => {
    // Profile in XZ: thickness grows from 0 at x = 0 to H at x = L; extruded D along Y.
    const [L, H, D, w] = [50, 5, 20, 1];
    const wedge = prism(
      [
        [0, 0],
        [L, 0],
        [L, H],
      ],
      D,
    );
    const r = wallThickness(wedge.positions, wedge.indices, { minWidthMm: w, budget: 40_000 });
    // Bottom (reads the vertical thickness) and slope (reads it ÷ cos α) are each thin for x < wL/H: w·L·D/H;
    // the end face at x = L reads L·(1 − z/H) across to the slope: thin for z > H(1 − w/L): w·H·D/L.
    const want = (2 * w * L * D) / H + (w * H * D) / L;
    expect(Math.abs(r.thinAreaMm2 - want) / want).toBeLessThan(0.02);
    expect(r.minThicknessMm!).toBeLessThan(0.05);
  });

  it('thick solids: a 20 mm sphere has no thin wall and reads about its diameter', () => {
    const s = uvSphere(10, 24, 48);
    const r = wallThickness(s.positions, s.indices, { minWidthMm: 0.5 });
    expect(r.thinAreaMm2).toBe(0);
    expect(r.minThicknessMm!).toBeGreaterThan(19);
  });

  it('two thin fins on a block are two regions, largest first', () => {
    const m = merge(
      box([20, 20, 5]),
      translate(box([0.4, 20, 10]), [30, 0, 0]),
      translate(box([0.3, 5, 5]), [40, 0, 0]),
    );
    const r = wallThickness(m.positions, m.indices, { minWidthMm: 0.45 });
    expect(r.regions).toHaveLength(2);
    expect(r.regions[0]!.minThicknessMm).toBeCloseTo(0.4, 4);
    expect(r.regions[1]!.minThicknessMm).toBeCloseTo(0.3, 4);
    expect(r.regions[0]!.areaMm2).toBeCloseTo(400, -1); // two 20 × 10 sides
    expect(r.regions[1]!.areaMm2).toBeCloseTo(50, -1);
    expect(r.thinFaces.length).toBeGreaterThan(0);
    expect([...r.thinFaces].every((f) => f >= 12)).toBe(true); // never the block's faces
  });

  it('open mesh: rays that escape give no reading', () => {
    const tri = { positions: Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0]), indices: Uint32Array.from([0, 1, 2]) };
    const r = wallThickness(tri.positions, tri.indices, { minWidthMm: 1 });
    expect(r.minThicknessMm).toBeNull();
    expect(r.thinAreaMm2).toBe(0);
  });
});
