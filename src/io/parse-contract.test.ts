/**
 * The one contract suite every `MeshParser` passes (like hono's shared router suite): detection from content,
 * exact round-trip through our writers, groups, units, limits, empty meshes and typed errors with positions.
 */
import { describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import type { Mesh, MeshFormat } from '../core/mesh.js';
import { encode3mf, encodeObj, encodeOff, encodePly, encodeStlAscii, encodeStlBinary } from './encode.js';
import { detectFormat, parseMesh, safeParseMesh } from './parse.js';
import { MESH_PARSERS } from './registry.js';
import { triangleSoup, twoObjectMesh } from './test-meshes.js';

type Source = Pick<Mesh, 'positions' | 'indices' | 'groups'>;

interface Case {
  format: MeshFormat;
  encode(mesh: Source): Uint8Array;
  /** Keeps the vertex list and indices as written (else only the triangle soup is compared). */
  indexed: boolean;
  groups: boolean;
  /** Whether the `unit` option applies (3MF carries its own unit). */
  unitOption: boolean;
  /** A corrupted variant that must fail with parse_error pointing at a line or byte offset. */
  corrupt(bytes: Uint8Array): Uint8Array;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (s: string) => enc.encode(s);
const replaceText = (b: Uint8Array, from: RegExp, to: string) => text(dec.decode(b).replace(from, to));

const CASES: Case[] = [
  {
    format: 'stl-binary',
    encode: (m) => encodeStlBinary(m),
    indexed: false,
    groups: false,
    unitOption: true,
    corrupt: (b) => b.subarray(0, b.length - 7), // truncated inside the last record
  },
  {
    format: 'stl-ascii',
    encode: (m) => text(encodeStlAscii(m)),
    indexed: false,
    groups: true,
    unitOption: true,
    corrupt: (b) => replaceText(b, /vertex 20\.25/, 'vertex 2O.25'),
  },
  {
    format: 'obj',
    encode: (m) => text(encodeObj(m)),
    indexed: true,
    groups: true,
    unitOption: true,
    corrupt: (b) => replaceText(b, /\nf 1 /, '\nf 1x '),
  },
  {
    format: 'ply',
    encode: (m) => encodePly(m, { binary: false }),
    indexed: true,
    groups: false,
    unitOption: true,
    corrupt: (b) => replaceText(b, /\n3 0 2 1\n/, '\n3 0 two 1\n'),
  },
  {
    format: 'ply',
    encode: (m) => encodePly(m, { binary: true, littleEndian: true }),
    indexed: true,
    groups: false,
    unitOption: true,
    corrupt: (b) => b.subarray(0, b.length - 5),
  },
  {
    format: 'ply',
    encode: (m) => encodePly(m, { binary: true, littleEndian: false }),
    indexed: true,
    groups: false,
    unitOption: true,
    corrupt: (b) => {
      const c = b.slice(); // a face referencing a vertex far out of range
      c[c.length - 1] = 0x7f;
      return c;
    },
  },
  {
    format: 'off',
    encode: (m) => text(encodeOff(m)),
    indexed: true,
    groups: false,
    unitOption: true,
    corrupt: (b) => replaceText(b, /\n3 0 2 1\n/, '\n3 0 2 99\n'),
  },
  {
    format: '3mf',
    encode: (m) =>
      encode3mf(
        m.groups.map((g) => ({ name: g.name, mesh: subMesh(m, g.start, g.count) })),
        {},
      ),
    indexed: false,
    groups: true,
    unitOption: false,
    corrupt: (b) => b.subarray(0, b.length - 30), // end-of-central-directory cut off
  },
];

/** The triangles [start, start+count) of a mesh as a standalone mesh (all vertices kept). */
function subMesh(m: Source, start: number, count: number) {
  return { positions: m.positions, indices: m.indices.subarray(3 * start, 3 * (start + count)) };
}

const source = twoObjectMesh();
const names = new Map<string, number>();

describe.each(
  CASES.map((c) => {
    const k = (names.get(c.format) ?? 0) + 1;
    names.set(c.format, k);
    return [`${c.format}${k > 1 ? ` #${k}` : ''}`, c] as const;
  }),
)('MeshParser contract: %s', (_, c) => {
  const bytes = c.encode(source);

  it('is detected from its content, and only the registered parser claims it first', () => {
    expect(detectFormat(bytes)).toBe(c.format);
    expect(MESH_PARSERS.find((p) => p.detect(bytes))?.format).toBe(c.format);
  });

  it('round-trips exactly through our writer', () => {
    const m = parseMesh(bytes);
    expect(m.format).toBe(c.format);
    expect(m.indices.length).toBe(source.indices.length);
    expect(triangleSoup(m)).toEqual(triangleSoup(source));
    if (c.indexed) {
      expect(m.positions).toEqual(source.positions);
      expect(m.indices).toEqual(source.indices);
    }
    expect(m.warnings).toEqual([]);
  });

  it.runIf(c.groups)('keeps named groups', () => {
    expect(parseMesh(bytes).groups).toEqual(source.groups);
  });

  it('applies units', () => {
    const m = parseMesh(bytes, { unit: 'inch' });
    const expected = triangleSoup(source).map((v) => (c.unitOption ? Math.fround(v * 25.4) : v));
    const got = triangleSoup(m);
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4);
  });

  it('enforces the byte and triangle limits with limit_exceeded', () => {
    expect(() => parseMesh(bytes, { maxBytes: bytes.length - 1 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    const r = safeParseMesh(bytes, { maxTriangles: 15 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('limit_exceeded');
      expect(r.error.details.limit).toBe(15);
    }
    expect(safeParseMesh(bytes, { maxTriangles: 16 }).ok).toBe(true);
  });

  it('parses an empty mesh', () => {
    const empty = {
      positions: new Float32Array(),
      indices: new Uint32Array(),
      groups: [{ name: 'e', start: 0, count: 0 }],
    };
    const m = parseMesh(c.encode(empty), { format: c.format });
    expect(m.indices.length).toBe(0);
  });

  it('reports corruption as parse_error with a line or byte offset, the same from parseMesh and safeParseMesh', () => {
    const bad = c.corrupt(bytes);
    let thrown: unknown;
    try {
      parseMesh(bad);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(LayerwiseError);
    const e = thrown as LayerwiseError;
    expect(e.code).toBe('parse_error');
    expect(typeof e.details.line === 'number' || typeof e.details.offset === 'number').toBe(true);
    const r = safeParseMesh(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.toJSON()).toEqual(e.toJSON());
  });
});

describe('parseMesh entry point', () => {
  it('rejects empty input, unknown content and bad options with typed errors', () => {
    expect(() => parseMesh(new Uint8Array())).toThrow(expect.objectContaining({ code: 'parse_error' }));
    expect(() => parseMesh(text('hello world, no mesh here'))).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
    expect(() => parseMesh(text('v 0 0 0'), { unit: 'furlong' })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => parseMesh(text('v 0 0 0'), { maxTriangles: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });

  it('uses a forced format instead of detection', () => {
    const obj = text(encodeObj(source));
    expect(() => parseMesh(obj, { format: 'off' })).toThrow(expect.objectContaining({ code: 'parse_error' }));
  });
});
