/**
 * Binary STL: 80-byte header, uint32 LE facet count, then 50-byte records (normal, three vertices as float32 LE,
 * uint16 attribute). Read in one pass with a DataView straight into flat arrays (3 unique vertices per triangle; the
 * analysis welds). A count field that disagrees with the file length gives a warning and the length is trusted
 * when it is a whole number of records; stored normals that disagree with the winding and zero-area faces are
 * counted into warnings.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { checkLimit, type ResolvedParseOptions } from '../parse-options.js';
import type { MeshParser } from '../parser.js';
import { firstNonSpace, looksLikeText, startsWithWord } from '../text-scan.js';
import { WarningSink } from '../warnings.js';

const HEADER = 84;
const RECORD = 50;

/** True when the length is exactly 84 + 50 × the declared facet count (a binary STL, whatever its header says). */
export function hasExactBinarySize(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER) return false;
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
  return HEADER + RECORD * count === bytes.length;
}

/**
 * True when a file that starts with `solid` is really ASCII: not of exact binary size (an ASCII file cannot be: its
 * count bytes would be printable, i.e. over 538 million facets) and text-like, or naming a facet early on.
 */
export function isAsciiStl(bytes: Uint8Array, at: number): boolean {
  if (!startsWithWord(bytes, at, 'solid') || hasExactBinarySize(bytes)) return false;
  if (looksLikeText(bytes.subarray(at), 1024)) return true;
  const head = new TextDecoder('latin1').decode(bytes.subarray(at, at + 1024)).toLowerCase();
  return head.includes('facet') || head.includes('endsolid');
}

/** Number of records to read, plus a warning when the count field and the length disagree. */
function recordCount(bytes: Uint8Array, dv: DataView, warnings: WarningSink): number {
  const declared = dv.getUint32(80, true);
  const body = bytes.length - HEADER;
  const byLength = Math.floor(body / RECORD);
  if (body % RECORD === 0) {
    if (declared !== byLength) {
      warnings.add(
        'facet_count_mismatch',
        `the header declares ${declared} facets but the file length holds ${byLength}; the length was trusted`,
      );
    }
    return byLength;
  }
  if (declared <= byLength) {
    warnings.add(
      'trailing_bytes',
      `${body - declared * RECORD} bytes follow the ${declared} declared facets and were ignored`,
    );
    return declared;
  }
  throw new LayerwiseError(
    'parse_error',
    `binary STL is truncated: the header declares ${declared} facets (${HEADER + declared * RECORD} bytes) but the ` +
      `file has ${bytes.length} bytes`,
    { details: { offset: HEADER + byLength * RECORD } },
  );
}

export function parseStlBinary(bytes: Uint8Array, options: ResolvedParseOptions): Mesh {
  if (bytes.length < HEADER) {
    throw new LayerwiseError('parse_error', `binary STL needs at least 84 bytes, got ${bytes.length}`, {
      details: { offset: bytes.length },
    });
  }
  const warnings = new WarningSink();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = recordCount(bytes, dv, warnings);
  checkLimit(n, options.maxTriangles, 'binary STL facet count', 'maxTriangles');
  checkLimit(3 * n, options.maxVertices, 'binary STL vertex count', 'maxVertices');
  const positions = new Float32Array(9 * n);
  const indices = new Uint32Array(3 * n);
  let flipped = 0;
  let degenerate = 0;
  let nonFinite = 0;
  for (let t = 0, o = HEADER, p = 0; t < n; t++, o += RECORD, p += 9) {
    const nx = dv.getFloat32(o, true);
    const ny = dv.getFloat32(o + 4, true);
    const nz = dv.getFloat32(o + 8, true);
    const ax = dv.getFloat32(o + 12, true);
    const ay = dv.getFloat32(o + 16, true);
    const az = dv.getFloat32(o + 20, true);
    const bx = dv.getFloat32(o + 24, true);
    const by = dv.getFloat32(o + 28, true);
    const bz = dv.getFloat32(o + 32, true);
    const cx = dv.getFloat32(o + 36, true);
    const cy = dv.getFloat32(o + 40, true);
    const cz = dv.getFloat32(o + 44, true);
    positions[p] = ax;
    positions[p + 1] = ay;
    positions[p + 2] = az;
    positions[p + 3] = bx;
    positions[p + 4] = by;
    positions[p + 5] = bz;
    positions[p + 6] = cx;
    positions[p + 7] = cy;
    positions[p + 8] = cz;
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const vx = cx - ax;
    const vy = cy - ay;
    const vz = cz - az;
    const wx = uy * vz - uz * vy;
    const wy = uz * vx - ux * vz;
    const wz = ux * vy - uy * vx;
    const d = nx * wx + ny * wy + nz * wz;
    if (d < 0) flipped++;
    const s = wx + wy + wz;
    if (s - s !== 0) nonFinite++; // NaN or ±Infinity somewhere in the triangle
    if (wx === 0 && wy === 0 && wz === 0) degenerate++;
  }
  for (let i = 0; i < indices.length; i++) indices[i] = i;
  if (flipped > 0) warnings.add('normal_mismatch', 'a stored facet normal points against the vertex winding', flipped);
  if (degenerate > 0)
    warnings.add('degenerate_face', 'a face has zero area (repeated or collinear vertices)', degenerate);
  if (nonFinite > 0) {
    for (let i = 0; i < positions.length; i++) {
      if (!Number.isFinite(positions[i]!)) {
        throw new LayerwiseError('parse_error', `binary STL has a non-finite coordinate (${positions[i]})`, {
          details: { offset: HEADER + Math.floor(i / 9) * RECORD + 12 + (i % 9) * 4 },
        });
      }
    }
  }
  if (options.unitScale !== 1)
    for (let i = 0; i < positions.length; i++) positions[i] = positions[i]! * options.unitScale;
  return { positions, indices, groups: [], format: 'stl-binary', warnings: warnings.list() };
}

export const stlBinaryParser: MeshParser = {
  format: 'stl-binary',
  /**
   * Binary STL has no magic: an input of at least 84 bytes qualifies when its length matches the facet count, or
   * when it is not text (other text formats such as AMF must not be misread as a truncated STL).
   */
  detect: (bytes) =>
    bytes.length >= HEADER &&
    (hasExactBinarySize(bytes) || (!looksLikeText(bytes, 1024) && !isAsciiStl(bytes, firstNonSpace(bytes)))),
  parse: parseStlBinary,
};
