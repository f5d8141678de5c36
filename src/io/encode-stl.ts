/**
 * STL writers. Binary: 80-byte header, uint32 facet count, 50 bytes per facet (normal from the winding, three
 * float32 vertices, zero attribute). ASCII: one `solid` block per group (or one for the whole mesh).
 */
import type { Mesh, MeshGroup } from '../core/mesh.js';
import { formatFloat32, oneLine } from './text-number.js';

/** The mesh part a writer needs; `groups` is optional and used by formats that can name objects. */
export type EncodableMesh = Pick<Mesh, 'positions' | 'indices'> & { groups?: readonly MeshGroup[] };

/** Unit normal of triangle `t` (zero vector for a degenerate triangle), written into `out`. */
export function faceNormal(mesh: Pick<Mesh, 'positions' | 'indices'>, t: number, out: Float64Array): void {
  const p = mesh.positions;
  const a = mesh.indices[3 * t]! * 3;
  const b = mesh.indices[3 * t + 1]! * 3;
  const c = mesh.indices[3 * t + 2]! * 3;
  const ux = p[b]! - p[a]!;
  const uy = p[b + 1]! - p[a + 1]!;
  const uz = p[b + 2]! - p[a + 2]!;
  const vx = p[c]! - p[a]!;
  const vy = p[c + 1]! - p[a + 1]!;
  const vz = p[c + 2]! - p[a + 2]!;
  const nx = uy * vz - uz * vy;
  const ny = uz * vx - ux * vz;
  const nz = ux * vy - uy * vx;
  const len = Math.hypot(nx, ny, nz);
  const k = len > 0 ? 1 / len : 0;
  out[0] = nx * k;
  out[1] = ny * k;
  out[2] = nz * k;
}

/** Binary STL. The header holds `name` (ASCII, cut to 80 bytes; defaults to "layerwise binary STL"). */
export function encodeStlBinary(mesh: Pick<Mesh, 'positions' | 'indices'>, name = 'layerwise binary STL'): Uint8Array {
  const n = mesh.indices.length / 3;
  const out = new Uint8Array(84 + 50 * n);
  const header = oneLine(name)
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 80);
  for (let i = 0; i < header.length; i++) out[i] = header.charCodeAt(i);
  const dv = new DataView(out.buffer);
  dv.setUint32(80, n, true);
  const nrm = new Float64Array(3);
  const p = mesh.positions;
  const idx = mesh.indices;
  let o = 84;
  for (let t = 0; t < n; t++) {
    faceNormal(mesh, t, nrm);
    dv.setFloat32(o, nrm[0]!, true);
    dv.setFloat32(o + 4, nrm[1]!, true);
    dv.setFloat32(o + 8, nrm[2]!, true);
    o += 12;
    for (let k = 0; k < 3; k++) {
      const v = idx[3 * t + k]! * 3;
      dv.setFloat32(o, p[v]!, true);
      dv.setFloat32(o + 4, p[v + 1]!, true);
      dv.setFloat32(o + 8, p[v + 2]!, true);
      o += 12;
    }
    o += 2;
  }
  return out;
}

/** ASCII STL. With `mesh.groups`, one `solid <group name>` block per group; else one block named `name`. */
export function encodeStlAscii(mesh: EncodableMesh, name = 'layerwise'): string {
  const n = mesh.indices.length / 3;
  const blocks = groupsCovering(mesh.groups, n) ?? [{ name, start: 0, count: n }];
  const lines: string[] = [];
  const nrm = new Float64Array(3);
  const p = mesh.positions;
  const f = formatFloat32;
  for (const g of blocks) {
    const solid = oneLine(g.name);
    lines.push(solid ? `solid ${solid}` : 'solid');
    for (let t = g.start; t < g.start + g.count; t++) {
      faceNormal(mesh, t, nrm);
      lines.push(`  facet normal ${f(nrm[0]!)} ${f(nrm[1]!)} ${f(nrm[2]!)}`, '    outer loop');
      for (let k = 0; k < 3; k++) {
        const v = mesh.indices[3 * t + k]! * 3;
        lines.push(`      vertex ${f(p[v]!)} ${f(p[v + 1]!)} ${f(p[v + 2]!)}`);
      }
      lines.push('    endloop', '  endfacet');
    }
    lines.push(solid ? `endsolid ${solid}` : 'endsolid');
  }
  return `${lines.join('\n')}\n`;
}

/** The groups when they partition the `n` triangles in order (what the group-aware writers need), else undefined. */
export function groupsCovering(groups: readonly MeshGroup[] | undefined, n: number): readonly MeshGroup[] | undefined {
  if (!groups || groups.length === 0) return undefined;
  let next = 0;
  for (const g of groups) {
    if (g.start !== next || g.count < 0) return undefined;
    next += g.count;
  }
  return next === n ? groups : undefined;
}
