/**
 * Area-weighted, seeded surface sampling: each point lies uniformly on the surface (triangle chosen with probability
 * proportional to its area, then uniform barycentric coordinates), with the face normal of its triangle.
 * Osada et al., "Shape Distributions", ACM TOG 2002, §4.1 — the sampling behind D2/A3/D3.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Mesh } from '../core/mesh.js';
import { Rng } from '../core/rng.js';

/** `count` points with unit normals: x, y, z per point in `points` and `normals`. */
export interface PointCloud {
  points: Float32Array;
  normals: Float32Array;
  count: number;
}

/** Cumulative triangle areas (length = triangle count) and the total surface area. */
export function cumulativeAreas(mesh: Pick<Mesh, 'positions' | 'indices'>): { cdf: Float64Array; total: number } {
  const p = mesh.positions;
  const idx = mesh.indices;
  const n = idx.length / 3;
  const cdf = new Float64Array(n);
  let total = 0;
  for (let t = 0; t < n; t++) {
    const a = idx[3 * t]! * 3;
    const b = idx[3 * t + 1]! * 3;
    const c = idx[3 * t + 2]! * 3;
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    const cx = uy * vz - uz * vy;
    const cy = uz * vx - ux * vz;
    const cz = ux * vy - uy * vx;
    const area = 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    total += Number.isFinite(area) ? area : 0;
    cdf[t] = total;
  }
  return { cdf, total };
}

/** Total surface area of a mesh. */
export function surfaceArea(mesh: Pick<Mesh, 'positions' | 'indices'>): number {
  return cumulativeAreas(mesh).total;
}

/**
 * Samples `count` points uniformly on the surface of `mesh`. Deterministic for a given `seed` (or `Rng`).
 * Throws `invalid_argument` for an empty mesh or one with zero surface area.
 */
export function samplePoints(
  mesh: Pick<Mesh, 'positions' | 'indices'>,
  count: number,
  seed: number | Rng = 0,
): PointCloud {
  if (!Number.isInteger(count) || count < 1) {
    throw new LayerwiseError('invalid_argument', `samplePoints: count must be a positive integer, got ${count}`);
  }
  const { cdf, total } = cumulativeAreas(mesh);
  if (!(total > 0)) {
    throw new LayerwiseError(
      'invalid_argument',
      `samplePoints: the mesh has ${cdf.length} triangles and zero surface area; nothing to sample (check the file)`,
    );
  }
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  const p = mesh.positions;
  const idx = mesh.indices;
  const points = new Float32Array(count * 3);
  const normals = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! <= r) lo = mid + 1;
      else hi = mid;
    }
    const t = lo;
    const a = idx[3 * t]! * 3;
    const b = idx[3 * t + 1]! * 3;
    const c = idx[3 * t + 2]! * 3;
    const s = Math.sqrt(rng.next());
    const u = rng.next();
    const wa = 1 - s;
    const wb = s * (1 - u);
    const wc = s * u;
    for (let k = 0; k < 3; k++) points[3 * i + k] = wa * p[a + k]! + wb * p[b + k]! + wc * p[c + k]!;
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const nl = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
    normals[3 * i] = nx / nl;
    normals[3 * i + 1] = ny / nl;
    normals[3 * i + 2] = nz / nl;
  }
  return { points, normals, count };
}
