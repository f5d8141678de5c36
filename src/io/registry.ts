/**
 * The parser registry: one line per format. Detection runs in this order — formats with a magic number first,
 * binary STL (which has none) last — and always looks at the content, never at a file name.
 */

import { LayerwiseError } from '../core/errors.js';
import type { MeshFormat } from '../core/mesh.js';
import { objParser } from './formats/obj.js';
import { offParser } from './formats/off.js';
import { plyParser } from './formats/ply.js';
import { stlAsciiParser } from './formats/stl-ascii.js';
import { stlBinaryParser } from './formats/stl-binary.js';
import { threeMfParser } from './formats/threemf.js';
import type { MeshParser } from './parser.js';

export const MESH_PARSERS: readonly MeshParser[] = [
  threeMfParser,
  plyParser,
  offParser,
  stlAsciiParser,
  objParser,
  stlBinaryParser,
];

export function parserFor(format: MeshFormat): MeshParser {
  const p = MESH_PARSERS.find((x) => x.format === format);
  if (!p) throw new LayerwiseError('unsupported', `no parser registered for ${format}`);
  return p;
}

/** The format of some bytes judged from their content, or undefined when no parser recognises them. */
export function detectFormat(bytes: Uint8Array): MeshFormat | undefined {
  return MESH_PARSERS.find((p) => p.detect(bytes))?.format;
}
