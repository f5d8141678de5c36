import { describe, expect, it } from 'vitest';
import { FDM_COEFFICIENTS, fdmEstimate, fdmFeatures, GENERIC_FDM_SETTINGS } from './estimate-fdm.js';
import { layerProfile } from './layers.js';
import { box } from './primitives.js';

describe('fdmFeatures', () => {
  it('a 20 mm cube, by hand', () => {
    const b = box([20, 20, 20]);
    const f = fdmFeatures(layerProfile(b.positions, b.indices, { layerHeightMm: 0.2 }), GENERIC_FDM_SETTINGS);
    // Per layer: outline 80, area 400, shell 2 × 0.45 × 80 = 72, interior 328. Solid: bottom 3 + top 4 layers.
    expect(f.layers).toBe(100);
    expect(f.shellMm3).toBeCloseTo(100 * 0.2 * 72, 6);
    expect(f.solidMm3).toBeCloseTo(7 * 0.2 * 328, 6);
    expect(f.sparseMm3).toBeCloseTo(93 * 0.2 * 0.15 * 328, 6);
    // Layer 0 at 20 mm/s: 80 external + 80 inner (72/0.45 − 80) + 328/0.45 solid.
    expect(f.firstLayerS).toBeCloseTo((80 + 80 + 328 / 0.45) / 20, 6);
    expect(f.externalS).toBeCloseTo((99 * 80) / 25, 6);
    expect(f.innerS).toBeCloseTo((99 * 80) / 45, 6);
    expect(f.solidS).toBeCloseTo((6 * 328) / 0.45 / 40, 6);
    expect(f.sparseS).toBeCloseTo((93 * 0.15 * 328) / 0.45 / 80, 6);
    expect(f.coolingS).toBe(0); // every layer takes over 5 s
  });

  it('small layers are slowed down to the cooling minimum; thin walls are all shell', () => {
    const pin = box([2, 2, 10]);
    const f = fdmFeatures(layerProfile(pin.positions, pin.indices, { layerHeightMm: 0.2 }), GENERIC_FDM_SETTINGS);
    expect(f.coolingS).toBeGreaterThan(40 * 4); // 50 layers of about a second each
    const fin = box([0.4, 30, 10]); // thinner than two perimeters
    const g = fdmFeatures(layerProfile(fin.positions, fin.indices, { layerHeightMm: 0.2 }), GENERIC_FDM_SETTINGS);
    expect(g.shellMm3).toBeCloseTo(0.4 * 30 * 10, 3);
    expect(g.solidMm3 + g.sparseMm3).toBe(0);
  });

  it('estimate: the coefficients weigh the features', () => {
    const b = box([20, 20, 20]);
    const f = fdmFeatures(layerProfile(b.positions, b.indices, { layerHeightMm: 0.2 }), GENERIC_FDM_SETTINGS);
    const c = FDM_COEFFICIENTS;
    const e = fdmEstimate(f);
    expect(e.filamentMm3).toBeCloseTo(
      c.volume.shell * f.shellMm3 + c.volume.solid * f.solidMm3 + c.volume.sparse * f.sparseMm3,
      6,
    );
    const slower = fdmEstimate(f, { ...c, time: { ...c.time, perLayerS: c.time.perLayerS + 1 } });
    expect(slower.seconds - e.seconds).toBeCloseTo(100, 6);
  });
});
