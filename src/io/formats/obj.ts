/**
 * Wavefront OBJ (geometry subset): `v x y z [w|r g b]`, `f a b c …` with `a`, `a/t`, `a/t/n` or `a//n` references
 * (1-based; negative = relative to the vertices read so far), polygons fan-triangulated, `o`/`g` start groups.
 * Texture coordinates, normals, materials, smoothing groups, lines and points are ignored. When the file has
 * `o`/`g` statements the groups partition the triangles (faces before the first one form a group named "").
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { parseNumberAt } from '../fast-number.js';
import { MeshBuilder } from '../mesh-builder.js';
import type { ResolvedParseOptions } from '../parse-options.js';
import type { MeshParser } from '../parser.js';
import { decodeText, firstNonSpace, looksLikeText, TextScanner } from '../text-scan.js';

const IGNORED = new Set(['vt', 'vn', 'vp', 'usemtl', 'mtllib', 's', 'l', 'p', 'mg', 'lod', 'shadow_obj', 'trace_obj']);

/** Parses a face reference (`12`, `-1/3`, `4//7`): the vertex part as an integer, or NaN. */
function vertexRef(text: string, start: number, end: number): number {
  let e = start;
  while (e < end && text.charCodeAt(e) !== 47) e++; // up to the first '/'
  if (e === start) return Number.NaN;
  const v = parseNumberAt(text, start, e);
  return Number.isInteger(v) ? v : Number.NaN;
}

export function parseObj(bytes: Uint8Array, options: ResolvedParseOptions): Mesh {
  let text = decodeText(bytes);
  if (text.includes('\\\n') || text.includes('\\\r\n')) text = text.replace(/\\\r?\n/g, ' '); // line continuations
  const s = new TextScanner(text, 'OBJ');
  const m = new MeshBuilder(options, Math.floor(bytes.length / 60), Math.floor(bytes.length / 40));
  const poly: number[] = [];
  let grouped = false;
  let maxRef = -1;
  let maxRefAt = 0;
  while (s.pos < s.length) {
    if (!s.nextOnLine()) {
      s.skipLine();
      continue;
    }
    const c0 = text.charCodeAt(s.start);
    const len = s.end - s.start;
    if (c0 === 35) {
      s.skipLine(); // # comment
    } else if (c0 === 118 && len === 1) {
      const x = s.number('an x coordinate after "v"', true);
      const y = s.number('a y coordinate', true);
      const z = s.number('a z coordinate', true);
      m.addVertex(x, y, z);
      s.skipLine();
    } else if (c0 === 102 && len === 1) {
      poly.length = 0;
      while (s.nextOnLine() && text.charCodeAt(s.start) !== 35) {
        const r = vertexRef(text, s.start, s.end);
        if (Number.isNaN(r) || r === 0) throw s.error(`bad vertex reference "${s.token().slice(0, 40)}" in a face`);
        const i = r > 0 ? r - 1 : m.vertices + r;
        if (i < 0) throw s.error(`relative vertex reference ${r} points before the first vertex`);
        if (i > maxRef) {
          maxRef = i;
          maxRefAt = s.start;
        }
        poly.push(i);
      }
      m.addPolygon(poly, poly.length);
      s.skipLine();
    } else if ((c0 === 111 || c0 === 103) && len === 1) {
      m.startGroup(s.restOfLine().replace(/\s+#.*$/, ''));
      grouped = true;
    } else {
      const word = s.token();
      if (!IGNORED.has(word))
        m.warnings.add('unknown_statement', `unknown OBJ statement "${word.slice(0, 40)}" ignored`);
      s.skipLine();
    }
  }
  if (maxRef >= m.vertices) {
    const line = s.lineAt(maxRefAt);
    throw new LayerwiseError(
      'parse_error',
      `OBJ: a face references vertex ${maxRef + 1} but the file defines only ${m.vertices} (line ${line})`,
      { details: { line, offset: maxRefAt } },
    );
  }
  const mesh = m.finish('obj');
  if (!grouped) mesh.groups = [];
  const first = mesh.groups[0];
  const lead = first ? first.start : mesh.indices.length / 3;
  if (grouped && lead > 0) mesh.groups.unshift({ name: '', start: 0, count: lead });
  return mesh;
}

const OBJ_START = /^(v|vt|vn|vp|f|o|g|s|l|p|usemtl|mtllib)\s/;

export const objParser: MeshParser = {
  format: 'obj',
  /** Text whose first statement (after comments and blank lines) is an OBJ keyword, or only comments. */
  detect(bytes) {
    if (!looksLikeText(bytes, 4096)) return false;
    const head = decodeText(bytes.subarray(firstNonSpace(bytes), Math.min(bytes.length, 64 * 1024)));
    for (const raw of head.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      return OBJ_START.test(`${line} `);
    }
    return head.trim().length > 0; // comments only: an empty OBJ
  },
  parse: parseObj,
};
