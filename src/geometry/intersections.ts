/**
 * Self-intersections and degenerate faces of a welded mesh, with the BVH for candidate pairs.
 *
 * Two faces intersect when their interiors cross: for faces with no common vertex, an edge of one passes through
 * the other (that covers every non-coplanar crossing: the crossing segment ends on an edge of one of them); faces
 * sharing one vertex are tested with their opposite edges only (touching at the shared corner is not a crossing);
 * faces sharing an edge cross only when they fold onto each other (coplanar, both on one side of the edge).
 * Coplanar faces with no common vertex and the same facing overlap when an edge of one properly crosses an edge of the other or a
 * corner lies inside the other. Tolerances are relative to the faces' own size, so the test is scale-free.
 *
 * Degenerate faces: zero area (collapsed or collinear corners), slivers (height under 1e-4 × the longest edge:
 * slicers drop them and they break normals), and duplicates (the same three vertices as an earlier face).
 * Affected faces are grouped into regions (faces sharing a vertex) with a centre and bounds, largest first.
 */
import { Bvh } from './bvh.js';

export interface DefectRegion {
  faces: number;
  centerMm: [number, number, number];
  bboxMinMm: [number, number, number];
  bboxMaxMm: [number, number, number];
}

export interface IntersectionResult {
  /** Face pairs that cross. */
  pairs: number;
  /** Faces in at least one crossing pair. */
  faces: Uint32Array;
  regions: DefectRegion[];
}

export interface DegenerateResult {
  zeroArea: number;
  slivers: number;
  duplicates: number;
  faces: Uint32Array;
  regions: DefectRegion[];
}

type V3 = [number, number, number];

const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: V3, b: V3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

function corner(p: Float32Array, v: number): V3 {
  return [p[3 * v]!, p[3 * v + 1]!, p[3 * v + 2]!];
}

/** Does segment pq pass through triangle abc (unit normal n, plane tolerance eps)? Touching the plane is not enough. */
function segmentCrosses(p: V3, q: V3, a: V3, b: V3, c: V3, n: V3, eps: number): boolean {
  const dp = dot(sub(p, a), n);
  const dq = dot(sub(q, a), n);
  if ((dp > -eps && dq > -eps) || (dp < eps && dq < eps)) return false;
  const s = dp / (dp - dq);
  const x: V3 = [p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1]), p[2] + s * (q[2] - p[2])];
  // Inside test by the signs of the sub-triangle normals along n (edges included, within eps).
  const e = -eps * eps;
  return (
    dot(cross(sub(b, a), sub(x, a)), n) >= e &&
    dot(cross(sub(c, b), sub(x, b)), n) >= e &&
    dot(cross(sub(a, c), sub(x, c)), n) >= e
  );
}

/** 2D overlap (interiors) of coplanar triangles, projected on the plane's dominant axes. */
function coplanarOverlap(t: V3[], u: V3[], n: V3): boolean {
  const ax =
    Math.abs(n[0]) >= Math.abs(n[1]) && Math.abs(n[0]) >= Math.abs(n[2]) ? 0 : Math.abs(n[1]) >= Math.abs(n[2]) ? 1 : 2;
  const [i, j] = ax === 0 ? [1, 2] : ax === 1 ? [2, 0] : [0, 1];
  const P = t.map((v) => [v[i], v[j]] as [number, number]);
  const Q = u.map((v) => [v[i], v[j]] as [number, number]);
  const orient = (a: number[], b: number[], c: number[]): number =>
    (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
  const scale = Math.max(...P.flat().map(Math.abs), ...Q.flat().map(Math.abs), 1);
  const eps = 1e-9 * scale * scale;
  const inside = (x: number[], T: number[][]): boolean => {
    const s = Math.sign(orient(T[0]!, T[1]!, T[2]!));
    return [0, 1, 2].every((k) => s * orient(T[k]!, T[(k + 1) % 3]!, x) > eps);
  };
  for (let k = 0; k < 3; k++) {
    for (let m = 0; m < 3; m++) {
      const [a, b, c, d] = [P[k]!, P[(k + 1) % 3]!, Q[m]!, Q[(m + 1) % 3]!];
      const o1 = orient(a, b, c);
      const o2 = orient(a, b, d);
      const o3 = orient(c, d, a);
      const o4 = orient(c, d, b);
      if (((o1 > eps && o2 < -eps) || (o1 < -eps && o2 > eps)) && ((o3 > eps && o4 < -eps) || (o3 < -eps && o4 > eps)))
        return true;
    }
  }
  return P.some((x) => inside(x, Q)) || Q.some((x) => inside(x, P)) || centroidInside(P, Q, inside);
}

/** Identical triangles have no proper crossings and no strictly inside corners: compare centroids. */
function centroidInside(P: number[][], Q: number[][], inside: (x: number[], T: number[][]) => boolean): boolean {
  const c = (T: number[][]): number[] => [
    (T[0]![0]! + T[1]![0]! + T[2]![0]!) / 3,
    (T[0]![1]! + T[1]![1]! + T[2]![1]!) / 3,
  ];
  return inside(c(P), Q) && inside(c(Q), P);
}

function facesCross(pos: Float32Array, idx: Uint32Array, f: number, g: number): boolean {
  const F = [idx[3 * f]!, idx[3 * f + 1]!, idx[3 * f + 2]!];
  const G = [idx[3 * g]!, idx[3 * g + 1]!, idx[3 * g + 2]!];
  const shared = F.filter((v) => G.includes(v));
  const t = F.map((v) => corner(pos, v));
  const u = G.map((v) => corner(pos, v));
  const nf = cross(sub(t[1]!, t[0]!), sub(t[2]!, t[0]!));
  const ng = cross(sub(u[1]!, u[0]!), sub(u[2]!, u[0]!));
  const lf = Math.sqrt(dot(nf, nf));
  const lg = Math.sqrt(dot(ng, ng));
  if (lf === 0 || lg === 0) return false; // degenerate faces are counted separately
  const n1: V3 = [nf[0] / lf, nf[1] / lf, nf[2] / lf];
  const n2: V3 = [ng[0] / lg, ng[1] / lg, ng[2] / lg];
  const size = Math.max(...[...t, ...u].map((p) => Math.max(...sub(p, t[0]!).map(Math.abs))));
  const eps = 1e-7 * size;
  const coplanar = u.every((p) => Math.abs(dot(sub(p, t[0]!), n1)) <= eps) && Math.abs(dot(n1, n2)) > 1 - 1e-9;
  if (shared.length === 3) return true; // a duplicate face overlaps its twin
  if (shared.length === 2) {
    if (!coplanar) return false;
    const [a, b] = shared.map((v) => corner(pos, v)) as [V3, V3];
    const of = t[F.findIndex((v) => !shared.includes(v))]!;
    const og = u[G.findIndex((v) => !shared.includes(v))]!;
    const e = sub(b, a);
    return dot(cross(e, sub(of, a)), cross(e, sub(og, a))) > 0; // folded onto each other
  }
  // Coplanar faces back to back (opposite normals) are two shells touching, not crossing.
  if (coplanar) return shared.length === 0 && dot(n1, n2) > 0 && coplanarOverlap(t, u, n1);
  const edges = (T: V3[], ids: number[]): [V3, V3][] =>
    [0, 1, 2]
      .filter((k) => shared.length === 0 || (!shared.includes(ids[k]!) && !shared.includes(ids[(k + 1) % 3]!)))
      .map((k) => [T[k]!, T[(k + 1) % 3]!]);
  const opposite = (T: V3[], ids: number[]): [V3, V3][] =>
    shared.length === 0
      ? edges(T, ids)
      : [[T[(ids.indexOf(shared[0]!) + 1) % 3]!, T[(ids.indexOf(shared[0]!) + 2) % 3]!]];
  for (const [p, q] of opposite(t, F)) if (segmentCrosses(p, q, u[0]!, u[1]!, u[2]!, n2, eps)) return true;
  for (const [p, q] of opposite(u, G)) if (segmentCrosses(p, q, t[0]!, t[1]!, t[2]!, n1, eps)) return true;
  return false;
}

/**
 * Cheap rejection without allocation: the corners of `g` that are not corners of `f` all lie strictly on one side
 * of f's plane (then the faces meet at most in shared corners).
 */
function oneSide(p: Float32Array, idx: Uint32Array, f: number, g: number): boolean {
  const a = idx[3 * f]! * 3;
  const b = idx[3 * f + 1]! * 3;
  const c = idx[3 * f + 2]! * 3;
  const ux = p[b]! - p[a]!;
  const uy = p[b + 1]! - p[a + 1]!;
  const uz = p[b + 2]! - p[a + 2]!;
  const vx = p[c]! - p[a]!;
  const vy = p[c + 1]! - p[a + 1]!;
  const vz = p[c + 2]! - p[a + 2]!;
  const nx = uy * vz - uz * vy;
  const ny = uz * vx - ux * vz;
  const nz = ux * vy - uy * vx;
  const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
  if (len === 0) return true; // degenerate faces are counted separately
  const eps = 1e-7 * Math.max(Math.abs(ux), Math.abs(uy), Math.abs(uz), Math.abs(vx), Math.abs(vy), Math.abs(vz)) * len;
  let above = 0;
  let below = 0;
  let others = 0;
  for (let k = 0; k < 3; k++) {
    const v = idx[3 * g + k]! * 3;
    if (v === a || v === b || v === c) continue;
    others++;
    const d = (p[v]! - p[a]!) * nx + (p[v + 1]! - p[a + 1]!) * ny + (p[v + 2]! - p[a + 2]!) * nz;
    if (d > eps) above++;
    else if (d < -eps) below++;
  }
  return others > 0 && (above === others || below === others);
}

/** Finds crossing face pairs (see module comment). */
export function selfIntersections(
  positions: Float32Array,
  indices: Uint32Array,
  bvh: Bvh = new Bvh(positions, indices),
  maxRegions = 20,
): IntersectionResult {
  const faces = indices.length / 3;
  const hit = new Uint8Array(faces);
  let pairs = 0;
  const fb = bvh.faceBox;
  for (let f = 0; f < faces; f++) {
    bvh.overlapping(fb.subarray(6 * f, 6 * f + 3), fb.subarray(6 * f + 3, 6 * f + 6), (g) => {
      if (g <= f || oneSide(positions, indices, f, g) || oneSide(positions, indices, g, f)) return;
      if (!facesCross(positions, indices, f, g)) return;
      pairs++;
      hit[f] = 1;
      hit[g] = 1;
    });
  }
  const list = flagged(hit);
  return { pairs, faces: list, regions: defectRegions(positions, indices, list, maxRegions) };
}

/** Zero-area, sliver and duplicate faces (see module comment). */
export function degenerateFaces(positions: Float32Array, indices: Uint32Array, maxRegions = 20): DegenerateResult {
  const faces = indices.length / 3;
  const bad = new Uint8Array(faces);
  const seen = new Set<string>();
  let zeroArea = 0;
  let slivers = 0;
  let duplicates = 0;
  for (let f = 0; f < faces; f++) {
    const ids = [indices[3 * f]!, indices[3 * f + 1]!, indices[3 * f + 2]!];
    const [a, b, c] = ids.map((v) => corner(positions, v)) as [V3, V3, V3];
    const n = cross(sub(b, a), sub(c, a));
    const area2 = Math.sqrt(dot(n, n));
    const longest = Math.sqrt(
      Math.max(dot(sub(b, a), sub(b, a)), dot(sub(c, b), sub(c, b)), dot(sub(a, c), sub(a, c))),
    );
    if (ids[0] === ids[1] || ids[1] === ids[2] || ids[0] === ids[2] || area2 <= 1e-12 * longest * longest) {
      zeroArea++;
      bad[f] = 1;
      continue;
    }
    // height over the longest edge = 2·area / longest
    if (area2 / longest < 1e-4 * longest) {
      slivers++;
      bad[f] = 1;
    }
    const key = ids.sort((x, y) => x - y).join(',');
    if (seen.has(key)) {
      duplicates++;
      bad[f] = 1;
    } else seen.add(key);
  }
  const list = flagged(bad);
  return { zeroArea, slivers, duplicates, faces: list, regions: defectRegions(positions, indices, list, maxRegions) };
}

function flagged(mark: Uint8Array): Uint32Array {
  const out: number[] = [];
  for (let f = 0; f < mark.length; f++) if (mark[f]) out.push(f);
  return Uint32Array.from(out);
}

/** Groups faces sharing a vertex; each group's face count, mean corner and bounds; largest first. */
export function defectRegions(
  positions: Float32Array,
  indices: Uint32Array,
  faces: Uint32Array,
  maxRegions: number,
): DefectRegion[] {
  const parent = new Map<number, number>();
  const find = (v: number): number => {
    let r = v;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(v, r);
    return r;
  };
  for (const f of faces) {
    const r = find(indices[3 * f]!);
    parent.set(r, r);
    for (const v of [indices[3 * f + 1]!, indices[3 * f + 2]!]) {
      const q = find(v);
      if (q !== r) parent.set(q, r);
    }
  }
  const groups = new Map<number, { n: number; sum: V3; lo: V3; hi: V3 }>();
  for (const f of faces) {
    const root = find(indices[3 * f]!);
    let g = groups.get(root);
    if (!g) {
      g = { n: 0, sum: [0, 0, 0], lo: [Infinity, Infinity, Infinity], hi: [-Infinity, -Infinity, -Infinity] };
      groups.set(root, g);
    }
    g.n++;
    for (let k = 0; k < 3; k++) {
      const p = corner(positions, indices[3 * f + k]!);
      for (let a = 0; a < 3; a++) {
        g.sum[a] += p[a]! / 3;
        g.lo[a] = Math.min(g.lo[a]!, p[a]!);
        g.hi[a] = Math.max(g.hi[a]!, p[a]!);
      }
    }
  }
  return [...groups.values()]
    .sort((x, y) => y.n - x.n)
    .slice(0, maxRegions)
    .map((g) => ({
      faces: g.n,
      centerMm: g.sum.map((s) => s / g.n) as V3,
      bboxMinMm: g.lo,
      bboxMaxMm: g.hi,
    }));
}
