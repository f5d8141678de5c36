/**
 * PLY header (Turk 1994, "The PLY Polygon File Format"): `ply`, `format …`, `element name count`, `property type
 * name` / `property list count-type item-type name`, `end_header`. Parsed into plain element descriptions that the
 * ASCII and binary body readers share.
 */
import { LayerwiseError } from '../../core/errors.js';

export type PlyScalar = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

export interface PlyProperty {
  name: string;
  type: PlyScalar;
  /** Set for list properties: the type of the leading count. */
  countType?: PlyScalar;
}

export interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

export interface PlyHeader {
  format: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  elements: PlyElement[];
  /** Byte offset of the body (just after `end_header` and its line break). */
  bodyOffset: number;
}

const TYPES: Readonly<Record<string, PlyScalar>> = {
  char: 'int8',
  int8: 'int8',
  uchar: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};

export const PLY_SIZE: Readonly<Record<PlyScalar, number>> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

const MAX_HEADER = 1 << 20;

function fail(message: string, line: number): LayerwiseError {
  return new LayerwiseError('parse_error', `PLY header: ${message} (line ${line})`, { details: { line } });
}

function scalar(name: string | undefined, line: number): PlyScalar {
  const t = name === undefined ? undefined : TYPES[name];
  if (!t) throw fail(`unknown property type "${String(name).slice(0, 30)}"`, line);
  return t;
}

export function parsePlyHeader(bytes: Uint8Array): PlyHeader {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, MAX_HEADER)));
  const end = /(^|\n)end_header[ \t]*\r?\n/.exec(head);
  if (!end) throw fail('no "end_header" line within the first 1 MiB', 1);
  const lines = head.slice(0, end.index + end[0].length).split('\n');
  let format: PlyHeader['format'] | undefined;
  const elements: PlyElement[] = [];
  for (let i = 0; i < lines.length; i++) {
    const words = lines[i]!.trim().split(/\s+/);
    const key = words[0];
    const line = i + 1;
    if (i === 0) {
      if (key !== 'ply') throw fail('the file must start with "ply"', line);
    } else if (key === 'format') {
      const f = words[1];
      if (f !== 'ascii' && f !== 'binary_little_endian' && f !== 'binary_big_endian') {
        throw fail(`unknown format "${String(f).slice(0, 30)}"`, line);
      }
      format = f;
    } else if (key === 'element') {
      const count = Number(words[2]);
      if (!words[1] || !Number.isInteger(count) || count < 0) throw fail('bad element line', line);
      elements.push({ name: words[1], count, properties: [] });
    } else if (key === 'property') {
      const el = elements[elements.length - 1];
      if (!el) throw fail('a property before any element', line);
      if (words[1] === 'list') {
        if (!words[4]) throw fail('a list property needs count type, item type and name', line);
        el.properties.push({ name: words[4], type: scalar(words[3], line), countType: scalar(words[2], line) });
      } else {
        if (!words[2]) throw fail('a property needs a type and a name', line);
        el.properties.push({ name: words[2], type: scalar(words[1], line) });
      }
    } else if (key !== 'comment' && key !== 'obj_info' && key !== 'end_header' && key !== '') {
      throw fail(`unexpected header line "${lines[i]!.trim().slice(0, 40)}"`, line);
    }
  }
  if (!format) throw fail('no "format" line', 2);
  return { format, elements, bodyOffset: end.index + end[0].length };
}
