import { describe, expect, it } from 'vitest';
import { analyzeMesh } from './analyze.js';
import { fdmEstimate, fdmFeatures, GENERIC_FDM_SETTINGS } from './estimate-fdm.js';
import { layerProfile } from './layers.js';
import { box, dropFaces, flipWinding, merge, torus, translate, unweld, uvSphere } from './primitives.js';
import { getPrinter } from './printers.js';
import { prism } from './prism.js';

describe('analyzeMesh on analytic solids', () => {
  it('cube: volume, area, closed, genus 0', () => {
    const r = analyzeMesh(box([10, 10, 10]));
    expect(r.triangles).toBe(12);
    expect(r.vertices).toBe(8);
    expect(r.volumeMm3).toBeCloseTo(1000, 6);
    expect(r.signedVolumeMm3).toBeCloseTo(1000, 6);
    expect(r.areaMm2).toBeCloseTo(600, 6);
    expect(r.bboxMm).toEqual([10, 10, 10]);
    expect(r).toMatchObject({ watertight: true, shells: 1, genus: 0, openEdges: 0, insideOut: false });
    expect(r).toMatchObject({ nonManifoldEdges: 0, inconsistentEdges: 0, degenerateFaces: 0, warnings: [] });
  });

  it('STL-style cube (3 vertices per face) welds back to 8 vertices', () => {
    const r = analyzeMesh(unweld(box([10, 20, 30], [-5, 1, 2])));
    expect(r.vertices).toBe(8);
    expect(r.watertight).toBe(true);
    expect(r.volumeMm3).toBeCloseTo(6000, 4);
    expect(r.areaMm2).toBeCloseTo(2 * (200 + 300 + 600), 4);
  });

  it('finely tessellated sphere: volume and area within 1 %', () => {
    const radius = 20;
    const r = analyzeMesh(unweld(uvSphere(radius, 96, 192)));
    const v = (4 / 3) * Math.PI * radius ** 3;
    const a = 4 * Math.PI * radius ** 2;
    expect(Math.abs(r.volumeMm3 - v) / v).toBeLessThan(0.01);
    expect(Math.abs(r.areaMm2 - a) / a).toBeLessThan(0.01);
    expect(r.signedVolumeMm3).toBeGreaterThan(0);
    expect(r).toMatchObject({ watertight: true, genus: 0, shells: 1, degenerateFaces: 0 });
  });

  it('box with one face removed: exactly 4 open edges, not watertight', () => {
    const r = analyzeMesh(dropFaces(box([10, 10, 10]), (f) => f === 2 || f === 3));
    expect(r.openEdges).toBe(4);
    expect(r.watertight).toBe(false);
    expect(r.genus).toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain('open_edges');
  });

  it('inside-out cube is detected', () => {
    const r = analyzeMesh(flipWinding(box([10, 10, 10])));
    expect(r.insideOut).toBe(true);
    expect(r.signedVolumeMm3).toBeCloseTo(-1000, 6);
    expect(r.volumeMm3).toBeCloseTo(1000, 6);
    expect(r.watertight).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain('inside_out');
  });

  it('one flipped face gives inconsistently oriented edges, not inside-out', () => {
    const m = box([10, 10, 10]);
    const flipped = flipWinding({ positions: m.positions, indices: m.indices.slice(0, 3) });
    m.indices.set(flipped.indices, 0);
    const r = analyzeMesh(m);
    expect(r.inconsistentEdges).toBe(3);
    expect(r.insideOut).toBe(false);
    expect(r.genus).toBeNull();
  });

  it('torus has genus 1 and the analytic volume', () => {
    const r = analyzeMesh(torus(20, 5, 128, 64));
    expect(r.genus).toBe(1);
    expect(r.shells).toBe(1);
    const v = 2 * Math.PI ** 2 * 20 * 25;
    expect(Math.abs(r.volumeMm3 - v) / v).toBeLessThan(0.01);
    expect(r.signedVolumeMm3).toBeGreaterThan(0);
  });

  it('two disjoint cubes are 2 shells', () => {
    const r = analyzeMesh(merge(box([10, 10, 10]), translate(box([10, 10, 10]), [20, 0, 0])));
    expect(r.shells).toBe(2);
    expect(r.genus).toBe(0);
    expect(r.volumeMm3).toBeCloseTo(2000, 6);
    expect(r.bboxMm).toEqual([30, 10, 10]);
  });

  it('a face whose corners weld together is degenerate and left out of the topology', () => {
    const m = box([10, 10, 10]);
    const positions = new Float32Array([...m.positions, 0, 0, 0.00001]);
    const indices = new Uint32Array([...m.indices, 0, 1, 8]);
    const r = analyzeMesh({ positions, indices });
    expect(r.degenerateFaces).toBe(1);
    expect(r.watertight).toBe(true);
    // Unwelded, the sliver is a real face: its two new edges are open and the shared cube edge has 3 faces.
    const exact = analyzeMesh({ positions, indices }, { weldToleranceMm: 0 });
    expect(exact).toMatchObject({ openEdges: 2, nonManifoldEdges: 1, watertight: false });
  });
});

describe('overhangs', () => {
  // T profile in the XZ plane (stem 10 wide and 20 high, bar 30 wide and 5 high), 10 deep along Y.
  const t = prism(
    [
      [10, 0],
      [20, 0],
      [20, 20],
      [30, 20],
      [30, 25],
      [0, 25],
      [0, 20],
      [10, 20],
    ],
    10,
  );

  it('T shape: only the two undersides of the bar overhang; the foot on the bed does not', () => {
    const r = analyzeMesh(t);
    expect(r.watertight).toBe(true);
    expect(r.volumeMm3).toBeCloseTo((200 + 150) * 10, 3);
    expect(r.overhangAreaMm2).toBeCloseTo(200, 3);
  });

  it('upside-down T: the bar rests on the bed, nothing overhangs', () => {
    const flipped = analyzeMesh(flipWinding(scaleZ(t, -1)));
    expect(flipped.insideOut).toBe(false);
    expect(flipped.overhangAreaMm2).toBeCloseTo(0, 6);
  });

  it('the angle limit decides for a slanted ceiling', () => {
    // A wedge whose underside leans 60° from vertical (30° from horizontal): overhang at 45°, not at 70°.
    const h = Math.tan(Math.PI / 6) * 20;
    const wedge = prism(
      [
        [0, 0],
        [20, h],
        [20, h + 5],
        [0, 5],
      ],
      10,
    );
    const under = 10 * Math.hypot(20, h);
    expect(analyzeMesh(wedge).overhangAreaMm2).toBeCloseTo(under, 3);
    expect(analyzeMesh(wedge, { overhangAngleDeg: 70 }).overhangAreaMm2).toBeCloseTo(0, 6);
  });

  it('rejects an angle outside 0..90', () => {
    expect(() => analyzeMesh(t, { overhangAngleDeg: 120 })).toThrow(/overhangAngleDeg/);
  });
});

describe('printer, mass and time', () => {
  it('a 20 mm cube on a Prusa MK4: mass and time follow the layer model', () => {
    const r = analyzeMesh(box([20, 20, 20]), { printer: getPrinter('prusa-mk4') });
    expect(r.fitsPrinter).toBe(true);
    expect(r.fitOrientation).toEqual({ axes: [0, 1, 2], rotationZDeg: 0 });
    // 100 layers of 0.2 mm, each a 20 × 20 square (see estimate-fdm.test.ts for the features by hand).
    const lp = layerProfile(box([20, 20, 20]).positions, box([20, 20, 20]).indices, { layerHeightMm: 0.2 });
    const e = fdmEstimate(fdmFeatures(lp, GENERIC_FDM_SETTINGS));
    expect(r.layers).toBe(100);
    expect(r.materialCm3).toBeCloseTo(e.filamentMm3 / 1000, 9);
    expect(r.massG).toBeCloseTo((e.filamentMm3 / 1000) * 1.24, 9);
    expect(r.filamentMm).toBeCloseTo(e.filamentMm3 / ((Math.PI * 1.75 ** 2) / 4), 6);
    expect(r.printMinutes).toBeCloseTo(e.seconds / 60, 9);
    expect(r.printer).toBe('prusa-mk4');
  });

  it('resin: solid part, time from layers', () => {
    const r = analyzeMesh(box([20, 20, 10]), { printer: getPrinter('elegoo-mars') });
    expect(r.massG).toBeCloseTo(4 * 1.1, 6);
    expect(r.printMinutes).toBeCloseTo((200 * 11) / 60, 6);
  });

  it('without a printer fitsPrinter is null; a too-large part warns', () => {
    expect(analyzeMesh(box([5, 5, 5])).fitsPrinter).toBeNull();
    const big = analyzeMesh(box([400, 10, 10]), { printer: getPrinter('prusa-mini') });
    expect(big.fitsPrinter).toBe(false);
    expect(big.fitOrientation).toBeNull();
    expect(big.warnings.map((w) => w.code)).toContain('does_not_fit');
  });

  it('material overrides are validated', () => {
    expect(() => analyzeMesh(box([5, 5, 5]), { material: { infill: 15 } })).toThrow(/infill/);
    const solid = analyzeMesh(box([10, 10, 10]), { material: { infill: 1, densityGPerCm3: 1 } });
    const sparse = analyzeMesh(box([10, 10, 10]), { material: { densityGPerCm3: 1 } });
    expect(solid.massG).toBeCloseTo(solid.materialCm3!, 9); // density 1 g/cm³
    expect(solid.massG).toBeGreaterThan(0.85); // solid: about the 1 cm³ of the cube (calibrated flow)
    expect(solid.massG).toBeLessThan(1.15);
    expect(sparse.massG).toBeLessThan(solid.massG * 0.8);
  });
});

function scaleZ(m: { positions: Float32Array; indices: Uint32Array }, k: number) {
  const positions = m.positions.slice();
  for (let i = 2; i < positions.length; i += 3) positions[i] *= k;
  return { positions, indices: m.indices.slice() };
}

describe('welding tolerance', () => {
  it('an STL-style cube with float noise on the copies is closed by the tolerance weld', () => {
    const soup = unweld(box([10, 10, 10]));
    for (let i = 0; i < soup.positions.length; i++) soup.positions[i] += ((i * 7919) % 13) * 2e-6;
    const r = analyzeMesh(soup);
    expect(r).toMatchObject({ vertices: 8, watertight: true, openEdges: 0, genus: 0 });
    expect(r.volumeMm3).toBeCloseTo(1000, 2);
    expect(analyzeMesh(soup, { weldToleranceMm: 0 }).watertight).toBe(false);
  });
});
