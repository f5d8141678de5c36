import { describe, expect, it } from 'vitest';
import { analyzeMesh } from './analyze.js';
import { box, merge, translate } from './primitives.js';
import { getPrinter } from './printers.js';
import { prism } from './prism.js';

describe('analyzeMesh: thin walls, intersections, degenerate faces, best orientation, advice', () => {
  it('a 0.3 mm plate is thin for a 0.4 mm nozzle (0.44 mm) but not for a 0.25 mm resin minimum', () => {
    const plate = box([30, 20, 0.3]);
    const fdm = analyzeMesh(plate, { printer: getPrinter('prusa-mk4') });
    expect(fdm.thinWalls!.minWidthMm).toBeCloseTo(0.44, 9);
    expect(fdm.thinWalls!.areaMm2 / 1200).toBeCloseTo(1, 1);
    expect(fdm.thinWalls!.minThicknessMm).toBeCloseTo(0.3, 5);
    expect(fdm.warnings.map((w) => w.code)).toContain('thin_walls');
    expect(fdm.advice!.some((a) => a.includes('thinner than 0.44 mm'))).toBe(true);
    const resin = analyzeMesh(plate, { printer: { ...getPrinter('elegoo-mars'), minFeatureMm: 0.25 } });
    expect(resin.thinWalls!.areaMm2).toBe(0);
  });

  it('thin and crossing faces are listed by index in the file order, for viewers to colour', () => {
    // faces 0–11: a 20 mm block; 12–23: a 0.3 mm fin beside it; 24–35: a box through the block's corner
    const m = merge(
      box([20, 20, 20]),
      translate(box([0.3, 10, 10]), [30, 0, 0]),
      translate(box([6, 6, 6]), [17, 17, 17]),
    );
    const r = analyzeMesh(m);
    const thin = r.thinWalls!.faceIds!;
    expect(thin.length).toBeGreaterThan(0);
    expect(thin.every((f) => f >= 12 && f < 24)).toBe(true);
    expect(thin).toEqual([...thin].sort((a, b) => a - b));
    const crossing = r.selfIntersections!.faceIds!;
    expect(crossing.length).toBe(r.selfIntersections!.faces);
    expect(crossing.some((f) => f < 12) && crossing.some((f) => f >= 24)).toBe(true);
    expect(crossing.every((f) => f < 12 || f >= 24)).toBe(true);
  });

  it('two overlapping boxes: intersections with a location, and advice to union them', () => {
    const r = analyzeMesh(merge(box([10, 10, 10]), translate(box([10, 10, 10]), [5, 5, 5])));
    expect(r.selfIntersections!.pairs).toBeGreaterThan(0);
    expect(r.selfIntersections!.regions.length).toBeGreaterThan(0);
    expect(r.warnings.map((w) => w.code)).toContain('self_intersections');
    expect(r.advice!.some((a) => a.includes('union'))).toBe(true);
    const clean = analyzeMesh(box([10, 10, 10]));
    expect(clean.selfIntersections).toEqual({ pairs: 0, faces: 0, regions: [], faceIds: [] });
    expect(clean.degenerate).toEqual({ zeroArea: 0, slivers: 0, duplicates: 0, regions: [] });
    expect(clean.advice).toEqual([]);
  });

  it('an upside-down L: best orientation, support before and after, time in that orientation', () => {
    const L = prism(
      [
        [0, 0],
        [50, 0],
        [50, 10],
        [10, 10],
        [10, 30],
        [0, 30],
      ],
      60,
    );
    const flipped = { positions: L.positions.slice(), indices: L.indices };
    for (let i = 0; i < flipped.positions.length; i += 3) {
      flipped.positions[i + 1] = -flipped.positions[i + 1]!;
      flipped.positions[i + 2] = -flipped.positions[i + 2]!;
    }
    const r = analyzeMesh(flipped, { printer: getPrinter('prusa-mk4') });
    const b = r.bestOrientation!;
    expect(b.supportAreaBeforeMm2).toBeCloseTo(2400, 3);
    expect(r.overhangAreaMm2).toBeCloseTo(2400, 3);
    expect(b.supportAreaMm2).toBeCloseTo(0, 6);
    expect(b.up[2]).toBeCloseTo(-1, 9);
    expect(b.fitsPrinter).toBe(true);
    const upright = analyzeMesh(L, { printer: getPrinter('prusa-mk4') });
    expect(b.printMinutes).toBeCloseTo(upright.printMinutes, 6); // the same print as the upright L
    expect(r.advice!.some((a) => a.startsWith('Turn it over'))).toBe(true);
  });

  it('checks can be switched off', () => {
    const r = analyzeMesh(box([10, 10, 10]), {
      checks: { thickness: false, intersections: false, orientation: false },
    });
    expect(r.thinWalls).toBeNull();
    expect(r.bestOrientation).toBeNull();
    expect(r.selfIntersections).toEqual({ pairs: 0, faces: 0, regions: [], faceIds: [] });
  });
});
