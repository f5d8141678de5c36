/**
 * Build-volume fit: does the part fit the printer in some orientation? Tries the 6 axis permutations (which mesh
 * axis becomes printer X, Y, Z) and, for each, rotations about Z in `stepDeg` steps over (−90°, 90°], smallest
 * rotation first, so the part's own orientation wins whenever it fits. The footprint under rotation is measured on
 * the 2D convex hull of the projected vertices, so the test is exact for each tried angle.
 *
 * An odd permutation (e.g. X↔Y) is a mirror image; it is realised by the proper rotation that also flips one axis,
 * which has the same extents — so every reported orientation is physically reachable.
 */
import { convexHull2d } from './hull2d.js';

export interface FitOrientation {
  /** Mesh axis (0 = x, 1 = y, 2 = z) placed along printer X, Y and Z. */
  axes: [number, number, number];
  /** Rotation about the printer's Z axis, degrees in (−90, 90]. */
  rotationZDeg: number;
}

export interface FitResult {
  fits: boolean;
  /** The first orientation that fits (in preference order), or null. */
  orientation: FitOrientation | null;
  /** Footprint and height of the part in that orientation, mm; null when it does not fit. */
  extentsMm: [number, number, number] | null;
}

/** Permutations in preference order: the identity first, then those keeping Z up, then the rest. */
const PERMUTATIONS: [number, number, number][] = [
  [0, 1, 2],
  [1, 0, 2],
  [0, 2, 1],
  [2, 0, 1],
  [1, 2, 0],
  [2, 1, 0],
];

/** Angles in preference order: 0, +s, −s, +2s, −2s, … within (−90, 90]. */
function angleOrder(stepDeg: number): number[] {
  const out = [0];
  for (let k = 1; k * stepDeg <= 90; k++) {
    out.push(k * stepDeg);
    if (k * stepDeg < 90) out.push(-k * stepDeg);
  }
  return out;
}

/**
 * Fits the vertices (x, y, z per vertex) into `buildMm` = [X, Y, Z]. `toleranceMm` (default 1e-3) absorbs float
 * noise; `stepDeg` (default 1) is the rotation step.
 */
export function fitBuildVolume(
  positions: Float32Array,
  buildMm: readonly [number, number, number],
  options: { stepDeg?: number; toleranceMm?: number } = {},
): FitResult {
  const n = positions.length / 3;
  const tol = options.toleranceMm ?? 1e-3;
  const [bx, by, bz] = [buildMm[0] + tol, buildMm[1] + tol, buildMm[2] + tol];
  const none: FitResult = { fits: false, orientation: null, extentsMm: null };
  if (n === 0) return { fits: true, orientation: { axes: [0, 1, 2], rotationZDeg: 0 }, extentsMm: [0, 0, 0] };
  const lo = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const hi = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let i = 0; i < 3 * n; i += 3) {
    for (let a = 0; a < 3; a++) {
      const c = positions[i + a]!;
      if (c < lo[a]!) lo[a] = c;
      if (c > hi[a]!) hi[a] = c;
    }
  }
  const size = [hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!];
  const axis = (a: number): Float64Array => Float64Array.from({ length: n }, (_, v) => positions[3 * v + a]!);
  const hulls = new Map<number, Float64Array>(); // keyed by the up axis; hull in (lower axis, higher axis) coords
  const angles = angleOrder(options.stepDeg ?? 1);
  for (const [i, j, k] of PERMUTATIONS) {
    const height = size[k]!;
    if (height > bz) continue;
    // Axis-aligned first: no hull needed for the common case.
    const [w0, d0] = [size[i]!, size[j]!];
    if (w0 <= bx && d0 <= by)
      return { fits: true, orientation: { axes: [i, j, k], rotationZDeg: 0 }, extentsMm: [w0, d0, height] };
    let hull = hulls.get(k);
    if (!hull) {
      const [p, q] = i < j ? [i, j] : [j, i];
      hull = convexHull2d(axis(p), axis(q));
      hulls.set(k, hull);
    }
    const swap = i > j; // hull stores (lower axis, higher axis); this permutation wants (i, j)
    const h = hull.length / 2;
    for (const deg of angles) {
      const r = (deg * Math.PI) / 180;
      const cs = Math.cos(r);
      const sn = Math.sin(r);
      let x0 = Number.POSITIVE_INFINITY;
      let x1 = Number.NEGATIVE_INFINITY;
      let y0 = Number.POSITIVE_INFINITY;
      let y1 = Number.NEGATIVE_INFINITY;
      for (let t = 0; t < h; t++) {
        const u = swap ? hull[2 * t + 1]! : hull[2 * t]!;
        const w = swap ? hull[2 * t]! : hull[2 * t + 1]!;
        const x = u * cs - w * sn;
        const y = u * sn + w * cs;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      if (x1 - x0 <= bx && y1 - y0 <= by) {
        return {
          fits: true,
          orientation: { axes: [i, j, k], rotationZDeg: deg },
          extentsMm: [x1 - x0, y1 - y0, height],
        };
      }
    }
  }
  return none;
}
