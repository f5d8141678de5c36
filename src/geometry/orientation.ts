/**
 * Best print orientation: which direction of the part should point up so that it needs the least support and
 * stands on a stable base. Candidates: the 6 axis directions, the faces' largest flat regions placed on the bed
 * (the orientations a maker would try first: they give a real contact patch), and a Fibonacci sphere of directions.
 * For each, in one pass over the faces:
 *
 * - support area: faces leaning more than the overhang limit away from vertical (the same rule as overhang.ts),
 *   except those resting on the bed;
 * - contact area: downward faces within `bedToleranceMm` of the bed;
 * - stable: the centre of mass, projected on the bed, lies inside the convex hull of the contact patch.
 *
 * The winner is the stable candidate with the least support area (any candidate when none is stable); candidates
 * within a tolerance of it (1 mm² or 1 % of the area) tie and are ranked by lower height (fewer layers, faster; within
 * 1 % counts as equal), then larger contact; the stored orientation is tried first and kept on a full tie.
 */
import { convexHull2d } from './hull2d.js';
import { DEFAULT_OVERHANG_ANGLE_DEG } from './overhang.js';

export interface OrientationOptions {
  overhangAngleDeg?: number;
  /** Directions on the Fibonacci sphere (default 60). */
  sphereDirections?: number;
  /** Flat regions tried as bases (default 24). */
  flatCandidates?: number;
  bedToleranceMm?: number;
}

export interface OrientationCandidate {
  /** Unit vector in the mesh's own coordinates that points up on the bed. */
  up: [number, number, number];
  supportAreaMm2: number;
  contactAreaMm2: number;
  heightMm: number;
  stable: boolean;
}

export interface BestOrientation extends OrientationCandidate {
  /** Row-major 3 × 3 rotation taking mesh coordinates to print coordinates (`up` → +Z). */
  rotation: number[];
  /** The same rotation as a unit quaternion [x, y, z, w] (three.js order). */
  quaternion: [number, number, number, number];
  /** The stored orientation (+Z up) for comparison. */
  stored: OrientationCandidate;
  candidates: number;
}

type V3 = [number, number, number];

/** n points spread evenly over the unit sphere. */
export function fibonacciSphere(n: number): V3[] {
  const out: V3[] = [];
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const z = 1 - (2 * (i + 0.5)) / n;
    const r = Math.sqrt(1 - z * z);
    out.push([r * Math.cos(golden * i), r * Math.sin(golden * i), z]);
  }
  return out;
}

/** Rotation (row-major) taking unit vector `u` to +Z by the shortest arc; u = −Z turns about X. */
export function rotationToZ(u: readonly number[]): number[] {
  const [x, y, z] = [u[0]!, u[1]!, u[2]!];
  if (z > 1 - 1e-12) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  if (z < -1 + 1e-12) return [1, 0, 0, 0, -1, 0, 0, 0, -1];
  // Rodrigues with axis k = u × z / |u × z| = (y, −x, 0)/s, cos = z, sin = s.
  const s = Math.hypot(x, y);
  const [kx, ky] = [y / s, -x / s];
  const c = z;
  const t = 1 - c;
  return [c + kx * kx * t, kx * ky * t, ky * s, kx * ky * t, c + ky * ky * t, -kx * s, -ky * s, kx * s, c];
}

function quaternionOf(m: number[]): [number, number, number, number] {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const tr = m00 + m11 + m22;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    return [(m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s, s / 4];
  }
  if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    return [s / 4, (m01 + m10) / s, (m02 + m20) / s, (m21 - m12) / s];
  }
  if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    return [(m01 + m10) / s, s / 4, (m12 + m21) / s, (m02 - m20) / s];
  }
  const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
  return [(m02 + m20) / s, (m12 + m21) / s, s / 4, (m10 - m01) / s];
}

/** Applies a row-major rotation to every vertex and lifts the result onto z = 0. */
export function rotatePositions(positions: Float32Array, rotation: readonly number[]): Float32Array {
  const out = new Float32Array(positions.length);
  let minZ = Number.POSITIVE_INFINITY;
  for (let i = 0; i < positions.length; i += 3) {
    const [x, y, z] = [positions[i]!, positions[i + 1]!, positions[i + 2]!];
    for (let r = 0; r < 3; r++) out[i + r] = rotation[3 * r]! * x + rotation[3 * r + 1]! * y + rotation[3 * r + 2]! * z;
    if (out[i + 2]! < minZ) minZ = out[i + 2]!;
  }
  for (let i = 2; i < out.length; i += 3) out[i]! -= minZ;
  return out;
}

interface Faces {
  normal: Float64Array;
  area: Float64Array;
  total: number;
  com: V3;
}

function faceData(p: Float32Array, idx: Uint32Array): Faces {
  const F = idx.length / 3;
  const normal = new Float64Array(3 * F);
  const area = new Float64Array(F);
  let total = 0;
  let vol = 0;
  const com: V3 = [0, 0, 0];
  for (let f = 0; f < F; f++) {
    const a = idx[3 * f]! * 3;
    const b = idx[3 * f + 1]! * 3;
    const c = idx[3 * f + 2]! * 3;
    const [ax, ay, az] = [p[a]!, p[a + 1]!, p[a + 2]!];
    const [bx, by, bz] = [p[b]!, p[b + 1]!, p[b + 2]!];
    const [cx, cy, cz] = [p[c]!, p[c + 1]!, p[c + 2]!];
    const [ux, uy, uz] = [bx - ax, by - ay, bz - az];
    const [vx, vy, vz] = [cx - ax, cy - ay, cz - az];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    area[f] = len / 2;
    total += len / 2;
    if (len > 0) {
      normal[3 * f] = nx / len;
      normal[3 * f + 1] = ny / len;
      normal[3 * f + 2] = nz / len;
    }
    // Centre of mass of the solid: signed tetrahedra from the origin.
    const v6 = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    vol += v6;
    com[0] += (v6 * (ax + bx + cx)) / 4;
    com[1] += (v6 * (ay + by + cy)) / 4;
    com[2] += (v6 * (az + bz + cz)) / 4;
  }
  // An open or flat mesh has no volume: fall back to the area centroid of the corners.
  if (Math.abs(vol) < 1e-12) {
    com.fill(0);
    for (let i = 0; i < idx.length; i++) for (let k = 0; k < 3; k++) com[k] += p[idx[i]! * 3 + k]! / idx.length;
  } else for (let k = 0; k < 3; k++) com[k] /= vol;
  return { normal, area, total, com };
}

/** Normals of the largest flat regions (faces grouped by their normal rounded to ~1°), largest first. */
function flatNormals(fd: Faces, count: number): V3[] {
  const groups = new Map<number, { area: number; n: V3 }>();
  const q = (x: number): number => Math.round(x * 60) + 60; // 0..120
  for (let f = 0; f < fd.area.length; f++) {
    if (fd.area[f] === 0) continue;
    const [x, y, z] = [fd.normal[3 * f]!, fd.normal[3 * f + 1]!, fd.normal[3 * f + 2]!];
    const key = (q(x) * 121 + q(y)) * 121 + q(z);
    const g = groups.get(key);
    if (g) g.area += fd.area[f]!;
    else groups.set(key, { area: fd.area[f]!, n: [x, y, z] });
  }
  return [...groups.values()]
    .sort((a, b) => b.area - a.area)
    .slice(0, count)
    .map((g) => g.n);
}

function evaluate(
  p: Float32Array,
  idx: Uint32Array,
  fd: Faces,
  up: V3,
  limit: number,
  tol: number,
  h: Float64Array,
): OrientationCandidate {
  const V = p.length / 3;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const [ux, uy, uz] = up;
  for (let v = 0; v < V; v++) {
    const z = p[3 * v]! * ux + p[3 * v + 1]! * uy + p[3 * v + 2]! * uz;
    h[v] = z;
    if (z < lo) lo = z;
    if (z > hi) hi = z;
  }
  const bed = lo + tol;
  let support = 0;
  let contact = 0;
  const onBed: number[] = [];
  const normal = fd.normal;
  for (let f = 0; f < fd.area.length; f++) {
    const nz = normal[3 * f]! * ux + normal[3 * f + 1]! * uy + normal[3 * f + 2]! * uz;
    if (nz >= 0) continue;
    const [a, b, c] = [idx[3 * f]!, idx[3 * f + 1]!, idx[3 * f + 2]!];
    if (h[a]! <= bed && h[b]! <= bed && h[c]! <= bed) {
      contact += fd.area[f]!;
      onBed.push(a, b, c);
    } else if (nz < limit) support += fd.area[f]!;
  }
  return {
    up,
    supportAreaMm2: support,
    contactAreaMm2: contact,
    heightMm: hi - lo,
    stable: stableOn(p, onBed, fd.com, up),
  };
}

/** Is the centre of mass above the convex hull of the contact corners (in the bed plane ⊥ up)? */
function stableOn(p: Float32Array, corners: number[], com: V3, up: V3): boolean {
  if (corners.length < 3) return false;
  const rot = rotationToZ(up);
  const xs = corners.map((v) => rot[0]! * p[3 * v]! + rot[1]! * p[3 * v + 1]! + rot[2]! * p[3 * v + 2]!);
  const ys = corners.map((v) => rot[3]! * p[3 * v]! + rot[4]! * p[3 * v + 1]! + rot[5]! * p[3 * v + 2]!);
  const cx = rot[0]! * com[0] + rot[1]! * com[1] + rot[2]! * com[2];
  const cy = rot[3]! * com[0] + rot[4]! * com[1] + rot[5]! * com[2];
  const hull = convexHull2d(xs, ys);
  const n = hull.length / 2;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const [x0, y0, x1, y1] = [
      hull[2 * i]!,
      hull[2 * i + 1]!,
      hull[(2 * i + 2) % (2 * n)]!,
      hull[(2 * i + 3) % (2 * n)]!,
    ];
    if ((x1 - x0) * (cy - y0) - (y1 - y0) * (cx - x0) < 0) return false;
  }
  return true;
}

/** Searches the best orientation of a (welded) mesh; see the module comment. */
export function bestOrientation(
  positions: Float32Array,
  indices: Uint32Array,
  options: OrientationOptions = {},
): BestOrientation {
  const angle = options.overhangAngleDeg ?? DEFAULT_OVERHANG_ANGLE_DEG;
  const limit = -Math.sin((angle * Math.PI) / 180) - 1e-9; // as in overhang.ts: exactly at the limit is fine
  const tol = options.bedToleranceMm ?? 0.01;
  const fd = faceData(positions, indices);
  const dirs: V3[] = [
    [0, 0, 1],
    [0, 0, -1],
    [1, 0, 0],
    [-1, 0, 0],
    [0, 1, 0],
    [0, -1, 0],
    ...flatNormals(fd, options.flatCandidates ?? 24).map((n) => [-n[0], -n[1], -n[2]] as V3),
    ...fibonacciSphere(options.sphereDirections ?? 60),
  ];
  const heights = new Float64Array(positions.length / 3); // scratch, reused by every candidate
  const all = dirs.map((u) => evaluate(positions, indices, fd, u, limit, tol, heights));
  const pool = all.some((c) => c.stable) ? all.filter((c) => c.stable) : all;
  const least = Math.min(...pool.map((c) => c.supportAreaMm2));
  const slack = Math.max(1, 0.01 * fd.total);
  let best = pool.find((c) => c.supportAreaMm2 <= least + slack)!;
  for (const c of pool) {
    if (c.supportAreaMm2 > least + slack) continue;
    // Heights within 1 % (or 0.2 mm) tie too, so a slight tilt of the stored orientation never wins on noise.
    const tol = Math.max(0.2, 0.01 * best.heightMm);
    const lower = c.heightMm < best.heightMm - tol;
    const sameHeight = Math.abs(c.heightMm - best.heightMm) <= tol;
    if (lower || (sameHeight && c.contactAreaMm2 > 1.01 * best.contactAreaMm2 + 1e-6)) best = c;
  }
  const rotation = rotationToZ(best.up);
  return { ...best, rotation, quaternion: quaternionOf(rotation), stored: all[0]!, candidates: all.length };
}
