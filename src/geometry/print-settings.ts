/**
 * The settings a printer profile implies, with defaults filled in: FDM slicing settings for the layer model
 * (estimate-fdm.ts), the minimum printable feature for the thin-wall check, and the material. A caller's material
 * overrides (infill, walls, line width, density) win over the profile's.
 */

import type { MaterialOptions, PrinterProfile } from '../core/printability.js';
import { type FdmSettings, type FdmSpeeds, GENERIC_FDM_SETTINGS } from './estimate-fdm.js';

export const PLA_DENSITY = 1.24;
export const RESIN_DENSITY = 1.1;
export const DEFAULT_RESIN_MIN_FEATURE_MM = 0.4;
/** FDM walls narrower than nozzle × this are not printed reliably (PrusaSlicer drops them without thin walls on). */
export const FDM_MIN_FEATURE_FACTOR = 1.1;

/** Slicing settings for an FDM profile (or the generic printer). */
export function fdmSettingsFor(
  printer: PrinterProfile | undefined,
  material: Partial<MaterialOptions> = {},
): FdmSettings {
  const g = GENERIC_FDM_SETTINGS;
  const p = printer ?? ({} as Partial<PrinterProfile>);
  const nozzle = p.nozzleMm ?? 0.4;
  const layer = p.layerHeightMm ?? g.layerHeightMm;
  const lineWidth = material.lineWidthMm ?? p.lineWidthMm ?? (p.nozzleMm ? 1.125 * nozzle : g.lineWidthMm);
  return {
    lineWidthMm: lineWidth,
    layerHeightMm: layer,
    firstLayerHeightMm: p.firstLayerHeightMm ?? (p.layerHeightMm ? layer : g.firstLayerHeightMm),
    perimeters: material.walls ?? p.perimeters ?? g.perimeters,
    topLayers: p.topLayers ?? g.topLayers,
    bottomLayers: p.bottomLayers ?? g.bottomLayers,
    infill: material.infill ?? p.infill ?? g.infill,
    speeds: capSpeeds({ ...g.speeds, ...(p.speedsMmS ?? {}) }, p.flowMm3PerS, lineWidth, layer),
    minLayerSeconds: p.minLayerSeconds ?? g.minLayerSeconds,
  };
}

/** The hot end's volumetric limit (`flowMm3PerS`) caps every speed at flow ÷ (line width × layer height). */
function capSpeeds(speeds: FdmSpeeds, flow: number | undefined, width: number, layer: number): FdmSpeeds {
  if (!flow) return speeds;
  const cap = flow / (width * layer);
  return Object.fromEntries(Object.entries(speeds).map(([k, v]) => [k, Math.min(v, cap)])) as unknown as FdmSpeeds;
}

/** Narrowest wall the printer reproduces, mm. */
export function minFeatureMm(printer: PrinterProfile | undefined): number {
  if (printer?.minFeatureMm !== undefined) return printer.minFeatureMm;
  if (printer?.technology === 'resin') return DEFAULT_RESIN_MIN_FEATURE_MM;
  return FDM_MIN_FEATURE_FACTOR * (printer?.nozzleMm ?? 0.4);
}

/** Material density in g/cm³: the caller's, the profile's, or PLA / standard resin. */
export function densityFor(printer: PrinterProfile | undefined, material: Partial<MaterialOptions> = {}): number {
  return (
    material.densityGPerCm3 ??
    printer?.densityGPerCm3 ??
    (printer?.technology === 'resin' ? RESIN_DENSITY : PLA_DENSITY)
  );
}
