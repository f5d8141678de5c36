/**
 * Overhang area: the area of downward-facing faces that lean more than `angleDeg` away from vertical, in the mesh's
 * own orientation (+Z up, the bed at the lowest Z). A vertical wall is 0°, a horizontal ceiling is 90°; a face
 * overhangs when its unit normal's z < −sin(angle) (default 45°, the usual limit for printing without supports).
 * Faces resting on the bed (all three corners within `bedToleranceMm` of the lowest Z) are not overhangs.
 */

export interface OverhangOptions {
  /** Overhang limit in degrees from vertical, 0..90 (default 45). */
  angleDeg?: number;
  /** Z of the bed; defaults to the lowest referenced vertex. */
  bedZ?: number;
  /** How far above the bed a face may lie and still count as resting on it (default 0.01 mm). */
  bedToleranceMm?: number;
}

export const DEFAULT_OVERHANG_ANGLE_DEG = 45;

/** Total overhanging area in mm² (see module comment). */
export function overhangArea(positions: Float32Array, indices: Uint32Array, options: OverhangOptions = {}): number {
  const angle = options.angleDeg ?? DEFAULT_OVERHANG_ANGLE_DEG;
  // "More than" the angle: a face exactly at the limit (a 45° chamfer) is not an overhang, whatever the rounding.
  const limit = -Math.sin((angle * Math.PI) / 180) - 1e-9;
  let bedZ = options.bedZ;
  if (bedZ === undefined) {
    bedZ = Number.POSITIVE_INFINITY;
    for (let t = 0; t < indices.length; t++) {
      const z = positions[indices[t]! * 3 + 2]!;
      if (z < bedZ) bedZ = z;
    }
  }
  const bedTop = bedZ + (options.bedToleranceMm ?? 0.01);
  let area2 = 0;
  for (let f = 0; f < indices.length; f += 3) {
    const a = indices[f]! * 3;
    const b = indices[f + 1]! * 3;
    const c = indices[f + 2]! * 3;
    const az = positions[a + 2]!;
    const bz = positions[b + 2]!;
    const cz = positions[c + 2]!;
    if (az <= bedTop && bz <= bedTop && cz <= bedTop) continue;
    const ax = positions[a]!;
    const ay = positions[a + 1]!;
    const ux = positions[b]! - ax;
    const uy = positions[b + 1]! - ay;
    const uz = bz - az;
    const vx = positions[c]! - ax;
    const vy = positions[c + 1]! - ay;
    const vz = cz - az;
    const nz = ux * vy - uy * vx;
    if (nz >= 0) continue;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (nz < limit * len) area2 += len;
  }
  return area2 / 2;
}
