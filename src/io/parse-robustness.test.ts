/**
 * Robustness: every deliberately broken or odd file in ../shared/data, and a bounded seeded fuzz run (byte
 * mutations, insertions and truncations of valid files of every format), must give a mesh (possibly with
 * warnings) or a typed LayerwiseError — never another exception, a crash or a hang.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { dataPath, hasData } from '../../test/data.js';
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { encode3mf, encodeObj, encodeOff, encodePly, encodeStlAscii, encodeStlBinary } from './encode.js';
import { parseMesh, safeParseMesh } from './parse.js';
import { twoObjectMesh } from './test-meshes.js';

const TYPED = new Set(['parse_error', 'unsupported', 'limit_exceeded']);

/** Parses and classifies: 'ok' or the error code; throws if anything but a LayerwiseError escapes. */
function outcome(bytes: Uint8Array): string {
  try {
    const m = parseMesh(bytes, { maxTriangles: 1_000_000, maxVertices: 3_000_000 });
    expect(Array.isArray(m.warnings)).toBe(true);
    expect(m.indices.length % 3).toBe(0);
    const nv = m.positions.length / 3;
    for (let i = 0; i < m.indices.length; i++)
      if (m.indices[i]! >= nv) throw new Error(`index out of range: ${m.indices[i]}`);
    return 'ok';
  } catch (e) {
    if (!(e instanceof LayerwiseError)) throw e;
    expect(TYPED.has(e.code), `${e.code}: ${e.message}`).toBe(true);
    return e.code;
  }
}

const BROKEN_DIRS = [
  'stl-models-npm/package/broken',
  'stl-models-npm/package/misc',
  'openscad-sources/openscad-testdata-meshes/stl',
  'openscad-sources/openscad-testdata-meshes/amf',
  'trimesh-models/models/emptyIO',
];
const TRIMESH_ODD = ['empty.obj', 'empty.ply', 'empty.stl', 'whitespace.off', 'fuze_ascii.ply', 'wallhole.obj'];

const haveData = hasData();

describe.runIf(haveData)('deliberately broken files', () => {
  const files = [
    ...BROKEN_DIRS.flatMap((d) =>
      (haveData ? readdirSync(dataPath(d)) : []).map((f) => join(d, f)).filter((f) => statSync(dataPath(f)).isFile()),
    ),
    ...TRIMESH_ODD.map((f) => join('trimesh-models/models', f)),
  ];

  it(`all ${files.length} give a mesh or a typed error, quickly`, () => {
    for (const f of files) {
      const t = performance.now();
      outcome(readFileSync(dataPath(f)));
      expect(performance.now() - t, f).toBeLessThan(2000);
    }
  });

  it('gives the documented outcome for representative cases', () => {
    const read = (f: string) => readFileSync(dataPath(f));
    const counter = parseMesh(read('stl-models-npm/package/broken/incorrectFaceCounter.bin.stl'));
    expect(counter.indices.length / 3).toBe(4);
    expect(counter.warnings.map((w) => w.code)).toEqual(['facet_count_mismatch']);
    const wrong = parseMesh(read('stl-models-npm/package/broken/wrongNormal.ascii.stl'));
    expect(wrong.warnings).toEqual([expect.objectContaining({ code: 'normal_mismatch', count: 1 })]);
    const quad = parseMesh(read('stl-models-npm/package/broken/quad.ascii.stl'));
    expect(quad.warnings.map((w) => w.code)).toContain('polygon_facet');
    const r = safeParseMesh(read('openscad-sources/openscad-testdata-meshes/stl/invalidvertex.stl'));
    expect(r.ok ? undefined : [r.error.code, r.error.details.line]).toEqual(['parse_error', 89]);
    const off = parseMesh(read('trimesh-models/models/whitespace.off'));
    expect([off.positions.length / 3, off.indices.length / 3]).toEqual([8, 12]);
    const amf = safeParseMesh(read('openscad-sources/openscad-testdata-meshes/amf/sphere20face.amf'));
    expect(amf.ok ? 'ok' : amf.error.code).toBe('unsupported');
  });
});

describe('seeded fuzz: mutations and truncations of valid files of every format', () => {
  const mesh = twoObjectMesh();
  const enc = new TextEncoder();
  const seeds: [string, Uint8Array][] = [
    ['stl-binary', encodeStlBinary(mesh)],
    ['stl-ascii', enc.encode(encodeStlAscii(mesh))],
    ['obj', enc.encode(encodeObj(mesh))],
    ['ply-ascii', encodePly(mesh, { binary: false })],
    ['ply-le', encodePly(mesh)],
    ['ply-be', encodePly(mesh, { littleEndian: false })],
    ['off', enc.encode(encodeOff(mesh))],
    ['3mf', encode3mf([{ name: 'a', mesh }], {})],
    ['3mf-stored', storedZip(encode3mf([{ name: 'a', mesh }], {}))],
  ];

  it.each(seeds)('%s: 40 mutants each give a mesh or a typed error', (_, bytes) => {
    const rng = new Rng(20261128 + bytes.length);
    const seen = new Map<string, number>();
    for (let k = 0; k < 40; k++) {
      const m = mutate(bytes, rng);
      const t = performance.now();
      const o = outcome(m);
      expect(performance.now() - t).toBeLessThan(1000);
      seen.set(o, (seen.get(o) ?? 0) + 1);
    }
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(40);
    expect(seen.get('parse_error') ?? 0).toBeGreaterThan(10); // the mutations really do break the files
  });
});

/** One random mutation: flip bytes, overwrite with digits or separators, insert or delete a run, or truncate. */
function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  const b = src.slice();
  switch (rng.int(5)) {
    case 0: {
      for (let i = 1 + rng.int(8); i > 0; i--) b[rng.int(b.length)] = rng.int(256);
      return b;
    }
    case 1: {
      const chars = '0123456789-.e \n/#9';
      for (let i = 1 + rng.int(4); i > 0; i--) b[rng.int(b.length)] = chars.charCodeAt(rng.int(chars.length));
      return b;
    }
    case 2: {
      const at = rng.int(b.length);
      const ins = new Uint8Array(1 + rng.int(16)).map(() => rng.int(256));
      const out = new Uint8Array(b.length + ins.length);
      out.set(b.subarray(0, at));
      out.set(ins, at);
      out.set(b.subarray(at), at + ins.length);
      return out;
    }
    case 3: {
      const at = rng.int(b.length);
      const len = 1 + rng.int(Math.min(64, b.length - at));
      const out = new Uint8Array(b.length - len);
      out.set(b.subarray(0, at));
      out.set(b.subarray(at + len), at);
      return out;
    }
    default:
      return b.subarray(0, rng.int(b.length));
  }
}

/** Re-packs a ZIP with stored (uncompressed) entries, so mutations hit the XML rather than deflate data. */
function storedZip(zip: Uint8Array): Uint8Array {
  return zipSync(unzipSync(zip), { level: 0 });
}
