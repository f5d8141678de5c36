/**
 * Property-based fuzzing of the mesh parsers with fast-check (issue 15): seeded and bounded so that CI runs the same
 * cases in a few seconds. Properties: any input gives a well-formed mesh or a typed `LayerwiseError` (never another
 * exception); hostile headers that declare huge counts are refused by a named limit before anything big is
 * allocated; memory stays bounded over the whole run; what the encoders write parses back to the same triangles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { encode3mf, encodeObj, encodeOff, encodePly, encodeStlAscii, encodeStlBinary } from './encode.js';
import { parseMesh } from './parse.js';

const SEED = 20261206;
const LIMITS = { maxTriangles: 100_000, maxVertices: 300_000, maxZipEntryBytes: 8 * 1024 * 1024 };
const TYPED = new Set(['parse_error', 'unsupported', 'limit_exceeded']);

/** 'ok' or the error code; fails the property if anything else escapes or the mesh is malformed. */
function outcome(bytes: Uint8Array): string {
  try {
    const m = parseMesh(bytes, LIMITS);
    const nv = m.positions.length / 3;
    if (m.indices.length % 3 !== 0 || !Number.isInteger(nv)) throw new Error('malformed mesh arrays');
    for (let i = 0; i < m.indices.length; i++) if (m.indices[i]! >= nv) throw new Error('index out of range');
    return 'ok';
  } catch (e) {
    if (!(e instanceof LayerwiseError) || !TYPED.has(e.code)) throw e;
    if (e.code === 'limit_exceeded') expect(typeof e.details.name).toBe('string');
    return e.code;
  }
}

const coord = fc.oneof(
  { weight: 6, arbitrary: fc.float({ min: -1000, max: 1000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e38, -1e38, 3.4e38, Number.NaN, Number.POSITIVE_INFINITY) },
);

const finite = fc.oneof(
  { weight: 6, arbitrary: fc.float({ min: -1000, max: 1000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-30, 1e30, -3.4e38) },
);

const meshOf = (c: fc.Arbitrary<number>) =>
  fc.record({ nv: fc.integer({ min: 3, max: 40 }), nt: fc.integer({ min: 1, max: 60 }) }).chain(({ nv, nt }) =>
    fc.record({
      positions: fc.array(c, { minLength: nv * 3, maxLength: nv * 3 }).map((a) => Float32Array.from(a)),
      indices: fc
        .array(fc.integer({ min: 0, max: nv - 1 }), { minLength: nt * 3, maxLength: nt * 3 })
        .map((a) => Uint32Array.from(a)),
    }),
  );
/** Meshes with any float32 coordinates (NaN and ±Infinity included) and with finite ones only. */
const meshArb = meshOf(coord);
const finiteMeshArb = meshOf(finite);

const enc = new TextEncoder();
const FORMATS: Record<string, (m: { positions: Float32Array; indices: Uint32Array }) => Uint8Array> = {
  'stl-binary': (m) => encodeStlBinary(m),
  'stl-ascii': (m) => enc.encode(encodeStlAscii(m)),
  obj: (m) => enc.encode(encodeObj(m)),
  ply: (m) => encodePly(m),
  'ply-ascii': (m) => encodePly(m, { binary: false }),
  off: (m) => enc.encode(encodeOff(m)),
  '3mf': (m) => encode3mf([{ name: 'fuzz', mesh: m }]),
};

/** A byte-level edit: overwrite, insert or delete a run, or truncate, at a position fast-check picks. */
const editArb = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('ins' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('del' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);
type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(src: Uint8Array, e: Edit): Uint8Array {
  if (src.length === 0) return src;
  const at = e.at % src.length;
  if (e.kind === 'cut') return src.subarray(0, at);
  if (e.kind === 'set') {
    const b = src.slice();
    b.set(e.bytes.subarray(0, b.length - at), at);
    return b;
  }
  if (e.kind === 'ins') {
    const out = new Uint8Array(src.length + e.bytes.length);
    out.set(src.subarray(0, at));
    out.set(e.bytes, at);
    out.set(src.subarray(at), at + e.bytes.length);
    return out;
  }
  const len = Math.min(e.len, src.length - at);
  const out = new Uint8Array(src.length - len);
  out.set(src.subarray(0, at));
  out.set(src.subarray(at + len), at);
  return out;
}

const run = (p: fc.IPropertyWithHooks<unknown[]> | fc.IProperty<unknown[]>, numRuns: number) =>
  fc.assert(p, { seed: SEED, numRuns, endOnFailure: true });

describe('mesh parsers under fast-check', () => {
  it('arbitrary bytes give a mesh or a typed error', () => {
    run(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => {
        outcome(b);
      }),
      400,
    );
  });

  it('arbitrary text with mesh keywords gives a mesh or a typed error', () => {
    const token = fc.oneof(
      fc.constantFrom('solid', 'facet normal', 'outer loop', 'vertex', 'endloop', 'endfacet', 'endsolid', 'v', 'f'),
      fc.constantFrom('ply', 'format ascii 1.0', 'element vertex', 'element face', 'property float x', 'end_header'),
      fc.constantFrom('OFF', 'COFF', 'g', 'o', 'vt', 'vn', '#', '\n', ' ', '/', '-1', '0', '4294967295', '1e999'),
      fc.integer({ min: -5, max: 1_000_000 }).map(String),
      fc.double({ noNaN: false }).map(String),
    );
    run(
      fc.property(fc.array(token, { maxLength: 200 }), (tokens) => {
        outcome(enc.encode(tokens.join(' ')));
      }),
      400,
    );
  });

  it('every format: encoded meshes with finite coordinates parse back to the same triangle count', () => {
    run(
      fc.property(fc.constantFrom(...Object.keys(FORMATS)), finiteMeshArb, (format, mesh) => {
        const back = parseMesh(FORMATS[format]!(mesh), LIMITS);
        expect(back.indices.length).toBe(mesh.indices.length);
      }),
      300,
    );
  });

  it('every format: encoded meshes (non-finite coordinates too), edited, give a mesh or a typed error', () => {
    run(
      fc.property(
        fc.constantFrom(...Object.keys(FORMATS)),
        meshArb,
        fc.array(editArb, { maxLength: 3 }),
        (format, mesh, edits) => {
          outcome(edits.reduce(applyEdit, FORMATS[format]!(mesh)));
        },
      ),
      500,
    );
  });

  it('headers declaring huge counts are refused by a named limit, without allocating them', () => {
    const huge = fc.integer({ min: 300_001, max: 2 ** 32 - 1 });
    // binary STL trusts the file size over the header's count (a warning), so a lying count is harmless there
    const lyingStl = huge.map((n) => {
      const b = new Uint8Array(84 + 50);
      new DataView(b.buffer).setUint32(80, n, true);
      return b;
    });
    const header = fc.oneof(
      huge.map(
        (n) =>
          `ply\nformat binary_little_endian 1.0\nelement vertex ${n}\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n`,
      ),
      huge.map((n) => `OFF\n${n} 1 0\n0 0 0\n`),
      huge.map((n) => `OFF\n3 ${n} 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n`),
    );
    const before = process.memoryUsage();
    run(
      fc.property(header, (h) => {
        const o = outcome(typeof h === 'string' ? enc.encode(h) : h);
        expect(['limit_exceeded', 'parse_error']).toContain(o);
      }),
      200,
    );
    run(
      fc.property(lyingStl, (b) => {
        expect(outcome(b)).toBe('ok');
      }),
      50,
    );
    const after = process.memoryUsage();
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
  });

  it('memory stays bounded over a long run of random inputs', () => {
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    run(
      fc.property(fc.constantFrom(...Object.keys(FORMATS)), meshArb, editArb, (format, mesh, edit) => {
        outcome(applyEdit(FORMATS[format]!(mesh), edit));
      }),
      300,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });
});
