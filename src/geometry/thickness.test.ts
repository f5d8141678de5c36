import { describe, expect, it } from 'vitest';
import { rotationToZ } from './orientation.js';
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
    // Bottom (reads the vertical thickness) and slope (reads it ÷ cos α) are each thin for x < wL/H: w·L·D/H.
    // The end face at x = L meets the slope at 84°: its rays leave obliquely (an edge, not a wall), never thin.
    const want = (2 * w * L * D) / H;
    expect(Math.abs(r.thinAreaMm2 - want) / want).toBeLessThan(0.02);
    expect(r.minThicknessMm!).toBeLessThan(0.05); // a 5.7° blade is a wall all the way to its edge
    expect(r.regions.every((g) => g.bboxMaxMm[0] < w * (L / H) + 0.5)).toBe(true);
  });

  it('a blunt sharp edge is not a thin wall, however many samples (the 0.02 mm readings on Voron chamfers)', () => {
    // A 20 mm ridge of right-triangle section: two 45° edges. A point d from such an edge reads d·tan 45° across
    // to the other face, so without the wall-angle rule the thinnest reading is the distance of the sample closest
    // to the edge: 0.010 mm with 3,000 samples, 0.00025 mm with 30,000, and ~36 mm² "thin".
    const ridge = prism(
      [
        [0, 0],
        [20, 0],
        [20, 20],
      ],
      20,
    );
    for (const budget of [3_000, 30_000]) {
      const r = wallThickness(ridge.positions, ridge.indices, { minWidthMm: 0.44, budget });
      expect(r.thinAreaMm2).toBe(0);
      expect(r.minThicknessMm).toBeCloseTo(20, 4); // only the end caps face each other
      expect(r.obliqueSamples / r.measured).toBeGreaterThan(0.6);
    }
    // The old reading is still there for whoever asks for it: every exit counts with a 90° wall angle.
    const old = [3_000, 30_000].map(
      (budget) => wallThickness(ridge.positions, ridge.indices, { minWidthMm: 0.44, budget, wallAngleDeg: 90 })!,
    );
    expect(old[0]!.minThicknessMm!).toBeLessThan(0.05);
    expect(old[1]!.minThicknessMm!).toBeLessThan(old[0]!.minThicknessMm!);
    expect(old[0]!.thinAreaMm2).toBeGreaterThan(20);
    // A real 0.3 mm fin on the ridge is still found, with its true thickness.
    const finned = merge(ridge, translate(box([0.3, 10, 8]), [25, 5, 0]));
    const f = wallThickness(finned.positions, finned.indices, { minWidthMm: 0.44, budget: 20_000 });
    expect(f.regions).toHaveLength(1);
    expect(f.regions[0]!.minThicknessMm).toBeCloseTo(0.3, 4);
    expect(f.regions[0]!.areaMm2).toBeCloseTo(160, -1); // the two 10 × 8 sides
  });

  it('touching shells far from the origin: a float32-sized gap between coincident faces is not a wall', () => {
    // Two 10 × 10 × 5 blocks stacked (a multi-body export), tilted and placed at x ≈ 260 mm like the Voron parts,
    // the upper one 30 nm into the lower (CAD tolerance). The rays from the interface met the other block's face
    // after 2.5e-5 mm, and 200 mm² read as a 0.00003 mm wall.
    const n = Math.hypot(0.3, 0.2, 0.93);
    const R = rotationToZ([0.3 / n, 0.2 / n, 0.93 / n]);
    const place = (m: { positions: Float32Array; indices: Uint32Array }, t: number[]) => {
      const p = new Float32Array(m.positions.length);
      for (let i = 0; i < p.length; i += 3) {
        for (let r = 0; r < 3; r++) {
          const [x, y, z] = [m.positions[i]!, m.positions[i + 1]!, m.positions[i + 2]!];
          p[i + r] = t[r]! + R[3 * r]! * x + R[3 * r + 1]! * y + R[3 * r + 2]! * z;
        }
      }
      return { positions: p, indices: m.indices };
    };
    const at = [260.123, 258.456, 20.789];
    const lower = place(box([10, 10, 5]), at);
    const upper = place(
      box([10, 10, 5]),
      at.map((c, r) => c + R[3 * r + 2]! * (5 - 3e-5)),
    );
    const stack = merge(lower, upper);
    const r = wallThickness(stack.positions, stack.indices, { minWidthMm: 0.44, budget: 30_000 });
    expect(r.thinAreaMm2).toBe(0);
    expect(r.minThicknessMm!).toBeCloseTo(5, 3);
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
