/**
 * Prisms from a 2D profile: a simple polygon in the XZ plane (a part's silhouette seen from the front, Z up)
 * extruded along +Y. The caps are triangulated by ear clipping (O(n²), for small profiles: tests, demos, brackets).
 */
import type { IndexedMesh } from './primitives.js';

const cross = (a: number[], b: number[], c: number[]): number =>
  (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);

function inTriangle(p: number[], a: number[], b: number[], c: number[]): boolean {
  return cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0;
}

/** Ear-clipping triangulation of a simple counter-clockwise polygon: index triples into `poly`. */
export function triangulatePolygon(poly: readonly (readonly [number, number])[]): number[] {
  const pts = poly.map((p) => [p[0], p[1]]);
  const left = pts.map((_, i) => i);
  const out: number[] = [];
  let guard = 0;
  while (left.length > 3 && guard++ < 10 * pts.length * pts.length) {
    for (let k = 0; k < left.length; k++) {
      const i0 = left[(k + left.length - 1) % left.length]!;
      const i1 = left[k]!;
      const i2 = left[(k + 1) % left.length]!;
      const [a, b, c] = [pts[i0]!, pts[i1]!, pts[i2]!];
      if (cross(a, b, c) <= 0) continue; // reflex or collinear corner
      const blocked = left.some((j) => j !== i0 && j !== i1 && j !== i2 && inTriangle(pts[j]!, a, b, c));
      if (blocked) continue;
      out.push(i0, i1, i2);
      left.splice(k, 1);
      break;
    }
  }
  if (left.length === 3) out.push(left[0]!, left[1]!, left[2]!);
  return out;
}

/** Signed area of a polygon (positive when counter-clockwise). */
function signedArea(poly: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x0, y0] = poly[i]!;
    const [x1, y1] = poly[(i + 1) % poly.length]!;
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

/** Closed prism: profile (x, z) pairs in the XZ plane, either winding, extruded from y = 0 to y = depth. */
export function prism(profile: readonly (readonly [number, number])[], depth: number): IndexedMesh {
  const poly = signedArea(profile) >= 0 ? profile : [...profile].reverse();
  const n = poly.length;
  const positions = new Float32Array(6 * n);
  poly.forEach(([x, z], i) => {
    positions.set([x, 0, z], 3 * i);
    positions.set([x, depth, z], 3 * (n + i));
  });
  const idx: number[] = [];
  const caps = triangulatePolygon(poly);
  for (let t = 0; t < caps.length; t += 3) {
    idx.push(caps[t]!, caps[t + 1]!, caps[t + 2]!); // front cap faces −Y
    idx.push(n + caps[t]!, n + caps[t + 2]!, n + caps[t + 1]!); // back cap faces +Y
  }
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    idx.push(i, n + i, n + j, i, n + j, j);
  }
  return { positions, indices: Uint32Array.from(idx) };
}
