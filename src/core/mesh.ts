/**
 * The in-memory mesh every parser produces and every analysis consumes: flat typed arrays, millimetres.
 */

export type MeshFormat = 'stl-binary' | 'stl-ascii' | 'obj' | 'ply' | 'off' | '3mf';

/** A named object inside a file (OBJ `o`/`g`, 3MF object, STL `solid` block): a contiguous range of triangles. */
export interface MeshGroup {
  name: string;
  /** First triangle index of the group. */
  start: number;
  /** Number of triangles in the group. */
  count: number;
}

export interface MeshWarning {
  code: string;
  message: string;
  /** How many times it occurred (warnings are aggregated, never printed). */
  count?: number;
}

export interface Mesh {
  /** x, y, z per vertex, in millimetres. Length = 3 × vertex count. */
  positions: Float32Array;
  /** Three vertex indices per triangle. Length = 3 × triangle count. */
  indices: Uint32Array;
  /**
   * Named objects, in triangle order, partitioning the triangles: ASCII STL `solid` blocks, OBJ `o`/`g` sections,
   * 3MF build items. Empty for formats or files without named objects (binary STL, PLY, OFF, OBJ without o/g).
   */
  groups: MeshGroup[];
  format: MeshFormat;
  warnings: MeshWarning[];
}

export function triangleCount(mesh: Pick<Mesh, 'indices'>): number {
  return mesh.indices.length / 3;
}

export function vertexCount(mesh: Pick<Mesh, 'positions'>): number {
  return mesh.positions.length / 3;
}

/** Axis-aligned bounds of the referenced vertices: [minX, minY, minZ, maxX, maxY, maxZ]. */
export function meshBounds(
  mesh: Pick<Mesh, 'positions' | 'indices'>,
): [number, number, number, number, number, number] {
  const p = mesh.positions;
  const b: [number, number, number, number, number, number] = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  const idx = mesh.indices;
  for (let t = 0; t < idx.length; t++) {
    const o = idx[t]! * 3;
    for (let a = 0; a < 3; a++) {
      const v = p[o + a]!;
      if (v < b[a]!) b[a] = v;
      if (v > b[a + 3]!) b[a + 3] = v;
    }
  }
  if (idx.length === 0) return [0, 0, 0, 0, 0, 0];
  return b;
}
