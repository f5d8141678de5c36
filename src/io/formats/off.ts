/**
 * OFF (Object File Format, Geomview): a header keyword `[ST][C][N][4][n]OFF`, then `vertices faces edges` (on the
 * header line too, even glued to it as in `OFF8 6 12`), vertex lines, and face lines `k i1 … ik [colour]`.
 * Comments (`#`) and blank lines anywhere; extra values per line (normals, colours, texture coordinates) are
 * ignored, so COFF/NOFF/STOFF need no special casing. Polygons are fan-triangulated. `OFF BINARY` is unsupported.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { MeshBuilder } from '../mesh-builder.js';
import type { ResolvedParseOptions } from '../parse-options.js';
import type { MeshParser } from '../parser.js';
import { decodeText, firstNonSpace, looksLikeText, TextScanner } from '../text-scan.js';

const KEYWORD = /^(ST)?(C)?(N)?(4)?(n)?OFF/;

/** Moves the scanner to the next token that is not inside a comment (comments run to the end of the line). */
function nextToken(s: TextScanner, sameLine: boolean): boolean {
  for (;;) {
    const ok = sameLine ? s.nextOnLine() : s.next();
    if (!ok) return false;
    if (s.text.charCodeAt(s.start) !== 35) return true;
    if (sameLine) {
      // leave the position before the newline so the caller sees the line end
      const e = s.text.indexOf('\n', s.pos);
      s.pos = e < 0 ? s.length : e;
      return false;
    }
    s.skipLine();
  }
}

function count(s: TextScanner, what: string, sameLine: boolean): number {
  if (!nextToken(s, sameLine)) throw s.error(`expected the ${what} count`);
  const v = s.tokenNumber();
  if (!Number.isInteger(v) || v < 0) throw s.error(`expected the ${what} count but found "${s.token().slice(0, 40)}"`);
  return v;
}

export function parseOff(bytes: Uint8Array, options: ResolvedParseOptions): Mesh {
  const s = new TextScanner(decodeText(bytes), 'OFF');
  if (!nextToken(s, false)) throw s.error('empty file');
  const head = KEYWORD.exec(s.token());
  if (!head) throw s.error(`expected an OFF header keyword but found "${s.token().slice(0, 40)}"`);
  if (head[5]) {
    throw new LayerwiseError(
      'unsupported',
      'nOFF (vertex dimension given in the file) is not supported; convert to OFF',
    );
  }
  const glued = s.token().slice(head[0].length);
  let nv: number;
  if (glued !== '') {
    nv = Number(glued);
    if (!Number.isInteger(nv) || nv < 0) throw s.error(`bad vertex count "${glued}" after the OFF keyword`);
  } else {
    const save = s.pos;
    if (nextToken(s, true) && s.is('binary')) {
      throw new LayerwiseError('unsupported', 'binary OFF is not supported; convert it to ASCII OFF, PLY or STL');
    }
    s.pos = save;
    nv = count(s, 'vertex', false);
  }
  const nf = count(s, 'face', false);
  if (nextToken(s, true)) s.tokenNumber(); // edge count (ignored)
  const m = new MeshBuilder(options, nv, nf, bytes.length);
  for (let i = 0; i < nv; i++) {
    if (!nextToken(s, false)) throw s.error(`the file ends after ${i} of ${nv} vertices`);
    const x = s.tokenNumber();
    if (Number.isNaN(x)) throw s.error(`expected a vertex coordinate but found "${s.token().slice(0, 40)}"`);
    const y = s.number('a y coordinate', true);
    const z = s.number('a z coordinate', true);
    m.addVertex(x, y, z);
    if (head[4]) s.number('a w coordinate', true);
    s.skipLine();
  }
  const poly: number[] = [];
  for (let f = 0; f < nf; f++) {
    if (!nextToken(s, false)) throw s.error(`the file ends after ${f} of ${nf} faces`);
    const k = s.tokenNumber();
    if (!Number.isInteger(k) || k < 0) throw s.error(`expected a face size but found "${s.token().slice(0, 40)}"`);
    poly.length = 0;
    for (let j = 0; j < k; j++) {
      const v = s.integer('a vertex index', true);
      if (v >= nv) throw s.error(`face ${f} references vertex ${v} but there are ${nv}`);
      poly.push(v);
    }
    m.addPolygon(poly, k);
    s.skipLine();
  }
  return m.finish('off');
}

export const offParser: MeshParser = {
  format: 'off',
  detect(bytes) {
    if (!looksLikeText(bytes, 256)) return false;
    const s = new TextScanner(decodeText(bytes.subarray(firstNonSpace(bytes), Math.min(bytes.length, 4096))), 'OFF');
    return nextToken(s, false) && KEYWORD.test(s.token());
  },
  parse: parseOff,
};
