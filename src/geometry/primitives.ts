/**
 * Indexed primitive solids (outward, counter-clockwise winding, millimetres) and small mesh edits, for tests, demos
 * and benchmarks: box, UV sphere, torus; translate, merge, flip winding, drop faces.
 */
import type { Mesh } from '../core/mesh.js';

export type IndexedMesh = Pick<Mesh, 'positions' | 'indices'>;

/** Axis-aligned box from `min` to `min + size`: 8 vertices, 12 triangles. */
export function box(size: [number, number, number], min: [number, number, number] = [0, 0, 0]): IndexedMesh {
  const positions = new Float32Array(24);
  for (let v = 0; v < 8; v++) {
    positions[3 * v] = min[0] + (v & 1 ? size[0] : 0);
    positions[3 * v + 1] = min[1] + (v & 2 ? size[1] : 0);
    positions[3 * v + 2] = min[2] + (v & 4 ? size[2] : 0);
  }
  // Faces: -z, +z, -y, +y, -x, +x (two triangles each, counter-clockwise seen from outside).
  const indices = Uint32Array.from([
    0, 2, 3, 0, 3, 1, 4, 5, 7, 4, 7, 6, 0, 1, 5, 0, 5, 4, 2, 6, 7, 2, 7, 3, 0, 4, 6, 0, 6, 2, 1, 3, 7, 1, 7, 5,
  ]);
  return { positions, indices };
}

/** Surface of revolution on a (rings+1) × segments grid; `point(u, v)` maps u∈[0,1] (ring), v∈[0,1) (around). */
function grid(
  rings: number,
  segments: number,
  point: (u: number, v: number) => [number, number, number],
  wrapU: boolean,
): IndexedMesh {
  const rows = wrapU ? rings : rings + 1;
  const positions = new Float32Array(rows * segments * 3);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < segments; s++) positions.set(point(r / rings, s / segments), 3 * (r * segments + s));
  }
  const idx: number[] = [];
  for (let r = 0; r < rings; r++) {
    const r1 = wrapU ? (r + 1) % rings : r + 1;
    for (let s = 0; s < segments; s++) {
      const s1 = (s + 1) % segments;
      const a = r * segments + s;
      const b = r * segments + s1;
      const c = r1 * segments + s;
      const d = r1 * segments + s1;
      idx.push(a, c, d, a, d, b);
    }
  }
  return { positions, indices: Uint32Array.from(idx) };
}

/** UV sphere of `radius` centred at the origin; poles are single vertices (no degenerate faces). */
export function uvSphere(radius: number, rings = 32, segments = 64): IndexedMesh {
  // Interior rings only, then the two poles as fans.
  const inner = grid(
    rings - 2,
    segments,
    (u, v) => {
      const theta = Math.PI * ((1 + u * (rings - 2)) / rings);
      const phi = 2 * Math.PI * v;
      return [
        radius * Math.sin(theta) * Math.cos(phi),
        radius * Math.sin(theta) * Math.sin(phi),
        radius * Math.cos(theta),
      ];
    },
    false,
  );
  const n = inner.positions.length / 3;
  const positions = new Float32Array(inner.positions.length + 6);
  positions.set(inner.positions);
  positions.set([0, 0, radius, 0, 0, -radius], inner.positions.length);
  const idx = Array.from(inner.indices);
  const last = (rings - 2) * segments;
  for (let s = 0; s < segments; s++) {
    const s1 = (s + 1) % segments;
    idx.push(n, s, s1); // top cap (theta small: z > 0)
    idx.push(n + 1, last + s1, last + s);
  }
  return { positions, indices: Uint32Array.from(idx) };
}

/** Torus around Z with major radius `major` and tube radius `minor`. */
export function torus(major: number, minor: number, rings = 48, segments = 24): IndexedMesh {
  return grid(
    rings,
    segments,
    (u, v) => {
      const a = 2 * Math.PI * u;
      const b = 2 * Math.PI * v;
      const r = major + minor * Math.cos(b);
      return [r * Math.cos(a), r * Math.sin(a), minor * Math.sin(b)];
    },
    true,
  );
}

export function translate(mesh: IndexedMesh, d: [number, number, number]): IndexedMesh {
  const positions = mesh.positions.slice();
  for (let i = 0; i < positions.length; i += 3) {
    positions[i] += d[0];
    positions[i + 1] += d[1];
    positions[i + 2] += d[2];
  }
  return { positions, indices: mesh.indices.slice() };
}

/** One mesh holding all the given meshes' vertices and faces. */
export function merge(...meshes: IndexedMesh[]): IndexedMesh {
  const nv = meshes.reduce((s, m) => s + m.positions.length, 0);
  const nt = meshes.reduce((s, m) => s + m.indices.length, 0);
  const positions = new Float32Array(nv);
  const indices = new Uint32Array(nt);
  let pv = 0;
  let pt = 0;
  for (const m of meshes) {
    positions.set(m.positions, pv);
    for (let i = 0; i < m.indices.length; i++) indices[pt + i] = m.indices[i]! + pv / 3;
    pv += m.positions.length;
    pt += m.indices.length;
  }
  return { positions, indices };
}

/** Reverses every face's winding (turns a solid inside-out). */
export function flipWinding(mesh: IndexedMesh): IndexedMesh {
  const indices = mesh.indices.slice();
  for (let i = 0; i < indices.length; i += 3) {
    const t = indices[i + 1]!;
    indices[i + 1] = indices[i + 2]!;
    indices[i + 2] = t;
  }
  return { positions: mesh.positions.slice(), indices };
}

/** The mesh without the faces whose index `drop(face)` returns true for. */
export function dropFaces(mesh: IndexedMesh, drop: (face: number) => boolean): IndexedMesh {
  const kept: number[] = [];
  for (let f = 0; f < mesh.indices.length / 3; f++) {
    if (!drop(f)) kept.push(mesh.indices[3 * f]!, mesh.indices[3 * f + 1]!, mesh.indices[3 * f + 2]!);
  }
  return { positions: mesh.positions.slice(), indices: Uint32Array.from(kept) };
}

/** Every face gets its own three vertices (like STL): the mesh analysis must weld them back. */
export function unweld(mesh: IndexedMesh): IndexedMesh {
  const n = mesh.indices.length;
  const positions = new Float32Array(n * 3);
  for (let i = 0; i < n; i++)
    positions.set(mesh.positions.subarray(3 * mesh.indices[i]!, 3 * mesh.indices[i]! + 3), 3 * i);
  return { positions, indices: Uint32Array.from({ length: n }, (_, i) => i) };
}
