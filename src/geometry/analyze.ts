/**
 * The printability report for one mesh: weld → topology → measures → overhang → build-volume fit → BVH → wall
 * thickness, self-intersections, degenerate faces → best orientation → time, material and mass (stored and best
 * orientation) → plain-words advice. Pure and synchronous, on typed arrays. Problems are reported as `warnings`
 * and `advice`, never thrown; only bad options throw `invalid_argument`.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Mesh, MeshWarning } from '../core/mesh.js';
import type {
  BestOrientationReport,
  MaterialOptions,
  PrintabilityReport,
  PrinterProfile,
} from '../core/printability.js';
import { adviceFor } from './advice.js';
import { Bvh } from './bvh.js';
import { estimatePrint } from './estimate.js';
import { fitBuildVolume } from './fit.js';
import { degenerateFaces, selfIntersections } from './intersections.js';
import { measureMesh } from './measures.js';
import { bestOrientation, rotatePositions } from './orientation.js';
import { DEFAULT_OVERHANG_ANGLE_DEG, overhangArea } from './overhang.js';
import { minFeatureMm } from './print-settings.js';
import { wallThickness } from './thickness.js';
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
  /** Skip the costlier checks (all on by default): wall thickness, self-intersections, best orientation. */
  checks?: { thickness?: boolean; intersections?: boolean; orientation?: boolean };
  /** Surface points for the wall-thickness check (default 3,000). */
  thicknessSamples?: number;
}

export const DEFAULT_WELD_TOLERANCE_MM = 1e-4;

/** What analyzeMesh needs from a mesh; parse warnings, when present, are carried into the report. */
export type AnalyzableMesh = Pick<Mesh, 'positions' | 'indices'> & { warnings?: readonly MeshWarning[] };

function checkOptions(o: AnalyzeOptions, m: Partial<MaterialOptions>): void {
  const bad = (what: string, got: unknown, want: string): never => {
    throw new LayerwiseError('invalid_argument', `${what} must be ${want}, got ${String(got)}`);
  };
  const angle = o.overhangAngleDeg;
  if (angle !== undefined && !(angle >= 0 && angle <= 90)) bad('overhangAngleDeg', angle, 'between 0 and 90');
  const tol = o.weldToleranceMm;
  if (tol !== undefined && !(tol >= 0 && Number.isFinite(tol))) bad('weldToleranceMm', tol, 'a finite number ≥ 0');
  const { densityGPerCm3: d, infill, walls, lineWidthMm: lw } = m;
  if (d !== undefined && !(d > 0 && Number.isFinite(d))) bad('material.densityGPerCm3', d, '> 0');
  if (infill !== undefined && !(infill >= 0 && infill <= 1))
    bad('material.infill', infill, 'a fraction between 0 and 1 (0.15 = 15 %)');
  if (walls !== undefined && !(walls >= 0 && Number.isInteger(walls)))
    bad('material.walls', walls, 'a whole number ≥ 0');
  if (lw !== undefined && !(lw > 0 && Number.isFinite(lw))) bad('material.lineWidthMm', lw, '> 0');
}

/** Builds the printability report of `mesh` (millimetres, +Z up as stored). */
export function analyzeMesh(mesh: AnalyzableMesh, options: AnalyzeOptions = {}): PrintabilityReport {
  const material = options.material ?? {};
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
  const checks = { thickness: true, intersections: true, orientation: true, ...options.checks };
  const live = weld.indices;
  const bvh = live.length > 0 && (checks.thickness || checks.intersections) ? new Bvh(weld.positions, live) : null;
  const thin =
    bvh && checks.thickness
      ? wallThickness(
          weld.positions,
          live,
          {
            minWidthMm: minFeatureMm(printer),
            flipped: insideOut,
            ...(options.thicknessSamples ? { budget: options.thicknessSamples } : {}),
          },
          bvh,
        )
      : null;
  const crossing = bvh && checks.intersections ? selfIntersections(weld.positions, live, bvh) : null;
  const degenerate = degenerateFaces(weld.positions, live);
  const stored = estimatePrint(weld, volumeMm3, printer, material);
  const best = live.length > 0 && checks.orientation ? orientationReport(weld, volumeMm3, options, overhang) : null;

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
  if (thin && thin.thinAreaMm2 > 0) {
    const w = thin.minWidthMm.toFixed(2);
    warn('thin_walls', thin.regions.length, `${thin.thinAreaMm2.toFixed(0)} mm² of walls thinner than ${w} mm`);
  }
  warn(
    'self_intersections',
    crossing?.pairs ?? 0,
    crossing?.complete === false
      ? `at least ${crossing.pairs} pairs of faces cross each other (the check stopped early: a triangle soup)`
      : `${crossing?.pairs ?? 0} pairs of faces cross each other`,
  );
  warn('duplicate_faces', degenerate.duplicates, `${degenerate.duplicates} faces repeat an earlier face`);
  if (printer && fit && !fit.fits) {
    const [x, y, z] = printer.buildVolumeMm;
    warn('does_not_fit', 1, `does not fit the ${printer.id} build volume (${x} × ${y} × ${z} mm) in any orientation`);
  }

  const report: PrintabilityReport = {
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
    massG: stored.massG,
    printMinutes: stored.minutes,
    materialCm3: stored.materialCm3,
    filamentMm: stored.filamentMm,
    layers: stored.layers,
    thinWalls: thin && {
      minWidthMm: thin.minWidthMm,
      areaMm2: thin.thinAreaMm2,
      minThicknessMm: thin.minThicknessMm,
      regions: thin.regions,
      faceIds: firstFaces(thin.thinFaces),
    },
    selfIntersections: {
      pairs: crossing?.pairs ?? 0,
      ...(crossing && !crossing.complete ? { complete: false } : {}),
      faces: crossing?.faces.length ?? 0,
      regions: crossing?.regions ?? [],
      faceIds: crossing ? firstFaces(crossing.faces) : [],
    },
    degenerate: {
      zeroArea: degenerate.zeroArea,
      slivers: degenerate.slivers,
      duplicates: degenerate.duplicates,
      regions: degenerate.regions,
    },
    bestOrientation: best,
    advice: [],
    warnings,
  };
  report.advice = adviceFor(report, printer);
  return report;
}

/** Face ids a viewer colours (welding keeps the triangle order): ascending, at most MAX_FACE_IDS. */
export const MAX_FACE_IDS = 2_000;
function firstFaces(faces: Uint32Array): number[] {
  return Array.from(faces.slice().sort().subarray(0, MAX_FACE_IDS));
}

/** Best orientation with its time and fit, from the welded mesh. */
function orientationReport(
  weld: { positions: Float32Array; indices: Uint32Array },
  volumeMm3: number,
  options: AnalyzeOptions,
  storedSupport: number,
): BestOrientationReport {
  const many = weld.indices.length / 3 > 200_000; // fewer directions on huge meshes: the search is linear in both
  const o = bestOrientation(weld.positions, weld.indices, {
    overhangAngleDeg: options.overhangAngleDeg ?? DEFAULT_OVERHANG_ANGLE_DEG,
    ...(many ? { sphereDirections: 40 } : {}),
  });
  const rotated = { positions: rotatePositions(weld.positions, o.rotation), indices: weld.indices };
  const printer = options.printer;
  const est = estimatePrint(rotated, volumeMm3, printer, options.material);
  const fit = printer ? fitBuildVolume(rotated.positions, printer.buildVolumeMm) : null;
  return {
    up: o.up,
    rotation: o.rotation,
    quaternion: o.quaternion,
    supportAreaBeforeMm2: storedSupport,
    supportAreaMm2: o.supportAreaMm2,
    contactAreaMm2: o.contactAreaMm2,
    stable: o.stable,
    heightMm: o.heightMm,
    printMinutes: est.minutes,
    // Only rotations about Z keep this orientation: permutations that keep Z up come first in the fit's order.
    fitsPrinter: fit ? fit.fits && fit.orientation!.axes[2] === 2 : null,
  };
}
