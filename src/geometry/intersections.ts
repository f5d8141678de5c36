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
  /** Face pairs that cross (a lower bound when `complete` is false). */
  pairs: number;
  /** False when the pass stopped at its budget of candidate pairs (a triangle soup): counts are lower bounds. */
  complete: boolean;
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
 * of f's plane (then the faces meet at most in shared corners). Uses the search's unit normals and face scales.
 */
function oneSide(p: Float32Array, idx: Uint32Array, f: number, g: number, normals: Float64Array, scales: Float64Array) {
  const nx = normals[3 * f]!;
  if (Number.isNaN(nx)) return true; // degenerate faces are counted separately
  const ny = normals[3 * f + 1]!;
  const nz = normals[3 * f + 2]!;
  const a = idx[3 * f]! * 3;
  const b = idx[3 * f + 1]! * 3;
  const c = idx[3 * f + 2]! * 3;
  const eps = 1e-7 * scales[f]!;
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

/** Per face, the largest coordinate extent of its edges from the first corner (the plane tolerance's scale). */
function faceScales(p: Float32Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length / 3);
  for (let f = 0; f < out.length; f++) {
    const a = idx[3 * f]! * 3;
    const b = idx[3 * f + 1]! * 3;
    const c = idx[3 * f + 2]! * 3;
    let m = 0;
    for (let k = 0; k < 3; k++) m = Math.max(m, Math.abs(p[b + k]! - p[a + k]!), Math.abs(p[c + k]! - p[a + k]!));
    out[f] = m;
  }
  return out;
}

/**
 * Fast path for flat regions (most pairs in a tessellated plane): coplanar faces sharing one vertex never cross by
 * our rule, and coplanar faces sharing an edge cross only when folded (both far corners on one side of the edge).
 */
function coplanarNeighbours(p: Float32Array, idx: Uint32Array, f: number, g: number): boolean {
  let shared = 0;
  let far = -1;
  for (let k = 0; k < 3; k++) {
    const v = idx[3 * g + k]!;
    if (v === idx[3 * f]! || v === idx[3 * f + 1]! || v === idx[3 * f + 2]!) shared++;
    else far = v;
  }
  if (shared === 0 || shared === 3) return false;
  // oneSide() did not reject, so g's free corners are within the plane tolerance of f (or straddle it).
  const a = idx[3 * f]! * 3;
  const b = idx[3 * f + 1]! * 3;
  const c = idx[3 * f + 2]! * 3;
  const nx = (p[b + 1]! - p[a + 1]!) * (p[c + 2]! - p[a + 2]!) - (p[b + 2]! - p[a + 2]!) * (p[c + 1]! - p[a + 1]!);
  const ny = (p[b + 2]! - p[a + 2]!) * (p[c]! - p[a]!) - (p[b]! - p[a]!) * (p[c + 2]! - p[a + 2]!);
  const nz = (p[b]! - p[a]!) * (p[c + 1]! - p[a + 1]!) - (p[b + 1]! - p[a + 1]!) * (p[c]! - p[a]!);
  const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
  const scale = Math.max(Math.abs(p[b]! - p[a]!), Math.abs(p[b + 1]! - p[a + 1]!), Math.abs(p[b + 2]! - p[a + 2]!));
  const v = far * 3;
  const d = ((p[v]! - p[a]!) * nx + (p[v + 1]! - p[a + 1]!) * ny + (p[v + 2]! - p[a + 2]!) * nz) / len;
  const coplanar = Math.abs(d) <= 1e-7 * scale;
  if (!coplanar) return false;
  if (shared === 1) return true;
  // Sharing an edge: not folded when the two far corners lie on opposite sides of it.
  let farF = -1;
  const sharedIds: number[] = [];
  for (let k = 0; k < 3; k++) {
    const u = idx[3 * f + k]!;
    if (u === idx[3 * g]! || u === idx[3 * g + 1]! || u === idx[3 * g + 2]!) sharedIds.push(u * 3);
    else farF = u * 3;
  }
  const [s0, s1] = [sharedIds[0]!, sharedIds[1]!];
  const side = (q: number): number => {
    const ex = p[s1]! - p[s0]!;
    const ey = p[s1 + 1]! - p[s0 + 1]!;
    const ez = p[s1 + 2]! - p[s0 + 2]!;
    const qx = p[q]! - p[s0]!;
    const qy = p[q + 1]! - p[s0 + 1]!;
    const qz = p[q + 2]! - p[s0 + 2]!;
    return (ey * qz - ez * qy) * nx + (ez * qx - ex * qz) * ny + (ex * qy - ey * qx) * nz;
  };
  return side(farF) * side(v) < 0;
}

/** In-plane separating-axis test: does some edge of `f` have all of g's corners on its outer side (in f's plane)? */
function edgeSeparates(p: Float32Array, idx: Uint32Array, f: number, g: number, nx: number, ny: number, nz: number) {
  for (let k = 0; k < 3; k++) {
    const a = idx[3 * f + k]! * 3;
    const b = idx[3 * f + ((k + 1) % 3)]! * 3;
    const ex = p[b]! - p[a]!;
    const ey = p[b + 1]! - p[a + 1]!;
    const ez = p[b + 2]! - p[a + 2]!;
    // Outward in-plane normal of edge a→b for counter-clockwise f: e × n.
    const mx = ey * nz - ez * ny;
    const my = ez * nx - ex * nz;
    const mz = ex * ny - ey * nx;
    const scale = Math.sqrt(mx * mx + my * my + mz * mz) * Math.max(Math.abs(ex), Math.abs(ey), Math.abs(ez)) * 1e-7;
    let out = 0;
    for (let j = 0; j < 3; j++) {
      const v = idx[3 * g + j]! * 3;
      if ((p[v]! - p[a]!) * mx + (p[v + 1]! - p[a + 1]!) * my + (p[v + 2]! - p[a + 2]!) * mz >= -scale) out++;
    }
    if (out === 3) return true;
  }
  return false;
}

/**
 * Coplanar faces with no common vertex, without allocating: 1 when they cannot cross (facing opposite ways, or
 * apart in the plane), 0 when the full test must decide (not coplanar, or sharing vertices).
 */
function coplanarApart(p: Float32Array, idx: Uint32Array, f: number, g: number): 0 | 1 {
  for (let k = 0; k < 3; k++) {
    const v = idx[3 * g + k]!;
    if (v === idx[3 * f]! || v === idx[3 * f + 1]! || v === idx[3 * f + 2]!) return 0;
  }
  const nf = unitNormal(p, idx, f);
  const ng = unitNormal(p, idx, g);
  if (!nf || !ng) return 1;
  const a = idx[3 * f]! * 3;
  const scale = Math.max(...[0, 1, 2].map((k) => Math.abs(p[idx[3 * f + 1]! * 3 + k]! - p[a + k]!)));
  for (let j = 0; j < 3; j++) {
    const v = idx[3 * g + j]! * 3;
    const d = (p[v]! - p[a]!) * nf[0] + (p[v + 1]! - p[a + 1]!) * nf[1] + (p[v + 2]! - p[a + 2]!) * nf[2];
    if (Math.abs(d) > 1e-7 * scale) return 0;
  }
  if (nf[0] * ng[0] + nf[1] * ng[1] + nf[2] * ng[2] <= 0) return 1; // back to back: touching shells
  return edgeSeparates(p, idx, f, g, nf[0], nf[1], nf[2]) || edgeSeparates(p, idx, g, f, ng[0], ng[1], ng[2]) ? 1 : 0;
}

/** Set for the duration of one (synchronous) selfIntersections call so the pair tests reuse the normals. */
let normalTable: Float64Array | null = null;

/** Unit normals of all faces (NaN for degenerate ones), computed once per search. */
function faceNormals(p: Float32Array, idx: Uint32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let f = 0; f < idx.length / 3; f++) {
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
    out[3 * f] = nx / len;
    out[3 * f + 1] = ny / len;
    out[3 * f + 2] = nz / len;
  }
  return out;
}

function unitNormal(p: Float32Array, idx: Uint32Array, f: number): V3 | null {
  const t = normalTable;
  if (t && t.length === idx.length) {
    const n: V3 = [t[3 * f]!, t[3 * f + 1]!, t[3 * f + 2]!];
    return Number.isNaN(n[0]) ? null : n;
  }
  const n = cross(
    sub(corner(p, idx[3 * f + 1]!), corner(p, idx[3 * f]!)),
    sub(corner(p, idx[3 * f + 2]!), corner(p, idx[3 * f]!)),
  );
  const len = Math.sqrt(dot(n, n));
  return len > 0 ? [n[0] / len, n[1] / len, n[2] / len] : null;
}

/** Does edge (P, Q) (vertex offsets ×3) pass through face g (unit normal n)? Allocation-free form of segmentCrosses. */
function edgeThrough(p: Float32Array, P: number, Q: number, idx: Uint32Array, g: number, n: V3, eps: number): boolean {
  const a = idx[3 * g]! * 3;
  const dp = (p[P]! - p[a]!) * n[0] + (p[P + 1]! - p[a + 1]!) * n[1] + (p[P + 2]! - p[a + 2]!) * n[2];
  const dq = (p[Q]! - p[a]!) * n[0] + (p[Q + 1]! - p[a + 1]!) * n[1] + (p[Q + 2]! - p[a + 2]!) * n[2];
  if ((dp > -eps && dq > -eps) || (dp < eps && dq < eps)) return false;
  const t = dp / (dp - dq);
  const x = p[P]! + t * (p[Q]! - p[P]!);
  const y = p[P + 1]! + t * (p[Q + 1]! - p[P + 1]!);
  const z = p[P + 2]! + t * (p[Q + 2]! - p[P + 2]!);
  const e = -eps * eps;
  for (let k = 0; k < 3; k++) {
    const u = idx[3 * g + k]! * 3;
    const v = idx[3 * g + ((k + 1) % 3)]! * 3;
    const ex = p[v]! - p[u]!;
    const ey = p[v + 1]! - p[u + 1]!;
    const ez = p[v + 2]! - p[u + 2]!;
    const wx = x - p[u]!;
    const wy = y - p[u + 1]!;
    const wz = z - p[u + 2]!;
    if ((ey * wz - ez * wy) * n[0] + (ez * wx - ex * wz) * n[1] + (ex * wy - ey * wx) * n[2] < e) return false;
  }
  return true;
}

/**
 * The common cases of the crossing test without allocating: faces sharing no vertex or one vertex that are not
 * coplanar. 1 / 0 for cross / not; −1 when the general test must decide (coplanar, shared edge, duplicates).
 */
function edgesCross(p: Float32Array, idx: Uint32Array, f: number, g: number): -1 | 0 | 1 {
  let shared = -1;
  let count = 0;
  for (let k = 0; k < 3; k++) {
    const u = idx[3 * f + k]!;
    if (u === idx[3 * g]! || u === idx[3 * g + 1]! || u === idx[3 * g + 2]!) {
      shared = u;
      count++;
    }
  }
  if (count > 1) return -1;
  const nf = unitNormal(p, idx, f);
  const ng = unitNormal(p, idx, g);
  if (!nf || !ng || Math.abs(nf[0] * ng[0] + nf[1] * ng[1] + nf[2] * ng[2]) > 1 - 1e-9) return -1;
  let size = 0;
  for (const h of [f, g]) {
    for (let k = 0; k < 3; k++) {
      for (let a = 0; a < 3; a++) {
        size = Math.max(size, Math.abs(p[idx[3 * h + k]! * 3 + a]! - p[idx[3 * f]! * 3 + a]!));
      }
    }
  }
  const eps = 1e-7 * size;
  for (const [h, o, n] of [
    [f, g, ng],
    [g, f, nf],
  ] as [number, number, V3][]) {
    for (let k = 0; k < 3; k++) {
      const u = idx[3 * h + k]!;
      const v = idx[3 * h + ((k + 1) % 3)]!;
      if (u === shared || v === shared) continue; // with a shared corner only the opposite edge is tested
      if (edgeThrough(p, u * 3, v * 3, idx, o, n, eps)) return 1;
    }
  }
  return 0;
}

/**
 * Candidate pairs (faces whose boxes overlap) examined before the pass stops: a printable part has a few per face
 * (its neighbours touch its box) — 5,000-face Voron parts well under 100 k — while a soup of 15,000 random
 * triangles has ~10⁸ and would cost minutes of CPU per upload. The budget grows with the mesh (40 per face, at least
 * 1 M: ~1 s); past it the counts found so far are reported as lower bounds.
 */
export function candidateBudget(faces: number): number {
  return Math.max(1_000_000, 40 * faces);
}

/** Finds crossing face pairs (see module comment). */
export function selfIntersections(
  positions: Float32Array,
  indices: Uint32Array,
  bvh: Bvh = new Bvh(positions, indices),
  maxRegions = 20,
  maxCandidates = candidateBudget(indices.length / 3),
): IntersectionResult {
  const faces = indices.length / 3;
  let examined = 0;
  let complete = true;
  const hit = new Uint8Array(faces);
  let pairs = 0;
  const normals = faceNormals(positions, indices);
  const scales = faceScales(positions, indices);
  normalTable = normals;
  // every pair of faces whose boxes overlap, once each
  bvh.overlapPairs((first, second, n) => {
    for (let i = 0; i < n; i++) {
      const f = first[i]!;
      const g = second[i]!;
      if (oneSide(positions, indices, f, g, normals, scales) || oneSide(positions, indices, g, f, normals, scales))
        continue;
      if (coplanarNeighbours(positions, indices, f, g)) continue;
      if (coplanarApart(positions, indices, f, g) === 1) continue;
      const quick = edgesCross(positions, indices, f, g);
      if (quick === 0 || (quick === -1 && !facesCross(positions, indices, f, g))) continue;
      pairs++;
      hit[f] = 1;
      hit[g] = 1;
    }
    examined += n;
    if (examined < maxCandidates) return true;
    complete = false;
    return false;
  });
  normalTable = null;
  const list = flagged(hit);
  return { pairs, complete, faces: list, regions: defectRegions(positions, indices, list, maxRegions) };
}

/** Zero-area, sliver and duplicate faces (see module comment). */
export function degenerateFaces(positions: Float32Array, indices: Uint32Array, maxRegions = 20): DegenerateResult {
  const p = positions;
  const faces = indices.length / 3;
  const bad = new Uint8Array(faces);
  const vertices = positions.length / 3;
  // lowest·V + middle corner → the highest corner of the first face with that pair; later ones in `more`
  const first = new Map<number, number>();
  const more = new Map<number, number[]>();
  let zeroArea = 0;
  let slivers = 0;
  let duplicates = 0;
  for (let f = 0; f < faces; f++) {
    const i0 = indices[3 * f]!;
    const i1 = indices[3 * f + 1]!;
    const i2 = indices[3 * f + 2]!;
    const [a, b, c] = [3 * i0, 3 * i1, 3 * i2];
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    const wx = p[c]! - p[b]!;
    const wy = p[c + 1]! - p[b + 1]!;
    const wz = p[c + 2]! - p[b + 2]!;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const area2 = Math.sqrt(nx * nx + ny * ny + nz * nz);
    const longest = Math.sqrt(
      Math.max(ux * ux + uy * uy + uz * uz, wx * wx + wy * wy + wz * wz, vx * vx + vy * vy + vz * vz),
    );
    if (i0 === i1 || i1 === i2 || i0 === i2 || area2 <= 1e-12 * longest * longest) {
      zeroArea++;
      bad[f] = 1;
      continue;
    }
    // height over the longest edge = 2·area / longest
    if (area2 / longest < 1e-4 * longest) {
      slivers++;
      bad[f] = 1;
    }
    const lo = Math.min(i0, i1, i2);
    const hi = Math.max(i0, i1, i2);
    const key = lo * vertices + (i0 + i1 + i2 - lo - hi);
    const top = first.get(key);
    if (top === undefined) first.set(key, hi);
    else if (top === hi || more.get(key)?.includes(hi)) {
      duplicates++;
      bad[f] = 1;
    } else {
      const list = more.get(key);
      if (list) list.push(hi);
      else more.set(key, [hi]);
    }
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
