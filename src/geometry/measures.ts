/**
 * Size measures of a triangle mesh in one pass each: bounding box of the referenced vertices, surface area, and
 * signed volume by the divergence theorem (sum of signed tetrahedra a·(b×c)/6, taken about the bounding-box centre
 * to limit float cancellation). Positive volume = outward-facing (counter-clockwise seen from outside) winding.
 * Accumulates in float64.
 */

export interface Measures {
  /** [minX, minY, minZ] in mm. */
  min: [number, number, number];
  /** [maxX, maxY, maxZ] in mm. */
  max: [number, number, number];
  /** max − min per axis. */
  size: [number, number, number];
  areaMm2: number;
  signedVolumeMm3: number;
  /** Faces with (near-)zero area: area ≤ 1e-12 × (bounding-box diagonal)², incl. collapsed ones. */
  zeroAreaFaces: number;
}

/** Bounds of the vertices referenced by `indices` (null: of all vertices); all zeros when there are none. */
export function boundsOf(positions: Float32Array, indices: Uint32Array | null): { min: number[]; max: number[] } {
  const n = indices ? indices.length : positions.length / 3;
  if (n === 0) return { min: [0, 0, 0], max: [0, 0, 0] };
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = x0;
  let z0 = x0;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = x1;
  let z1 = x1;
  for (let t = 0; t < n; t++) {
    const o = indices ? indices[t]! * 3 : t * 3;
    const x = positions[o]!;
    const y = positions[o + 1]!;
    const z = positions[o + 2]!;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  return { min: [x0, y0, z0], max: [x1, y1, z1] };
}

/**
 * Bounding box, area, signed volume and zero-area face count of a mesh. `allVerticesUsed` (e.g. after welding)
 * lets the bounds scan the vertices once instead of every face corner.
 */
export function measureMesh(positions: Float32Array, indices: Uint32Array, allVerticesUsed = false): Measures {
  const { min, max } = boundsOf(positions, allVerticesUsed && indices.length > 0 ? null : indices);
  const cx = (min[0]! + max[0]!) / 2;
  const cy = (min[1]! + max[1]!) / 2;
  const cz = (min[2]! + max[2]!) / 2;
  const size: [number, number, number] = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!];
  const diag2 = size[0] * size[0] + size[1] * size[1] + size[2] * size[2];
  // Compare squared doubled areas: |n|² ≤ (2 · 1e-12 · diag²)².
  const zeroLimit = (2e-12 * diag2) ** 2;
  let area = 0;
  let vol6 = 0;
  let zero = 0;
  for (let f = 0; f < indices.length; f += 3) {
    const a = indices[f]! * 3;
    const b = indices[f + 1]! * 3;
    const c = indices[f + 2]! * 3;
    const ax = positions[a]! - cx;
    const ay = positions[a + 1]! - cy;
    const az = positions[a + 2]! - cz;
    const bx = positions[b]! - cx;
    const by = positions[b + 1]! - cy;
    const bz = positions[b + 2]! - cz;
    const qx = positions[c]! - cx;
    const qy = positions[c + 1]! - cy;
    const qz = positions[c + 2]! - cz;
    // n = (b − a) × (c − a): |n| = 2 × area, and a · n = a · (b × c) = 6 × the signed tetrahedron volume.
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const vx = qx - ax;
    const vy = qy - ay;
    const vz = qz - az;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    vol6 += ax * nx + ay * ny + az * nz;
    const n2 = nx * nx + ny * ny + nz * nz;
    if (n2 <= zeroLimit) zero++;
    area += Math.sqrt(n2);
  }
  return {
    min: [min[0]!, min[1]!, min[2]!],
    max: [max[0]!, max[1]!, max[2]!],
    size,
    areaMm2: area / 2,
    signedVolumeMm3: vol6 / 6,
    zeroAreaFaces: zero,
  };
}
