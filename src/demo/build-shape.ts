/**
 * Turns one family parameter set into printable meshes: builds the solids in a manifold arena, checks each part is a
 * single watertight shell of the intended topology, lays the parts out side by side on the bed and measures the
 * shape traits from the result.
 */
import { LayerwiseError } from '../core/errors.js';
import { analyzeMesh } from '../geometry/analyze.js';
import type { Family, Params, Trait } from './family.js';
import { type Kernel, type Solid, solidToArrays, withArena } from './kernel.js';

export interface MeshPart {
  name: string;
  /** x, y, z per vertex in mm; the part rests on z = 0. */
  positions: Float32Array;
  indices: Uint32Array;
}

export interface ShapeResult {
  parts: MeshPart[];
  traits: Record<Trait, boolean>;
  triangles: number;
  /** Overall bounding box of the laid-out parts, mm. */
  bboxMm: [number, number, number];
  volumeMm3: number;
  /** Sum of the parts' genus (through-holes). */
  genus: number;
  tags: string[];
}

/** Largest size that fits common printers (Prusa MK4 250 × 210 × 220, Ender-3 220 × 220 × 250) with margin. */
export const MAX_SIZE_MM: [number, number, number] = [200, 200, 210];
const GAP_MM = 6;
/** Only topology is checked here: the costlier printability checks run at ingest. */
const TOPOLOGY_ONLY = { thickness: false, intersections: false, orientation: false };
/** Edges shorter than this (and near-flat slivers) are collapsed so float32 output has no degenerate faces. */
const SIMPLIFY_MM = 1e-3;

/** Removes numerical slivers (shells under 1 mm³ and 0.01 % of the volume) that booleans can leave behind. */
function dropSlivers(k: Kernel, solid: Solid): Solid {
  const shells = solid.decompose();
  if (shells.length <= 1) return solid;
  const total = solid.volume();
  const kept = shells.filter((s) => s.volume() >= Math.max(1, total * 1e-4));
  return kept.length === 1 ? kept[0]! : k.Manifold.compose(kept);
}

/** Builds and validates one variant; throws `fit_failed` when the variant is not a clean, printable solid. */
export function buildShape(k: Kernel, family: Family, params: Params): ShapeResult {
  return withArena(() => {
    const built = family.build(k, params);
    const parts: MeshPart[] = [];
    let x = 0;
    let genus = 0;
    let volume = 0;
    let tallest = 0;
    let maxFootprint = 0;
    let minX = 0;
    let maxY = 0;
    for (const part of built.parts) {
      const status = part.solid.status();
      const solid = dropSlivers(k, part.solid).simplify(SIMPLIFY_MM);
      const shells = solid.decompose().length;
      const g = solid.genus();
      if (status !== 'NoError' || solid.isEmpty() || shells !== 1 || g < 0) {
        throw new LayerwiseError('fit_failed', `${family.id} part ${part.name}: ${status}, ${shells} shells`);
      }
      if (part.genus !== undefined && g !== part.genus) {
        throw new LayerwiseError('fit_failed', `${family.id} part ${part.name}: genus ${g}, designed ${part.genus}`);
      }
      const box = solid.boundingBox();
      const size = [0, 1, 2].map((a) => box.max[a]! - box.min[a]!) as [number, number, number];
      const left = x === 0 ? -size[0] / 2 : x;
      const arrays = solidToArrays(solid, left + size[0] / 2);
      // The float32 triangles written to disk must be watertight too, as the ingest analysis sees them.
      const report = analyzeMesh(arrays, { weldToleranceMm: 0, checks: TOPOLOGY_ONLY });
      if (!report.watertight || report.shells !== 1) {
        throw new LayerwiseError('fit_failed', `${family.id} part ${part.name}: float32 mesh not watertight`);
      }
      parts.push({ name: part.name, ...arrays });
      if (x === 0) minX = left;
      x = left + size[0] + GAP_MM;
      genus += g;
      volume += solid.volume();
      tallest = Math.max(tallest, size[2]);
      maxFootprint = Math.max(maxFootprint, size[0], size[1]);
      maxY = Math.max(maxY, size[1]);
    }
    const bbox: [number, number, number] = [x - GAP_MM - minX, maxY, tallest];
    if (bbox.some((v, a) => v > MAX_SIZE_MM[a]!)) {
      throw new LayerwiseError('fit_failed', `${family.id}: ${bbox.map((v) => v.toFixed(0)).join('×')} mm is too big`);
    }
    const triangles = parts.reduce((s, p) => s + p.indices.length / 3, 0);
    const longest = Math.max(...bbox);
    const traits: Record<Trait, boolean> = {
      tall: tallest >= 1.3 * maxFootprint,
      flat: tallest <= 0.25 * maxFootprint,
      round: built.round,
      holed: genus > 0,
      small: longest <= 40,
      large: longest >= 120,
      ornate: built.ornate ?? triangles >= 4000,
    };
    return { parts, traits, triangles, bboxMm: bbox, volumeMm3: volume, genus, tags: built.tags ?? [] };
  });
}
