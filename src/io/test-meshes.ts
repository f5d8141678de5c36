/**
 * Small reference meshes for tests and benchmarks: an axis-aligned box and a tetrahedron, with values chosen to
 * exercise float formatting (fractions, negatives, exponents). Pure data, no I/O.
 */
import type { Mesh, MeshGroup } from '../core/mesh.js';

/** A closed, outward-wound box from (x0,y0,z0) to (x1,y1,z1): 8 vertices, 12 triangles. */
export function boxMesh(x0: number, y0: number, z0: number, x1: number, y1: number, z1: number) {
  const positions = new Float32Array([
    x0,
    y0,
    z0,
    x1,
    y0,
    z0,
    x1,
    y1,
    z0,
    x0,
    y1,
    z0,
    x0,
    y0,
    z1,
    x1,
    y0,
    z1,
    x1,
    y1,
    z1,
    x0,
    y1,
    z1,
  ]);
  // biome-ignore format: one face per line
  const indices = new Uint32Array([
    0, 2, 1, 0, 3, 2, // bottom (−z)
    4, 5, 6, 4, 6, 7, // top (+z)
    0, 1, 5, 0, 5, 4, // front (−y)
    2, 3, 7, 2, 7, 6, // back (+y)
    1, 2, 6, 1, 6, 5, // right (+x)
    3, 0, 4, 3, 4, 7, // left (−x)
  ]);
  return { positions, indices };
}

/** A box (group "box") and a tetrahedron (group "tet") in one mesh: 12 vertices, 16 triangles. */
export function twoObjectMesh(): Pick<Mesh, 'positions' | 'indices' | 'groups'> {
  const box = boxMesh(-1.5, 0.1, 1 / 3, 20.25, 12.7, 1e-3);
  const tet = new Float32Array([30, 0, 0, 31.5, 0, 0, 30, 2.5e1, 0, 30, 0, -7.125]);
  const positions = new Float32Array(box.positions.length + tet.length);
  positions.set(box.positions);
  positions.set(tet, box.positions.length);
  const t = [0, 2, 1, 0, 1, 3, 1, 2, 3, 2, 0, 3].map((i) => i + 8);
  const indices = new Uint32Array([...box.indices, ...t]);
  const groups: MeshGroup[] = [
    { name: 'box', start: 0, count: 12 },
    { name: 'tet', start: 12, count: 4 },
  ];
  return { positions, indices, groups };
}

/** The triangles of a mesh as a flat list of 9 coordinates each (independent of vertex sharing). */
export function triangleSoup(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array {
  const out = new Float32Array(mesh.indices.length * 3);
  for (let i = 0; i < mesh.indices.length; i++) {
    const v = mesh.indices[i]! * 3;
    out[3 * i] = mesh.positions[v]!;
    out[3 * i + 1] = mesh.positions[v + 1]!;
    out[3 * i + 2] = mesh.positions[v + 2]!;
  }
  return out;
}
