/**
 * The body of a 3MF `<mesh>` element — thousands of `<vertex x y z/>` and `<triangle v1 v2 v3/>` tags — read by a
 * hand-written scanner (the surrounding structure goes through fast-xml-parser, which leaves `<mesh>` raw as a
 * stop node): an order of magnitude faster than building objects per tag. Attributes may use either quote and
 * any namespace prefix; other tags (beam lattices, slices) are skipped.
 */
import { LayerwiseError } from '../../core/errors.js';

function bad(part: string, message: string): LayerwiseError {
  return new LayerwiseError('parse_error', `3MF ${part}: ${message}`, { details: { part } });
}

class F64Builder {
  data = new Float64Array(3 * 1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Reads the attributes of the tag starting after its name at `i` until `>`; returns the index after `>`. */
function readAttributes(s: string, i: number, names: readonly string[], out: number[]): number {
  out[0] = out[1] = out[2] = Number.NaN;
  const n = s.length;
  for (;;) {
    while (i < n && s.charCodeAt(i) <= 32) i++;
    const c = s.charCodeAt(i);
    if (i >= n) return n;
    if (c === 62) return i + 1; // '>'
    if (c === 47) {
      i++; // '/'
      continue;
    }
    const eq = s.indexOf('=', i);
    if (eq < 0) return n;
    const name = s.slice(i, eq).trim();
    let q = eq + 1;
    while (q < n && s.charCodeAt(q) <= 32) q++;
    const quote = s[q];
    if (quote !== '"' && quote !== "'") return n;
    const end = s.indexOf(quote, q + 1);
    if (end < 0) return n;
    const k = names.indexOf(name.slice(name.indexOf(':') + 1));
    if (k >= 0) out[k] = Number(s.slice(q + 1, end));
    i = end + 1;
  }
}

const VERTEX = ['x', 'y', 'z'] as const;
const TRIANGLE = ['v1', 'v2', 'v3'] as const;

/** Vertices (raw, in the model unit) and triangle indices of one `<mesh>` body; indices are range-checked. */
export function scanMeshBody(
  body: string,
  part: string,
  objectId: string,
): { vertices: Float64Array; triangles: Uint32Array } {
  const vs = new F64Builder();
  const ts = new F64Builder();
  const attrs = [0, 0, 0];
  const n = body.length;
  let i = body.indexOf('<');
  while (i >= 0 && i < n) {
    let j = i + 1;
    while (j < n && body.charCodeAt(j) > 32 && body[j] !== '/' && body[j] !== '>') j++;
    let name = body.slice(i + 1, j);
    const colon = name.indexOf(':');
    if (colon >= 0) name = name.slice(colon + 1);
    if (name === 'vertex') {
      i = readAttributes(body, j, VERTEX, attrs);
      if (!Number.isFinite(attrs[0]! + attrs[1]! + attrs[2]!)) {
        throw bad(part, `object ${objectId} vertex ${vs.length / 3} has a missing or bad coordinate`);
      }
      vs.push(attrs[0]!);
      vs.push(attrs[1]!);
      vs.push(attrs[2]!);
    } else if (name === 'triangle') {
      i = readAttributes(body, j, TRIANGLE, attrs);
      const nv = vs.length / 3;
      for (let k = 0; k < 3; k++) {
        const v = attrs[k]!;
        if (!Number.isInteger(v) || v < 0 || v >= nv) {
          throw bad(part, `object ${objectId} triangle ${ts.length / 3} references vertex ${v} of ${nv}`);
        }
        ts.push(v);
      }
    } else {
      i = j;
    }
    i = body.indexOf('<', i);
  }
  return { vertices: vs.toArray(), triangles: Uint32Array.from(ts.toArray()) };
}
