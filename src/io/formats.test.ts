/**
 * Format features beyond the contract suite, on hand-written fixtures (test/fixtures/meshes) with hand-computed
 * results: STL solids/CRLF/exponents/count mismatches, OBJ polygons and negative indices, PLY extra and list
 * properties, OFF glued counts and colours, 3MF units/components/transforms, and the ZIP/XML safety limits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/data.js';
import { encode3mf, encodeStlBinary } from './encode.js';
import { detectFormat, parseMesh, safeParseMesh } from './parse.js';
import { boxMesh } from './test-meshes.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(repoRoot, 'test', 'fixtures', 'meshes', name)));
const f32 = (xs: number[]) => new Float32Array(xs);
const u32 = (xs: number[]) => new Uint32Array(xs);

function package3mf(model: string, rels?: string): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<Types/>'),
    '3D/3dmodel.model': strToU8(model),
  };
  if (rels) files['_rels/.rels'] = strToU8(rels);
  return zipSync(files);
}

describe('STL', () => {
  it('reads several solids, CRLF, upper case and exponents; flags a normal against the winding', () => {
    const m = parseMesh(fixture('two-solids-crlf.stl'));
    expect(m.format).toBe('stl-ascii');
    expect(m.positions).toEqual(f32([0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 0.25, -1.5, 0, 0.25, 0, -2, 0.25]));
    expect(m.groups).toEqual([
      { name: 'first part', start: 0, count: 1 },
      { name: 'second', start: 1, count: 1 },
    ]);
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'normal_mismatch', count: 1 })]);
  });

  it('detects binary STL whose header starts with "solid"', () => {
    const b = encodeStlBinary(boxMesh(0, 0, 0, 1, 2, 3), 'solid looks like ascii');
    expect(detectFormat(b)).toBe('stl-binary');
    expect(parseMesh(b).indices.length).toBe(36);
  });

  it('trusts the length when the facet count disagrees, the count when bytes trail, and rejects truncation', () => {
    const b = encodeStlBinary(boxMesh(0, 0, 0, 1, 2, 3));
    const dv = new DataView(b.buffer);
    dv.setUint32(80, 99, true);
    const m = parseMesh(b);
    expect(m.indices.length / 3).toBe(12);
    expect(m.warnings.map((w) => w.code)).toEqual(['facet_count_mismatch']);
    dv.setUint32(80, 10, true);
    const trailing = parseMesh(b.subarray(0, b.length - 20));
    expect([trailing.indices.length / 3, trailing.warnings[0]?.code]).toEqual([10, 'trailing_bytes']);
    dv.setUint32(80, 12, true);
    const r = safeParseMesh(b.subarray(0, b.length - 20));
    expect(r.ok ? undefined : [r.error.code, r.error.details.offset]).toEqual(['parse_error', 84 + 11 * 50]);
  });

  it('counts degenerate faces into one aggregated warning', () => {
    const m = parseMesh(
      encodeStlBinary({ positions: f32([0, 0, 0, 1, 1, 1, 2, 2, 2]), indices: u32([0, 1, 2, 0, 1, 2]) }),
    );
    expect(m.warnings).toEqual([expect.objectContaining({ code: 'degenerate_face', count: 2 })]);
  });
});

describe('OBJ', () => {
  it('fans polygons, resolves negative indices, groups o/g and ignores materials, normals, lines', () => {
    const m = parseMesh(fixture('quads-groups.obj'));
    expect(m.positions.length / 3).toBe(9);
    expect(m.indices).toEqual(u32([0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7, 4, 7, 8]));
    expect(m.groups).toEqual([
      { name: 'square', start: 0, count: 2 },
      { name: 'pentagon', start: 2, count: 3 },
    ]);
    expect(m.warnings).toEqual([]);
  });

  it('reports a face beyond the vertices with its line', () => {
    const r = safeParseMesh(new TextEncoder().encode('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nf 1 2 4\n'));
    expect(r.ok ? undefined : [r.error.code, r.error.details.line]).toEqual(['parse_error', 5]);
  });
});

describe('PLY', () => {
  it('reads x/y/z among extra properties, skips list texcoords and unknown elements', () => {
    const m = parseMesh(fixture('extra-props.ply'));
    expect(m.positions).toEqual(f32([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0.5, 0.5, 3]));
    expect(m.indices).toEqual(u32([0, 1, 2, 0, 2, 3, 0, 1, 4]));
  });
});

describe('OFF', () => {
  it('reads COFF with counts glued to the keyword, colours and comments', () => {
    const m = parseMesh(fixture('colors-glued.off'));
    expect(m.positions).toEqual(f32([0, 0, 0, 2, 0, 0, 2, 2, 0, 0, 2, 1.5]));
    expect(m.indices).toEqual(u32([0, 1, 2, 0, 2, 3, 0, 2, 3]));
  });
});

describe('3MF', () => {
  const model = new TextDecoder().decode(fixture('components-inch.model'));

  it('applies the unit, component and build-item transforms; one group per build item', () => {
    const m = parseMesh(package3mf(model));
    const inch = (xs: number[]) => f32(xs.map((x) => x * 25.4));
    expect(m.positions).toEqual(
      inch([0, 0, 1, 0, 1, 1, -1, 0, 1, 0, 2, 1, 0, 3, 1, -1, 2, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0]),
    );
    expect(m.indices).toEqual(u32([0, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(m.groups).toEqual([
      { name: 'pair', start: 0, count: 2 },
      { name: 'tri & co', start: 2, count: 1 },
    ]);
  });

  it('follows _rels/.rels to the model part and refuses paths that climb out of the package', () => {
    const rel = (target: string) =>
      `<Relationships><Relationship Target="${target}" Id="r" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>`;
    expect(parseMesh(package3mf(model, rel('/3D/3dmodel.model'))).indices.length).toBe(9);
    const r = safeParseMesh(package3mf(model, rel('/../../etc/passwd')));
    expect(r.ok ? undefined : r.error.code).toBe('parse_error');
  });

  it('refuses DOCTYPE/ENTITY declarations (no external or recursive entities)', () => {
    const xxe = model.replace('<model', '<!DOCTYPE model [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<model');
    expect(() => parseMesh(package3mf(xxe))).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('stops zip bombs by compression ratio and entry size, and entries that lie about their size', () => {
    const bomb = zipSync({ '3D/3dmodel.model': new Uint8Array(8 << 20).fill(32) });
    expect(() => parseMesh(bomb)).toThrow(expect.objectContaining({ code: 'limit_exceeded' }));
    const pkg = encode3mf([{ name: 'box', mesh: boxMesh(0, 0, 0, 1, 1, 1) }]);
    expect(() => parseMesh(pkg, { maxZipEntryBytes: 200 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
    // Shrink the declared size of the model entry in the central directory: inflation must stop with parse_error.
    const lying = pkg.slice();
    const dv = new DataView(lying.buffer);
    const dec = new TextDecoder();
    for (let o = 0; o + 46 < lying.length; o++) {
      if (dv.getUint32(o, true) !== 0x02014b50) continue;
      const name = dec.decode(lying.subarray(o + 46, o + 46 + dv.getUint16(o + 28, true)));
      if (name === '3D/3dmodel.model') dv.setUint32(o + 24, 100, true);
    }
    const r = safeParseMesh(lying);
    expect(r.ok ? undefined : [r.error.code, /declared size/.test(r.error.message)]).toEqual(['parse_error', true]);
  });

  it('limits triangles after instancing', () => {
    expect(() => parseMesh(package3mf(model), { maxTriangles: 2 })).toThrow(
      expect.objectContaining({ code: 'limit_exceeded' }),
    );
  });
});
