/**
 * Print time, material and mass of a mesh in a given orientation:
 *
 * - FDM: the calibrated layer model (layers.ts → estimate-fdm.ts): the mesh is cut into the profile's layers,
 *   perimeters, solid skins and sparse infill are laid out per layer at the profile's speeds, and the fitted
 *   coefficients turn that into time and filament (checked against PrusaSlicer in bench/printability).
 *   Filament length = volume ÷ the filament's cross-section (1.75 mm by default).
 * - resin: the part prints solid; time = layers × seconds per layer (the whole layer cures at once).
 * - mass = material volume × density.
 */
import type { Mesh } from '../core/mesh.js';
import type { MaterialOptions, PrinterProfile } from '../core/printability.js';
import { fdmEstimate, fdmFeatures } from './estimate-fdm.js';
import { layerProfile } from './layers.js';
import { densityFor, fdmSettingsFor } from './print-settings.js';

export interface PrintEstimate {
  minutes: number;
  materialCm3: number;
  /** Filament length (FDM), null for resin. */
  filamentMm: number | null;
  massG: number;
  layers: number;
}

/** Estimates the print of `mesh` as placed (+Z up, the lowest vertex on the bed); `volumeMm3` is the solid's volume. */
export function estimatePrint(
  mesh: Pick<Mesh, 'positions' | 'indices'>,
  volumeMm3: number,
  printer: PrinterProfile | undefined,
  material: Partial<MaterialOptions> = {},
): PrintEstimate {
  const density = densityFor(printer, material);
  if (printer?.technology === 'resin') {
    const lp = layerProfile(mesh.positions, mesh.indices, { layerHeightMm: printer.layerHeightMm ?? 0.05 });
    const cm3 = volumeMm3 / 1000;
    return {
      minutes: (lp.layers * (printer.secondsPerLayer ?? 8)) / 60,
      materialCm3: cm3,
      filamentMm: null,
      massG: cm3 * density,
      layers: lp.layers,
    };
  }
  const s = fdmSettingsFor(printer, material);
  const lp = layerProfile(mesh.positions, mesh.indices, {
    layerHeightMm: s.layerHeightMm,
    firstLayerHeightMm: s.firstLayerHeightMm,
  });
  const e = fdmEstimate(fdmFeatures(lp, s));
  const d = printer?.filamentDiameterMm ?? 1.75;
  return {
    minutes: e.seconds / 60,
    materialCm3: e.filamentMm3 / 1000,
    filamentMm: e.filamentMm3 / ((Math.PI * d * d) / 4),
    massG: (e.filamentMm3 / 1000) * density,
    layers: lp.layers,
  };
}
