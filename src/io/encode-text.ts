/**
 * Writers for the indexed text/binary formats: Wavefront OBJ (`o` per group), OFF, and PLY (ASCII or binary,
 * either byte order). Vertices are written once and shared; indices are kept as they are.
 */

import type { Mesh } from '../core/mesh.js';
import { type EncodableMesh, groupsCovering } from './encode-stl.js';
import { formatFloat32, oneLine } from './text-number.js';

function vertexLines(p: Float32Array, prefix: string, lines: string[]): void {
  const f = formatFloat32;
  for (let i = 0; i < p.length; i += 3) lines.push(`${prefix}${f(p[i]!)} ${f(p[i + 1]!)} ${f(p[i + 2]!)}`);
}

/** Wavefront OBJ: `v` lines, then `f` lines (1-based); an `o <name>` line starts each group. */
export function encodeObj(mesh: EncodableMesh): string {
  const lines = ['# layerwise OBJ'];
  vertexLines(mesh.positions, 'v ', lines);
  const n = mesh.indices.length / 3;
  const groups = groupsCovering(mesh.groups, n) ?? [{ name: '', start: 0, count: n }];
  const idx = mesh.indices;
  for (const g of groups) {
    const name = oneLine(g.name);
    if (name) lines.push(`o ${name}`);
    for (let t = g.start; t < g.start + g.count; t++) {
      lines.push(`f ${idx[3 * t]! + 1} ${idx[3 * t + 1]! + 1} ${idx[3 * t + 2]! + 1}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** OFF (Object File Format): `OFF`, counts line, vertices, `3 a b c` faces. */
export function encodeOff(mesh: Pick<Mesh, 'positions' | 'indices'>): string {
  const nv = mesh.positions.length / 3;
  const nf = mesh.indices.length / 3;
  const lines = ['OFF', `${nv} ${nf} 0`];
  vertexLines(mesh.positions, '', lines);
  const idx = mesh.indices;
  for (let t = 0; t < nf; t++) lines.push(`3 ${idx[3 * t]} ${idx[3 * t + 1]} ${idx[3 * t + 2]}`);
  return `${lines.join('\n')}\n`;
}

export interface PlyEncodeOptions {
  /** Binary body (default true); false writes `format ascii 1.0`. */
  binary?: boolean;
  /** Byte order of a binary body (default true = `binary_little_endian`). */
  littleEndian?: boolean;
}

/** PLY with float x/y/z vertices and `list uchar int vertex_indices` faces; always returned as bytes. */
export function encodePly(mesh: Pick<Mesh, 'positions' | 'indices'>, options: PlyEncodeOptions = {}): Uint8Array {
  const binary = options.binary ?? true;
  const le = options.littleEndian ?? true;
  const nv = mesh.positions.length / 3;
  const nf = mesh.indices.length / 3;
  const format = !binary ? 'ascii' : le ? 'binary_little_endian' : 'binary_big_endian';
  const header =
    `ply\nformat ${format} 1.0\ncomment layerwise\nelement vertex ${nv}\n` +
    'property float x\nproperty float y\nproperty float z\n' +
    `element face ${nf}\nproperty list uchar int vertex_indices\nend_header\n`;
  const enc = new TextEncoder();
  if (!binary) {
    const lines: string[] = [];
    vertexLines(mesh.positions, '', lines);
    const idx = mesh.indices;
    for (let t = 0; t < nf; t++) lines.push(`3 ${idx[3 * t]} ${idx[3 * t + 1]} ${idx[3 * t + 2]}`);
    return enc.encode(`${header}${lines.join('\n')}\n`);
  }
  const head = enc.encode(header);
  const out = new Uint8Array(head.length + 12 * nv + 13 * nf);
  out.set(head, 0);
  const dv = new DataView(out.buffer);
  let o = head.length;
  const p = mesh.positions;
  for (let i = 0; i < p.length; i++, o += 4) dv.setFloat32(o, p[i]!, le);
  const idx = mesh.indices;
  for (let t = 0; t < nf; t++) {
    out[o++] = 3;
    for (let k = 0; k < 3; k++, o += 4) dv.setInt32(o, idx[3 * t + k]!, le);
  }
  return out;
}
