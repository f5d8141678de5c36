/** Types shared by the printability analysis and its consumers (ingest, API, UI). */

export type PrinterTechnology = 'fdm' | 'resin';

export interface PrinterProfile {
  /** kebab-case id, e.g. `prusa-mk4`. */
  id: string;
  name: string;
  technology: PrinterTechnology;
  /** Build volume in mm: [x, y, z]. */
  buildVolumeMm: [number, number, number];
  /** Nozzle diameter in mm (FDM) — used by the print-time model. */
  nozzleMm?: number;
  /** Typical layer height in mm. */
  layerHeightMm?: number;
  /** Volumetric flow in mm³/s used by the time model (FDM). */
  flowMm3PerS?: number;
  /** Seconds per layer (resin: exposure + peel). */
  secondsPerLayer?: number;
}

export interface MaterialOptions {
  /** Density in g/cm³ (PLA 1.24). */
  densityGPerCm3: number;
  /** Infill fraction 0..1 (0.15 = 15%). */
  infill: number;
  /** Number of perimeter walls. */
  walls: number;
  /** Line width in mm used for walls. */
  lineWidthMm: number;
}

/** The per-mesh analysis: geometry stats + printability for one printer (or none). */
export interface PrintabilityReport {
  triangles: number;
  vertices: number;
  shells: number;
  watertight: boolean;
  openEdges: number;
  nonManifoldEdges: number;
  inconsistentEdges: number;
  degenerateFaces: number;
  /** Signed volume; negative means the mesh is inside-out. */
  signedVolumeMm3: number;
  /** |signedVolumeMm3| (for an open mesh an estimate: the enclosed volume is not well defined). */
  volumeMm3: number;
  /** Closed, consistently oriented and negative volume: every normal points inwards. */
  insideOut: boolean;
  areaMm2: number;
  bboxMm: [number, number, number];
  /** Genus when closed and orientable, else null. */
  genus: number | null;
  overhangAreaMm2: number;
  overhangAngleDeg: number;
  /** null without a printer. */
  fitsPrinter: boolean | null;
  /** Best orientation found to fit, as axis permutation + rotation about Z in degrees; null when none or no printer. */
  fitOrientation: { axes: [number, number, number]; rotationZDeg: number } | null;
  printer: string | null;
  massG: number;
  printMinutes: number;
  warnings: { code: string; message: string; count?: number }[];
}
