/**
 * The printability report for one mesh: weld → topology → measures → overhang → build-volume fit → mass and time.
 * Pure and synchronous; all passes are linear scans over typed arrays (the fit adds a 2D hull) so a report runs at
 * millions of triangles per second. Problems are reported as `warnings`, never thrown; only bad options throw
 * `invalid_argument`.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Mesh, MeshWarning } from '../core/mesh.js';
import type { MaterialOptions, PrintabilityReport, PrinterProfile } from '../core/printability.js';
import { massGrams, printedVolumeMm3, printMinutes, resolveMaterial } from './estimate.js';
import { fitBuildVolume } from './fit.js';
import { measureMesh } from './measures.js';
import { DEFAULT_OVERHANG_ANGLE_DEG, overhangArea } from './overhang.js';
import { analyzeTopology } from './topology.js';
import { weldVertices } from './weld.js';

export interface AnalyzeOptions {
  /** Printer to check the fit against and to time the print for (default: none; time uses a generic FDM printer). */
  printer?: PrinterProfile;
  /** Material overrides (defaults: PLA 1.24 g/cm³, 15 % infill, 2 walls × 0.45 mm; resin printers: solid resin). */
  material?: Partial<MaterialOptions>;
  /** Overhang limit in degrees from vertical (default 45). */
  overhangAngleDeg?: number;
  /**
   * Vertices closer than this are merged when exact welding leaves open edges (cracks from float noise), then the
   * topology is redone (default 1e-4 mm; 0 = exact matches only).
   */
  weldToleranceMm?: number;
}

export const DEFAULT_WELD_TOLERANCE_MM = 1e-4;

/** What analyzeMesh needs from a mesh; parse warnings, when present, are carried into the report. */
export type AnalyzableMesh = Pick<Mesh, 'positions' | 'indices'> & { warnings?: readonly MeshWarning[] };

function checkOptions(o: AnalyzeOptions, m: MaterialOptions): void {
  const bad = (what: string, got: unknown, want: string): never => {
    throw new LayerwiseError('invalid_argument', `${what} must be ${want}, got ${String(got)}`);
  };
  const angle = o.overhangAngleDeg;
  if (angle !== undefined && !(angle >= 0 && angle <= 90)) bad('overhangAngleDeg', angle, 'between 0 and 90');
  const tol = o.weldToleranceMm;
  if (tol !== undefined && !(tol >= 0 && Number.isFinite(tol))) bad('weldToleranceMm', tol, 'a finite number ≥ 0');
  if (!(m.densityGPerCm3 > 0 && Number.isFinite(m.densityGPerCm3)))
    bad('material.densityGPerCm3', m.densityGPerCm3, '> 0');
  if (!(m.infill >= 0 && m.infill <= 1)) bad('material.infill', m.infill, 'a fraction between 0 and 1 (0.15 = 15 %)');
  if (!(m.walls >= 0 && Number.isInteger(m.walls))) bad('material.walls', m.walls, 'a whole number ≥ 0');
  if (!(m.lineWidthMm >= 0 && Number.isFinite(m.lineWidthMm))) bad('material.lineWidthMm', m.lineWidthMm, '≥ 0');
}

/** Builds the printability report of `mesh` (millimetres, +Z up as stored). */
export function analyzeMesh(mesh: AnalyzableMesh, options: AnalyzeOptions = {}): PrintabilityReport {
  const material = resolveMaterial(options.printer, options.material);
  checkOptions(options, material);
  const overhangAngleDeg = options.overhangAngleDeg ?? DEFAULT_OVERHANG_ANGLE_DEG;
  const triangles = mesh.indices.length / 3;
  // Exact weld first; only when that leaves holes are near vertices merged (closing cracks) and topology redone.
  const tolerance = options.weldToleranceMm ?? DEFAULT_WELD_TOLERANCE_MM;
  let weld = weldVertices(mesh.positions, mesh.indices, 0);
  let topo = analyzeTopology(weld.indices, weld.positions.length / 3);
  if (tolerance > 0 && topo.openEdges > 0) {
    weld = weldVertices(mesh.positions, mesh.indices, tolerance);
    topo = analyzeTopology(weld.indices, weld.positions.length / 3);
  }
  const m = measureMesh(weld.positions, weld.indices, true);
  const overhang = overhangArea(weld.positions, weld.indices, { angleDeg: overhangAngleDeg, bedZ: m.min[2] });
  const printer = options.printer;
  const fit = printer ? fitBuildVolume(weld.positions, printer.buildVolumeMm) : null;
  const liveFaces = triangles - topo.collapsedFaces;
  const watertight = liveFaces > 0 && topo.openEdges === 0 && topo.nonManifoldEdges === 0;
  const volumeMm3 = Math.abs(m.signedVolumeMm3);
  // Only meaningful for a closed, consistently oriented surface; an open one has no inside.
  const insideOut = watertight && topo.inconsistentEdges === 0 && m.signedVolumeMm3 < 0;
  const printed = printedVolumeMm3(volumeMm3, m.areaMm2, material);

  const warnings: MeshWarning[] = (mesh.warnings ?? []).map((w) => ({ ...w }));
  const warn = (code: string, count: number, message: string): void => {
    if (count > 0) warnings.push({ code, message, count });
  };
  warn('empty_mesh', triangles === 0 ? 1 : 0, 'the mesh has no triangles');
  warn('open_edges', topo.openEdges, `${topo.openEdges} open edges (holes): volume, mass and time are estimates`);
  warn('non_manifold_edges', topo.nonManifoldEdges, `${topo.nonManifoldEdges} edges shared by more than two faces`);
  warn(
    'inconsistent_orientation',
    topo.inconsistentEdges,
    `${topo.inconsistentEdges} edges between faces with opposite winding (flipped normals)`,
  );
  warn('inside_out', insideOut ? 1 : 0, 'the mesh is inside-out (negative volume): normals point inwards');
  // The parsers already warn `degenerate_face` for zero-area input faces; add it only for faces welding collapsed.
  if (!warnings.some((w) => w.code === 'degenerate_face')) {
    warn('degenerate_face', m.zeroAreaFaces, `${m.zeroAreaFaces} faces with zero area (after welding)`);
  }
  if (printer && fit && !fit.fits) {
    const [x, y, z] = printer.buildVolumeMm;
    warn('does_not_fit', 1, `does not fit the ${printer.id} build volume (${x} × ${y} × ${z} mm) in any orientation`);
  }

  return {
    triangles,
    vertices: topo.vertices,
    shells: topo.shells,
    watertight,
    openEdges: topo.openEdges,
    nonManifoldEdges: topo.nonManifoldEdges,
    inconsistentEdges: topo.inconsistentEdges,
    degenerateFaces: m.zeroAreaFaces,
    signedVolumeMm3: m.signedVolumeMm3,
    volumeMm3,
    insideOut,
    areaMm2: m.areaMm2,
    bboxMm: m.size,
    genus: topo.genus,
    overhangAreaMm2: overhang,
    overhangAngleDeg,
    fitsPrinter: fit ? fit.fits : null,
    fitOrientation: fit?.orientation ?? null,
    printer: printer?.id ?? null,
    massG: massGrams(printed, material),
    printMinutes: printMinutes(printed, m.size[2], printer),
    warnings,
  };
}
