/**
 * PLY bodies: ASCII and binary (little/big endian). Reads `x`, `y`, `z` of the `vertex` element and the
 * `vertex_indices` (or `vertex_index`) list of the `face` element; every other property or element — normals,
 * colours, list texture coordinates, point lists — is read past and ignored. Faces are fan-triangulated.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { MeshBuilder } from '../mesh-builder.js';
import type { ResolvedParseOptions } from '../parse-options.js';
import type { MeshParser } from '../parser.js';
import { startsWithWord, TextScanner } from '../text-scan.js';
import { PLY_SIZE, type PlyElement, type PlyHeader, type PlyScalar, parsePlyHeader } from './ply-header.js';

/** Where the parser wants each property's value: 0..2 = x/y/z, 3 = face index list, -1 = ignore. */
function roles(el: PlyElement): number[] {
  if (el.name === 'vertex') return el.properties.map((p) => (p.countType ? -1 : ['x', 'y', 'z'].indexOf(p.name)));
  if (el.name === 'face') {
    return el.properties.map((p) =>
      p.countType && (p.name === 'vertex_indices' || p.name === 'vertex_index') ? 3 : -1,
    );
  }
  return el.properties.map(() => -1);
}

function read(dv: DataView, o: number, t: PlyScalar, le: boolean): number {
  switch (t) {
    case 'float32':
      return dv.getFloat32(o, le);
    case 'int32':
      return dv.getInt32(o, le);
    case 'uint32':
      return dv.getUint32(o, le);
    case 'uint8':
      return dv.getUint8(o);
    case 'int8':
      return dv.getInt8(o);
    case 'int16':
      return dv.getInt16(o, le);
    case 'uint16':
      return dv.getUint16(o, le);
    case 'float64':
      return dv.getFloat64(o, le);
  }
}

interface Sink {
  m: MeshBuilder;
  nv: number;
  xyz: number[];
  poly: number[];
}

function endRow(el: PlyElement, sink: Sink, rowHasXyz: boolean, hasList: boolean, at: () => LayerwiseError): void {
  if (el.name === 'vertex' && rowHasXyz) {
    const [x, y, z] = sink.xyz;
    if (!Number.isFinite(x! + y! + z!)) throw at();
    sink.m.addVertex(x!, y!, z!);
  } else if (el.name === 'face' && hasList) {
    for (const v of sink.poly) {
      if (!Number.isInteger(v) || v < 0 || v >= sink.nv) {
        throw new LayerwiseError('parse_error', `PLY: a face references vertex ${v} but there are ${sink.nv}`, {
          details: at().details,
        });
      }
    }
    sink.m.addPolygon(sink.poly, sink.poly.length);
  }
}

function parseBinary(bytes: Uint8Array, h: PlyHeader, sink: Sink): void {
  const le = h.format === 'binary_little_endian';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = h.bodyOffset;
  const fail = (): LayerwiseError =>
    new LayerwiseError('parse_error', `PLY: bad or truncated binary body near byte ${o}`, { details: { offset: o } });
  try {
    for (const el of h.elements) {
      const r = roles(el);
      const hasXyz = r.includes(0) && r.includes(1) && r.includes(2);
      const hasList = r.includes(3);
      if (el.properties.length === 0) continue;
      for (let row = 0; row < el.count; row++) {
        for (let k = 0; k < el.properties.length; k++) {
          const p = el.properties[k]!;
          if (p.countType) {
            const n = read(dv, o, p.countType, le);
            o += PLY_SIZE[p.countType];
            const size = PLY_SIZE[p.type];
            if (o + n * size > bytes.length || n < 0) throw fail();
            if (r[k] === 3) {
              sink.poly.length = 0;
              for (let j = 0; j < n; j++) sink.poly.push(read(dv, o + j * size, p.type, le));
            }
            o += n * size;
          } else {
            const role = r[k]!;
            if (role >= 0) sink.xyz[role] = read(dv, o, p.type, le);
            o += PLY_SIZE[p.type];
          }
        }
        if (o > bytes.length) throw fail();
        endRow(el, sink, hasXyz, hasList, fail);
      }
    }
  } catch (e) {
    if (e instanceof RangeError) throw fail();
    throw e;
  }
}

function parseAscii(bytes: Uint8Array, h: PlyHeader, sink: Sink): void {
  const s = new TextScanner(new TextDecoder('latin1').decode(bytes.subarray(h.bodyOffset)), 'PLY');
  const at = (): LayerwiseError => s.error('bad value');
  for (const el of h.elements) {
    const r = roles(el);
    const hasXyz = r.includes(0) && r.includes(1) && r.includes(2);
    const hasList = r.includes(3);
    if (el.properties.length === 0) continue;
    for (let row = 0; row < el.count; row++) {
      for (let k = 0; k < el.properties.length; k++) {
        const p = el.properties[k]!;
        if (p.countType) {
          const n = s.integer(`the length of list "${p.name}"`);
          if (r[k] === 3) sink.poly.length = 0;
          for (let j = 0; j < n; j++) {
            const v = s.number(`an item of list "${p.name}"`);
            if (r[k] === 3) sink.poly.push(v);
          }
        } else {
          const v = s.number(`property "${p.name}" of element "${el.name}"`);
          const role = r[k]!;
          if (role >= 0) sink.xyz[role] = v;
        }
      }
      endRow(el, sink, hasXyz, hasList, at);
    }
  }
}

export function parsePly(bytes: Uint8Array, options: ResolvedParseOptions): Mesh {
  const h = parsePlyHeader(bytes);
  const nv = h.elements.find((e) => e.name === 'vertex')?.count ?? 0;
  const nf = h.elements.find((e) => e.name === 'face')?.count ?? 0;
  const m = new MeshBuilder(options, nv, nf, bytes.length);
  const sink: Sink = { m, nv, xyz: [0, 0, 0], poly: [] };
  if (h.format === 'ascii') parseAscii(bytes, h, sink);
  else parseBinary(bytes, h, sink);
  const vertexEl = h.elements.find((e) => e.name === 'vertex');
  if (vertexEl && vertexEl.count > 0 && m.vertices === 0) {
    throw new LayerwiseError('parse_error', 'PLY: the vertex element has no x, y and z properties');
  }
  return m.finish('ply');
}

export const plyParser: MeshParser = {
  format: 'ply',
  detect: (bytes) => startsWithWord(bytes, 0, 'ply') && (bytes[3] === 10 || bytes[3] === 13),
  parse: parsePly,
};
