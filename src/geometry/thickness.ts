/**
 * Wall thickness by inward ray casting (the method of Blender's 3D-Print Toolbox, made area-true): points are
 * spread over the surface by systematic sampling on the cumulative face area (one point every totalArea/budget mm²,
 * so each point stands for the same area, big faces get many points and the estimate does not depend on the
 * tessellation); from each point a ray goes into the solid along the face's inward normal, and the distance to the
 * first face it meets is the local wall thickness. The area below the printer's minimum printable width is the
 * number of thin points × the area per point; thin faces are grouped into regions (faces sharing a vertex) with
 * their area, thinnest reading, centre and bounds, largest first.
 *
 * The reading is the distance across the wall along the normal: exact for walls with parallel sides (a plate), an
 * upper bound of the inscribed-sphere diameter on tapered walls (a wedge of half-angle α reads the local thickness
 * ÷ cos α). Rays that leave through no face (open meshes) give no reading. Overlapping shells (a self-intersecting
 * mesh) read short inside the overlap: the report flags intersections separately.
 *
 * A reading counts as a wall only when the face the ray leaves through faces back along the ray, within
 * `wallAngleDeg` (30°) of parallel to the face it started from. Without that rule every sharp edge is a "wall": a
 * point d mm from an edge where two faces meet at θ reads d·tan θ, which goes to 0 at the edge whatever the part's
 * real walls are — on real parts (45° chamfers and snap-fit ramps of Voron clips, draft-angled slivers beside
 * fillets) the thinnest reading was then just the distance of the sample closest to such an edge (0.02 mm on
 * `A_Idler_Lower`, 0.0002 mm on a logo insert; more samples, thinner). An edge sharper than the wall angle keeps
 * readings (a thin blade, a tapered fin); a blunter one only loses its tip to the nozzle (less than two line widths
 * for 30°, which slicers round off). Such points count as `obliqueSamples` (as do rays that leave obliquely far away,
 * about a third on mechanical parts: they are never thin). The price: a feature thin all through whose sides all
 * meet at more than 30° (a rod of triangular section) is not reported. Hits closer than the float32
 * resolution of the coordinates (coincident faces of touching shells; parts placed far from the origin) are not
 * walls either: the ray goes on past them.
 */
import { Bvh } from './bvh.js';

export interface ThicknessOptions {
  /** Walls thinner than this are "thin", mm (the printer's minimum printable width). */
  minWidthMm: number;
  /** Number of surface points (default 3,000; fewer on meshes with less area than budget × 1e-4 mm²). */
  budget?: number;
  /** Cast outwards instead (for inside-out meshes, whose normals point into the solid). */
  flipped?: boolean;
  /** Regions to list, largest first (default 20). */
  maxRegions?: number;
  /** Largest angle between the two sides of a wall, degrees (default 30): blunter edges are not walls. */
  wallAngleDeg?: number;
}

export interface ThinRegion {
  areaMm2: number;
  minThicknessMm: number;
  /** Area-weighted centre of the thin points, mm. */
  centerMm: [number, number, number];
  bboxMinMm: [number, number, number];
  bboxMaxMm: [number, number, number];
  faces: number;
}

export interface ThicknessResult {
  minWidthMm: number;
  /** Surface area whose wall is thinner than `minWidthMm`, mm² (sampled: ± one point's area per region). */
  thinAreaMm2: number;
  /** Thinnest wall reading (sides within the wall angle), or null when there is none (open or empty mesh). */
  minThicknessMm: number | null;
  /**
   * Points cast, points whose ray came back, and of those the ones whose ray left through a face at more than the
   * wall angle (a sharp edge or an oblique exit: not a wall reading, never thin).
   */
  samples: number;
  measured: number;
  obliqueSamples: number;
  /** Area each point stands for, mm². */
  areaPerSampleMm2: number;
  /** Faces with at least one thin point (for drawing). */
  thinFaces: Uint32Array;
  regions: ThinRegion[];
}

/** Low-discrepancy point k of a triangle (R2 sequence folded into the triangle): barycentric u, then v. */
const baryU = (k: number): number => (0.3 + k * 0.7548776662466927) % 1;
const baryV = (k: number): number => (0.6 + k * 0.5698402909980532) % 1;

const STRIDE = 6;

function find(parent: Int32Array, v: number): number {
  while (parent[v] !== v) {
    parent[v] = parent[parent[v]!]!;
    v = parent[v]!;
  }
  return v;
}

/** Measures wall thickness over `indices` (welded, so regions can follow shared vertices); see module comment. */
export function wallThickness(
  positions: Float32Array,
  indices: Uint32Array,
  options: ThicknessOptions,
  bvh: Bvh = new Bvh(positions, indices),
): ThicknessResult {
  const faces = indices.length / 3;
  const normals = new Float64Array(faces * 3);
  const areas = new Float64Array(faces);
  let total = 0;
  let maxAbs = 0;
  for (let f = 0; f < faces; f++) {
    const a = indices[3 * f]! * 3;
    const b = indices[3 * f + 1]! * 3;
    const c = indices[3 * f + 2]! * 3;
    const ux = positions[b]! - positions[a]!;
    const uy = positions[b + 1]! - positions[a + 1]!;
    const uz = positions[b + 2]! - positions[a + 2]!;
    const vx = positions[c]! - positions[a]!;
    const vy = positions[c + 1]! - positions[a + 1]!;
    const vz = positions[c + 2]! - positions[a + 2]!;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    areas[f] = len / 2;
    total += len / 2;
    if (len > 0) normals.set([nx / len, ny / len, nz / len], 3 * f);
    maxAbs = Math.max(maxAbs, Math.abs(positions[a]!), Math.abs(positions[a + 1]!), Math.abs(positions[a + 2]!));
  }
  const budget = Math.max(1, Math.min(options.budget ?? 3_000, Math.ceil(total / 1e-4)));
  const step = total > 0 ? total / budget : 0;
  // 8 float32 ulps of the largest coordinate (2.5e-4 mm for a part at x = 260 mm), at least 0.1 µm.
  const tMin = Math.max(1e-4, maxAbs * 2 ** -20);
  const cosWall = Math.cos(((options.wallAngleDeg ?? 30) * Math.PI) / 180);
  const sign = options.flipped ? 1 : -1;
  const thinFace = new Uint8Array(faces);
  const pointOf: number[] = []; // thin points: face, x, y, z, thickness, face hit
  let samples = 0;
  let measured = 0;
  let obliqueSamples = 0;
  let minT = Number.POSITIVE_INFINITY;
  const o = new Float64Array(3); // the current point and its ray, reused
  const dir = new Float64Array(3);
  const ray = { skip: -1, tMin };
  let next = step / 2; // cumulative area at which the next point goes
  let acc = 0;
  for (let f = 0; f < faces && step > 0; f++) {
    const area = areas[f]!;
    acc += area;
    if (acc <= next || area === 0) continue;
    const a = indices[3 * f]! * 3;
    const b = indices[3 * f + 1]! * 3;
    const c = indices[3 * f + 2]! * 3;
    dir[0] = sign * normals[3 * f]!;
    dir[1] = sign * normals[3 * f + 1]!;
    dir[2] = sign * normals[3 * f + 2]!;
    ray.skip = f;
    for (let k = 0; acc > next; k++, next += step) {
      samples++;
      let u = baryU(k);
      let v = baryV(k);
      if (u + v > 1) {
        u = 1 - u;
        v = 1 - v;
      }
      const w = 1 - u - v;
      for (let i = 0; i < 3; i++) o[i] = w * positions[a + i]! + u * positions[b + i]! + v * positions[c + i]!;
      const hit = bvh.raycast(o, dir, ray);
      if (!hit) continue;
      measured++;
      // The exit face's outward normal (stored normals point inwards when flipped) should point along the ray:
      // the two sides face each other. Otherwise the ray crossed a sharp edge (or left obliquely, far away).
      const g = 3 * hit.face;
      const exit = -sign * (dir[0]! * normals[g]! + dir[1]! * normals[g + 1]! + dir[2]! * normals[g + 2]!);
      if (exit < cosWall) {
        obliqueSamples++;
        continue;
      }
      if (hit.t < minT) minT = hit.t;
      if (hit.t < options.minWidthMm) {
        thinFace[f] = 1;
        pointOf.push(f, o[0]!, o[1]!, o[2]!, hit.t, hit.face);
      }
    }
  }
  const result = regionsOf(indices, positions.length / 3, thinFace, pointOf, step, options.maxRegions ?? 20);
  return {
    minWidthMm: options.minWidthMm,
    thinAreaMm2: (pointOf.length / STRIDE) * step,
    minThicknessMm: measured > obliqueSamples ? minT : null,
    samples,
    measured,
    obliqueSamples,
    areaPerSampleMm2: step,
    thinFaces: result.faces,
    regions: result.regions,
  };
}

/**
 * Groups thin faces into regions — faces sharing a vertex, and the two sides of one wall (a point's face and the
 * face its ray met) — and summarises each region's thin points.
 */
function regionsOf(
  indices: Uint32Array,
  vertexCount: number,
  thinFace: Uint8Array,
  points: number[],
  step: number,
  maxRegions: number,
): { faces: Uint32Array; regions: ThinRegion[] } {
  const parent = new Int32Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) parent[v] = v;
  const thin: number[] = [];
  for (let f = 0; f < thinFace.length; f++) {
    if (!thinFace[f]) continue;
    thin.push(f);
    const r = find(parent, indices[3 * f]!);
    for (const v of [indices[3 * f + 1]!, indices[3 * f + 2]!]) {
      const q = find(parent, v);
      if (q !== r) parent[q] = r;
    }
  }
  const join = (f: number, g: number): void => {
    const r = find(parent, indices[3 * f]!);
    const q = find(parent, indices[3 * g]!);
    if (q !== r) parent[q] = r;
  };
  for (let i = 0; i < points.length; i += STRIDE) join(points[i]!, points[i + 5]!);
  const byRoot = new Map<number, ThinRegion>();
  const faceCount = new Map<number, number>();
  for (const f of thin) {
    const root = find(parent, indices[3 * f]!);
    faceCount.set(root, (faceCount.get(root) ?? 0) + 1);
  }
  for (let i = 0; i < points.length; i += STRIDE) {
    const root = find(parent, indices[3 * points[i]!]!);
    const p: [number, number, number] = [points[i + 1]!, points[i + 2]!, points[i + 3]!];
    let r = byRoot.get(root);
    if (!r) {
      r = {
        areaMm2: 0,
        minThicknessMm: Number.POSITIVE_INFINITY,
        centerMm: [0, 0, 0],
        bboxMinMm: [...p],
        bboxMaxMm: [...p],
        faces: faceCount.get(root) ?? 0,
      };
      byRoot.set(root, r);
    }
    r.areaMm2 += step;
    r.minThicknessMm = Math.min(r.minThicknessMm, points[i + 4]!);
    for (let a = 0; a < 3; a++) {
      r.centerMm[a] += p[a]! * step;
      r.bboxMinMm[a] = Math.min(r.bboxMinMm[a]!, p[a]!);
      r.bboxMaxMm[a] = Math.max(r.bboxMaxMm[a]!, p[a]!);
    }
  }
  const regions = [...byRoot.values()].sort((x, y) => y.areaMm2 - x.areaMm2).slice(0, maxRegions);
  for (const r of regions) r.centerMm = r.centerMm.map((c) => c / r.areaMm2) as [number, number, number];
  return { faces: Uint32Array.from(thin), regions };
}
