/**
 * ASCII STL: `solid name` … `facet normal n n n / outer loop / vertex x y z ×3 / endloop / endfacet` … `endsolid`.
 * Keywords are case-insensitive, any whitespace and CRLF are accepted, several `solid` blocks become groups.
 * Lenient where readers disagree (missing or NaN normals, missing `endsolid`, name mismatch, facets with other
 * than three vertices: fanned or skipped, each with a warning); strict on coordinates (must be finite numbers).
 */
import type { Mesh } from '../../core/mesh.js';
import { MeshBuilder } from '../mesh-builder.js';
import type { ResolvedParseOptions } from '../parse-options.js';
import type { MeshParser } from '../parser.js';
import { decodeText, firstNonSpace, TextScanner } from '../text-scan.js';
import { isAsciiStl } from './stl-binary.js';

export function parseStlAscii(bytes: Uint8Array, options: ResolvedParseOptions): Mesh {
  const s = new TextScanner(decodeText(bytes), 'ASCII STL');
  const m = new MeshBuilder(options, 3 * Math.floor(bytes.length / 250), Math.floor(bytes.length / 250));
  const poly: number[] = [];
  const normal = [0, 0, 0];
  let hasNormal = false;
  let inSolid = false;
  let solids = 0;

  const endFacet = (): void => {
    const n = poly.length;
    if (n === 3) {
      if (hasNormal) checkNormal(m, poly, normal);
      m.addTriangle(poly[0]!, poly[1]!, poly[2]!);
    } else if (n > 3) {
      m.warnings.add('polygon_facet', `a facet with ${n} vertices was fan-triangulated`);
      m.addPolygon(poly, n);
    } else {
      m.warnings.add('short_face', `a facet with ${n} vertices was skipped (facets need 3)`);
    }
    poly.length = 0;
    hasNormal = false;
  };

  while (s.next()) {
    if (s.is('vertex')) {
      const x = s.number('an x coordinate after "vertex"');
      const y = s.number('a y coordinate');
      const z = s.number('a z coordinate');
      poly.push(m.vertices);
      m.addVertex(x, y, z);
    } else if (s.is('facet')) {
      if (poly.length > 0) {
        m.warnings.add('missing_endfacet', 'a facet was not closed with "endfacet"');
        endFacet();
      }
      hasNormal = readNormal(s, normal, m);
    } else if (s.is('endfacet')) {
      endFacet();
    } else if (s.is('outer') || s.is('loop') || s.is('endloop')) {
      // structure only
    } else if (s.is('solid')) {
      if (poly.length > 0) endFacet();
      if (inSolid) m.warnings.add('missing_endsolid', 'a "solid" block was not closed with "endsolid"');
      m.startGroup(s.restOfLine());
      inSolid = true;
      solids++;
    } else if (s.is('endsolid')) {
      if (poly.length > 0) endFacet();
      s.restOfLine();
      m.endGroup();
      inSolid = false;
    } else {
      throw s.error(`unexpected "${s.token().slice(0, 40)}" (expected solid, facet, vertex, endloop, endfacet …)`);
    }
  }
  if (poly.length > 0) {
    m.warnings.add('missing_endfacet', 'a facet was not closed with "endfacet"');
    endFacet();
  }
  if (inSolid) m.warnings.add('missing_endsolid', 'the last "solid" block was not closed with "endsolid"');
  if (solids === 0) throw s.error('no "solid" block found', 0);
  return m.finish('stl-ascii');
}

/** Reads `normal nx ny nz` after `facet`; false (with a warning) when missing or not numeric. */
function readNormal(s: TextScanner, out: number[], m: MeshBuilder): boolean {
  if (!s.nextOnLine()) {
    m.warnings.add('missing_normal', 'a facet has no normal');
    return false;
  }
  let ok = s.is('normal');
  for (let k = 0; k < 3 && ok; k++) {
    ok = s.nextOnLine();
    out[k] = ok ? s.tokenNumber() : Number.NaN;
    ok = ok && !Number.isNaN(out[k]);
  }
  if (!ok) {
    m.warnings.add('missing_normal', 'a facet normal is missing or not numeric; it was ignored');
    s.skipLine();
  }
  return ok;
}

/** Counts a warning when the stored normal points against the winding of the triangle just read. */
function checkNormal(m: MeshBuilder, poly: number[], n: number[]): void {
  const p = m.positions.data;
  const a = 3 * poly[0]!;
  const b = 3 * poly[1]!;
  const c = 3 * poly[2]!;
  const ux = p[b]! - p[a]!;
  const uy = p[b + 1]! - p[a + 1]!;
  const uz = p[b + 2]! - p[a + 2]!;
  const vx = p[c]! - p[a]!;
  const vy = p[c + 1]! - p[a + 1]!;
  const vz = p[c + 2]! - p[a + 2]!;
  const d = n[0]! * (uy * vz - uz * vy) + n[1]! * (uz * vx - ux * vz) + n[2]! * (ux * vy - uy * vx);
  if (d < 0) m.warnings.add('normal_mismatch', 'a stored facet normal points against the vertex winding');
}

export const stlAsciiParser: MeshParser = {
  format: 'stl-ascii',
  detect: (bytes) => isAsciiStl(bytes, firstNonSpace(bytes)),
  parse: parseStlAscii,
};
