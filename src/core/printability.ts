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
  /** First layer height in mm (FDM; default: layerHeightMm). */
  firstLayerHeightMm?: number;
  /** Extrusion line width in mm (FDM; default: 1.125 × nozzle). */
  lineWidthMm?: number;
  /** Perimeters, top and bottom solid layers, sparse infill 0..1 (FDM; defaults 2, 4, 3, 0.15). */
  perimeters?: number;
  topLayers?: number;
  bottomLayers?: number;
  infill?: number;
  /** Print speeds in mm/s (FDM; defaults: PrusaSlicer's 45/25/80/40/20). */
  speedsMmS?: {
    perimeter?: number;
    externalPerimeter?: number;
    infill?: number;
    solidInfill?: number;
    firstLayer?: number;
  };
  /** Layers faster than this are slowed down for cooling, s (FDM; default 5). */
  minLayerSeconds?: number;
  /** Narrowest wall the printer reproduces, mm (default: 1.1 × nozzle for FDM, 0.4 for resin). */
  minFeatureMm?: number;
  /** Material name and density in g/cm³ (defaults: PLA 1.24, standard resin 1.10). */
  material?: string;
  densityGPerCm3?: number;
  /** Filament diameter in mm (FDM; default 1.75): turns filament volume into length. */
  filamentDiameterMm?: number;
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
  // The fields below came with issue 20; they are optional because reports stored before it lack them.
  /** Filament (FDM) or resin volume the print uses, cm³, and for FDM its length in mm (null for resin). */
  materialCm3?: number;
  filamentMm?: number | null;
  /** Layers at the profile's layer height in the stored orientation. */
  layers?: number;
  /** Walls thinner than the printer's minimum feature; null when not measured (empty mesh). */
  thinWalls?: ThinWallReport | null;
  /**
   * `faceIds`: the crossing faces (at most 2,000, ascending; absent in older reports). `complete: false` when the
   * pass stopped at its work budget (a triangle soup): the counts are then lower bounds.
   */
  selfIntersections?: {
    pairs: number;
    faces: number;
    regions: DefectRegionReport[];
    faceIds?: number[];
    complete?: boolean;
  };
  degenerate?: { zeroArea: number; slivers: number; duplicates: number; regions: DefectRegionReport[] };
  /** Orientation with the least support on a stable base; null for an empty mesh. */
  bestOrientation?: BestOrientationReport | null;
  /** Plain-words repair and print advice, most important first. */
  advice?: string[];
  warnings: { code: string; message: string; count?: number }[];
}

export interface DefectRegionReport {
  faces: number;
  centerMm: [number, number, number];
  bboxMinMm: [number, number, number];
  bboxMaxMm: [number, number, number];
}

export interface ThinWallReport {
  /** The threshold used: the printer's minimum feature, mm. */
  minWidthMm: number;
  /** Surface area whose wall is thinner than that, mm². */
  areaMm2: number;
  /** Thinnest wall measured, mm (null when no ray came back: open mesh). */
  minThicknessMm: number | null;
  /** Largest thin regions first (at most 20). */
  regions: (DefectRegionReport & { areaMm2: number; minThicknessMm: number })[];
  /**
   * The thin faces, by index in the file's triangle order (at most 2,000, ascending; the regions locate the rest),
   * for viewers to colour; absent in older reports.
   */
  faceIds?: number[];
}

export interface BestOrientationReport {
  /** The mesh direction that points up on the bed (unit vector). */
  up: [number, number, number];
  /** Rotation from the stored to the best orientation: row-major 3 × 3 and quaternion [x, y, z, w]. */
  rotation: number[];
  quaternion: [number, number, number, number];
  /** Overhang (support) area in the stored and in the best orientation, mm². */
  supportAreaBeforeMm2: number;
  supportAreaMm2: number;
  contactAreaMm2: number;
  stable: boolean;
  heightMm: number;
  /** Estimated print time in the best orientation, minutes. */
  printMinutes: number;
  /** Whether it fits the printer in that orientation (null without a printer). */
  fitsPrinter: boolean | null;
}
