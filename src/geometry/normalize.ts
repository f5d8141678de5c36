/**
 * Pose and scale normalisation: centring on the area-weighted surface centroid, scaling to the unit sphere, and
 * optional PCA alignment with sign disambiguation by third moments (Vranić & Saupe, "3D Shape Descriptor Based on
 * 3D Fourier Transform", 2001 — the "continuous PCA" family of pose normalisations).
 */
import { LayerwiseError } from '../core/errors.js';
import type { Mesh } from '../core/mesh.js';
import type { PointCloud } from './sample.js';

/** Row-major 3×3 matrix. */
export type Mat3 = Float64Array;

/** Centre + scale applied as `(p - center) * scale`. */
export interface Similarity {
  center: [number, number, number];
  scale: number;
}

/** Area-weighted centroid of a mesh surface (falls back to the vertex mean when the area is zero). */
export function surfaceCentroid(mesh: Pick<Mesh, 'positions' | 'indices'>): [number, number, number] {
  const p = mesh.positions;
  const idx = mesh.indices;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  let total = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = idx[t]! * 3;
    const b = idx[t + 1]! * 3;
    const c = idx[t + 2]! * 3;
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    const cx = uy * vz - uz * vy;
    const cy = uz * vx - ux * vz;
    const cz = ux * vy - uy * vx;
    const w = Math.sqrt(cx * cx + cy * cy + cz * cz);
    sx += w * (p[a]! + p[b]! + p[c]!);
    sy += w * (p[a + 1]! + p[b + 1]! + p[c + 1]!);
    sz += w * (p[a + 2]! + p[b + 2]! + p[c + 2]!);
    total += w;
  }
  if (total > 0) return [sx / (3 * total), sy / (3 * total), sz / (3 * total)];
  const n = p.length / 3;
  if (n === 0) return [0, 0, 0];
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let i = 0; i < p.length; i += 3) {
    mx += p[i]!;
    my += p[i + 1]!;
    mz += p[i + 2]!;
  }
  return [mx / n, my / n, mz / n];
}

/** The similarity that centres `mesh` on its surface centroid and puts its farthest used vertex on the unit sphere. */
export function unitSphereTransform(mesh: Pick<Mesh, 'positions' | 'indices'>): Similarity {
  const center = surfaceCentroid(mesh);
  const p = mesh.positions;
  let r2 = 0;
  for (let t = 0; t < mesh.indices.length; t++) {
    const o = mesh.indices[t]! * 3;
    const dx = p[o]! - center[0];
    const dy = p[o + 1]! - center[1];
    const dz = p[o + 2]! - center[2];
    const d = dx * dx + dy * dy + dz * dz;
    if (d > r2) r2 = d;
  }
  if (!(r2 > 0) || !Number.isFinite(r2)) {
    throw new LayerwiseError('invalid_argument', 'normalize: the mesh has no extent (empty or a single point)');
  }
  return { center, scale: 1 / Math.sqrt(r2) };
}

/** A copy of `mesh` centred on its surface centroid and scaled into the unit sphere. */
export function normalizeMesh<M extends Pick<Mesh, 'positions' | 'indices'>>(mesh: M): M & { transform: Similarity } {
  const transform = unitSphereTransform(mesh);
  const { center, scale } = transform;
  const src = mesh.positions;
  const positions = new Float32Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    positions[i] = (src[i]! - center[0]) * scale;
    positions[i + 1] = (src[i + 1]! - center[1]) * scale;
    positions[i + 2] = (src[i + 2]! - center[2]) * scale;
  }
  return { ...mesh, positions, transform };
}

/** Centres a point cloud on its mean and scales its farthest point to radius 1 (in place). Returns the transform. */
export function normalizeCloudInPlace(cloud: PointCloud): Similarity {
  const p = cloud.points;
  const n = cloud.count;
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let i = 0; i < n; i++) {
    mx += p[3 * i]!;
    my += p[3 * i + 1]!;
    mz += p[3 * i + 2]!;
  }
  const center: [number, number, number] = [mx / n, my / n, mz / n];
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    const dx = p[3 * i]! - center[0];
    const dy = p[3 * i + 1]! - center[1];
    const dz = p[3 * i + 2]! - center[2];
    r2 = Math.max(r2, dx * dx + dy * dy + dz * dz);
  }
  const scale = r2 > 0 ? 1 / Math.sqrt(r2) : 1;
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) p[3 * i + k] = (p[3 * i + k]! - center[k]!) * scale;
  return { center, scale };
}

/** Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi: values descending, vectors as matrix rows. */
export function symmetricEigen3(m: ArrayLike<number>): { values: [number, number, number]; vectors: Mat3 } {
  const a = Float64Array.from(m);
  const v = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[1]! * a[1]! + a[2]! * a[2]! + a[5]! * a[5]!;
    if (off < 1e-30) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = a[3 * p + q]!;
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[3 * q + q]! - a[3 * p + p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[3 * k + p]!;
        const akq = a[3 * k + q]!;
        a[3 * k + p] = c * akp - s * akq;
        a[3 * k + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[3 * p + k]!;
        const aqk = a[3 * q + k]!;
        a[3 * p + k] = c * apk - s * aqk;
        a[3 * q + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[3 * k + p]!;
        const vkq = v[3 * k + q]!;
        v[3 * k + p] = c * vkp - s * vkq;
        v[3 * k + q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[4 * j]! - a[4 * i]!);
  const vectors = new Float64Array(9);
  order.forEach((col, row) => {
    for (let k = 0; k < 3; k++) vectors[3 * row + k] = v[3 * k + col]!;
  });
  return { values: [a[4 * order[0]!]!, a[4 * order[1]!]!, a[4 * order[2]!]!], vectors };
}

/**
 * Principal axes of a (centred) point cloud as the rows of a rotation, largest variance first, each axis signed so
 * that the third moment of the coordinates along it is non-negative. The result may be a reflection (det = −1):
 * sign disambiguation per axis matters more for descriptors than handedness.
 */
export function pcaFrame(
  points: Float32Array,
  count = points.length / 3,
): { axes: Mat3; variances: [number, number, number] } {
  const cov = new Float64Array(9);
  for (let i = 0; i < count; i++) {
    const x = points[3 * i]!;
    const y = points[3 * i + 1]!;
    const z = points[3 * i + 2]!;
    cov[0] += x * x;
    cov[1] += x * y;
    cov[2] += x * z;
    cov[4] += y * y;
    cov[5] += y * z;
    cov[8] += z * z;
  }
  cov[3] = cov[1]!;
  cov[6] = cov[2]!;
  cov[7] = cov[5]!;
  for (let k = 0; k < 9; k++) cov[k] = cov[k]! / Math.max(1, count);
  const { values, vectors } = symmetricEigen3(cov);
  for (let r = 0; r < 3; r++) {
    let m3 = 0;
    for (let i = 0; i < count; i++) {
      const d =
        vectors[3 * r]! * points[3 * i]! +
        vectors[3 * r + 1]! * points[3 * i + 1]! +
        vectors[3 * r + 2]! * points[3 * i + 2]!;
      m3 += d * d * d;
    }
    if (m3 < 0) for (let k = 0; k < 3; k++) vectors[3 * r + k] = -vectors[3 * r + k]!;
  }
  return { axes: vectors, variances: values };
}

/** Applies the 3×3 matrix `m` (row-major) to every xyz triple of `xyz`, returning a new array. */
export function transformPoints(xyz: Float32Array, m: ArrayLike<number>): Float32Array {
  const out = new Float32Array(xyz.length);
  for (let i = 0; i < xyz.length; i += 3) {
    const x = xyz[i]!;
    const y = xyz[i + 1]!;
    const z = xyz[i + 2]!;
    out[i] = m[0]! * x + m[1]! * y + m[2]! * z;
    out[i + 1] = m[3]! * x + m[4]! * y + m[5]! * z;
    out[i + 2] = m[6]! * x + m[7]! * y + m[8]! * z;
  }
  return out;
}

/** A copy of a centred cloud rotated into its PCA frame (points and normals). */
export function pcaAlignCloud(cloud: PointCloud): PointCloud & { axes: Mat3; variances: [number, number, number] } {
  const { axes, variances } = pcaFrame(cloud.points, cloud.count);
  return {
    points: transformPoints(cloud.points, axes),
    normals: transformPoints(cloud.normals, axes),
    count: cloud.count,
    axes,
    variances,
  };
}

/** Rotation by `angle` radians about the z (up) axis, row-major. */
export function rotationZ(angle: number): Mat3 {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return new Float64Array([c, -s, 0, s, c, 0, 0, 0, 1]);
}
