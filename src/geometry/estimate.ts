/**
 * Mass and print-time models (deliberately simple, documented in the README):
 *
 * - printed volume = shell + infill × interior, where shell = min(V, walls × lineWidth × A) — every surface,
 *   top and bottom included, gets `walls` perimeters of `lineWidth` — and interior = V − shell (V = volume, A = area).
 * - mass (g) = printed volume (mm³) / 1000 × density (g/cm³). Defaults: PLA 1.24 g/cm³, 15 % infill, 2 walls of
 *   0.45 mm for FDM; resin prints solid (infill 1) at 1.10 g/cm³.
 * - FDM time = printed volume / the printer's effective volumetric flow (mm³/s).
 * - resin time = layers × seconds per layer, layers = ⌈height / layer height⌉ (the whole layer cures at once).
 */

import type { MaterialOptions, PrinterProfile } from '../core/printability.js';
import { DEFAULT_FDM } from './printers.js';

export const PLA: MaterialOptions = { densityGPerCm3: 1.24, infill: 0.15, walls: 2, lineWidthMm: 0.45 };
export const STANDARD_RESIN: MaterialOptions = { densityGPerCm3: 1.1, infill: 1, walls: 0, lineWidthMm: 0 };

/** Default material for a printer technology merged with the caller's overrides. */
export function resolveMaterial(
  printer: PrinterProfile | undefined,
  material: Partial<MaterialOptions> = {},
): MaterialOptions {
  const base = printer?.technology === 'resin' ? STANDARD_RESIN : PLA;
  return { ...base, ...material };
}

/** Printed volume in mm³ under the shell + infill model. */
export function printedVolumeMm3(volumeMm3: number, areaMm2: number, m: MaterialOptions): number {
  const shell = Math.min(volumeMm3, m.walls * m.lineWidthMm * areaMm2);
  return shell + m.infill * (volumeMm3 - shell);
}

export function massGrams(printedMm3: number, m: MaterialOptions): number {
  return (printedMm3 / 1000) * m.densityGPerCm3;
}

/** Print time in minutes; `heightMm` is the part's height on the bed. */
export function printMinutes(printedMm3: number, heightMm: number, printer: PrinterProfile | undefined): number {
  const p = printer ?? DEFAULT_FDM;
  if (p.technology === 'resin') {
    const layers = Math.ceil(heightMm / (p.layerHeightMm ?? 0.05) - 1e-9);
    return (Math.max(0, layers) * (p.secondsPerLayer ?? 8)) / 60;
  }
  return printedMm3 / (p.flowMm3PerS ?? DEFAULT_FDM.flowMm3PerS!) / 60;
}
