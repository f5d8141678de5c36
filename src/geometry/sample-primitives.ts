/**
 * Procedural test solids (UV sphere, box, cylinder, torus) as indexed meshes, plus rigid/similarity transforms and a
 * re-triangulation (midpoint subdivision): analytic cases for sampling and descriptors, and invariance checks for
 * encoders. Closed and outward-oriented.
 */
import type { Mesh } from '../core/mesh.js';

export type SimpleMesh = Pick<Mesh, 'positions' | 'indices'>;

/** Wraps flat arrays into a full `Mesh` (format `stl-binary`, no groups or warnings). */
export function asMesh(m: SimpleMesh): Mesh {
  return { positions: m.positions, indices: m.indices, groups: [], format: 'stl-binary', warnings: [] };
}

/** Surface of revolution about z: `ring(v)` gives [radius, z] for v in [0, 1]; poles when the radius is 0. */
function revolve(segments: number, rings: number, ring: (v: number) => [number, number], closed: boolean): SimpleMesh {
  const pos: number[] = [];
  const idx: number[] = [];
  const rows = closed ? rings : rings + 1;
  for (let j = 0; j < rows; j++) {
    const [r, z] = ring(j / rings);
    for (let i = 0; i < segments; i++) {
      const a = (2 * Math.PI * i) / segments;
      pos.push(r * Math.cos(a), r * Math.sin(a), z);
    }
  }
  for (let j = 0; j < (closed ? rings : rings); j++) {
    const j1 = closed ? (j + 1) % rings : j + 1;
    for (let i = 0; i < segments; i++) {
      const i1 = (i + 1) % segments;
      const a = j * segments + i;
      const b = j * segments + i1;
      const c = j1 * segments + i1;
      const d = j1 * segments + i;
      idx.push(a, b, c, a, c, d);
    }
  }
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) };
}

/** UV sphere of radius `r` centred at the origin. */
export function uvSphere(r = 1, segments = 48, rings = 24): SimpleMesh {
  const pos: number[] = [0, 0, -r];
  const idx: number[] = [];
  for (let j = 1; j < rings; j++) {
    const phi = -Math.PI / 2 + (Math.PI * j) / rings;
    for (let i = 0; i < segments; i++) {
      const th = (2 * Math.PI * i) / segments;
      pos.push(r * Math.cos(phi) * Math.cos(th), r * Math.cos(phi) * Math.sin(th), r * Math.sin(phi));
    }
  }
  const top = pos.length / 3;
  pos.push(0, 0, r);
  const ring = (j: number, i: number): number => 1 + (j - 1) * segments + (i % segments);
  for (let i = 0; i < segments; i++) idx.push(0, ring(1, i + 1), ring(1, i));
  for (let j = 1; j < rings - 1; j++) {
    for (let i = 0; i < segments; i++) {
      idx.push(ring(j, i), ring(j, i + 1), ring(j + 1, i + 1), ring(j, i), ring(j + 1, i + 1), ring(j + 1, i));
    }
  }
  for (let i = 0; i < segments; i++) idx.push(ring(rings - 1, i), ring(rings - 1, i + 1), top);
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) };
}

/** Axis-aligned box with the given edge lengths, centred at the origin (12 triangles). */
export function box(sx = 1, sy = 1, sz = 1): SimpleMesh {
  const h = [sx / 2, sy / 2, sz / 2];
  const pos: number[] = [];
  for (let k = 0; k < 8; k++) pos.push(k & 1 ? h[0]! : -h[0]!, k & 2 ? h[1]! : -h[1]!, k & 4 ? h[2]! : -h[2]!);
  const idx = [
    0, 2, 3, 0, 3, 1, 4, 5, 7, 4, 7, 6, 0, 1, 5, 0, 5, 4, 2, 6, 7, 2, 7, 3, 0, 4, 6, 0, 6, 2, 1, 3, 7, 1, 7, 5,
  ];
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) };
}

/** Closed cylinder of radius `r` and height `h` along z, centred at the origin. */
export function cylinder(r = 1, h = 2, segments = 48): SimpleMesh {
  const side = revolve(segments, 1, (v) => [r, -h / 2 + v * h], false);
  const pos = Array.from(side.positions);
  const idx = Array.from(side.indices);
  const bottom = pos.length / 3;
  pos.push(0, 0, -h / 2, 0, 0, h / 2);
  for (let i = 0; i < segments; i++) {
    const i1 = (i + 1) % segments;
    idx.push(bottom, i1, i, bottom + 1, segments + i, segments + i1);
  }
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) };
}

/** Torus about z with major radius `R` and minor radius `r`. */
export function torus(R = 1, r = 0.3, segments = 48, rings = 24): SimpleMesh {
  const pos: number[] = [];
  const idx: number[] = [];
  for (let j = 0; j < rings; j++) {
    const phi = (2 * Math.PI * j) / rings;
    for (let i = 0; i < segments; i++) {
      const th = (2 * Math.PI * i) / segments;
      const rr = R + r * Math.cos(phi);
      pos.push(rr * Math.cos(th), rr * Math.sin(th), r * Math.sin(phi));
    }
  }
  for (let j = 0; j < rings; j++) {
    const j1 = (j + 1) % rings;
    for (let i = 0; i < segments; i++) {
      const i1 = (i + 1) % segments;
      idx.push(
        j * segments + i,
        j * segments + i1,
        j1 * segments + i1,
        j * segments + i,
        j1 * segments + i1,
        j1 * segments + i,
      );
    }
  }
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) };
}

/** A copy rotated by `angle` radians about z, scaled by `scale` and translated by `offset`. */
export function transformMesh(
  m: SimpleMesh,
  angle: number,
  scale: number,
  offset: [number, number, number] = [0, 0, 0],
): SimpleMesh {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const p = m.positions;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    out[i] = (c * p[i]! - s * p[i + 1]!) * scale + offset[0];
    out[i + 1] = (s * p[i]! + c * p[i + 1]!) * scale + offset[1];
    out[i + 2] = p[i + 2]! * scale + offset[2];
  }
  return { positions: out, indices: m.indices.slice() };
}

/** Re-triangulates by splitting every triangle into four at its edge midpoints (same surface, new tessellation). */
export function subdivide(m: SimpleMesh): SimpleMesh {
  const pos = Array.from(m.positions);
  const idx: number[] = [];
  const mid = new Map<string, number>();
  const midpoint = (a: number, b: number): number => {
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    let v = mid.get(key);
    if (v === undefined) {
      v = pos.length / 3;
      pos.push(
        (pos[3 * a]! + pos[3 * b]!) / 2,
        (pos[3 * a + 1]! + pos[3 * b + 1]!) / 2,
        (pos[3 * a + 2]! + pos[3 * b + 2]!) / 2,
      );
      mid.set(key, v);
    }
    return v;
  };
  for (let t = 0; t < m.indices.length; t += 3) {
    const a = m.indices[t]!;
    const b = m.indices[t + 1]!;
    const c = m.indices[t + 2]!;
    const ab = midpoint(a, b);
    const bc = midpoint(b, c);
    const ca = midpoint(c, a);
    idx.push(a, ab, ca, ab, b, bc, ca, bc, c, ab, bc, ca);
  }
  return { positions: Float32Array.from(pos), indices: Uint32Array.from(idx) };
}
