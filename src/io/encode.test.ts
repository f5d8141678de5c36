/** Writers checked byte-for-byte / text-for-text on hand-computed cases. */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encode3mf, encodeObj, encodeOff, encodePly, encodeStlAscii, encodeStlBinary } from './encode.js';

// One right triangle in the XY plane (normal +Z) and a second one sharing an edge.
const mesh = {
  positions: new Float32Array([0, 0, 0, 10, 0, 0, 0, 10, 0, 10, 10, 0.5]),
  indices: new Uint32Array([0, 1, 2, 1, 3, 2]),
};

describe('encodeStlBinary', () => {
  it('writes header, count, normal from winding and float32 vertices', () => {
    const b = encodeStlBinary(mesh, 'part');
    expect(b.length).toBe(84 + 2 * 50);
    expect(String.fromCharCode(...b.subarray(0, 4))).toBe('part');
    const dv = new DataView(b.buffer);
    expect(dv.getUint32(80, true)).toBe(2);
    expect([dv.getFloat32(84, true), dv.getFloat32(88, true), dv.getFloat32(92, true)]).toEqual([0, 0, 1]);
    expect(dv.getFloat32(84 + 12 + 12, true)).toBe(10); // second vertex x of the first facet
    expect(dv.getFloat32(84 + 50 + 12 + 12 + 8, true)).toBe(0.5); // second facet, second vertex (index 3), z
  });
});

describe('text writers', () => {
  it('ASCII STL has one facet block per triangle and named solid blocks per group', () => {
    const s = encodeStlAscii({
      ...mesh,
      groups: [
        { name: 'a', start: 0, count: 1 },
        { name: 'b', start: 1, count: 1 },
      ],
    });
    expect(s.startsWith('solid a\n  facet normal 0 0 1\n    outer loop\n      vertex 0 0 0\n')).toBe(true);
    expect(s.match(/endfacet/g)).toHaveLength(2);
    expect(s).toContain('endsolid a\nsolid b\n');
    expect(s.trimEnd().endsWith('endsolid b')).toBe(true);
  });
  it('OBJ is 1-based with o lines per group', () => {
    const s = encodeObj({ ...mesh, groups: [{ name: 'g1', start: 0, count: 2 }] });
    expect(s).toBe('# layerwise OBJ\nv 0 0 0\nv 10 0 0\nv 0 10 0\nv 10 10 0.5\no g1\nf 1 2 3\nf 2 4 3\n');
  });
  it('OFF lists counts then faces', () => {
    expect(encodeOff(mesh)).toBe('OFF\n4 2 0\n0 0 0\n10 0 0\n0 10 0\n10 10 0.5\n3 0 1 2\n3 1 3 2\n');
  });
  it('float32 values are written with enough digits to round-trip', () => {
    const v = Math.fround(0.1);
    const s = encodeOff({ positions: new Float32Array([v, 1 / 3, -123456.789]), indices: new Uint32Array() });
    const nums = s.split('\n')[2]!.split(' ').map(Number);
    expect(new Float32Array(nums)).toEqual(new Float32Array([v, 1 / 3, -123456.789]));
  });
});

describe('encodePly', () => {
  it('binary big endian has exact body size and byte order', () => {
    const b = encodePly(mesh, { binary: true, littleEndian: false });
    const text = new TextDecoder().decode(b);
    const h = text.indexOf('end_header\n') + 'end_header\n'.length;
    expect(text).toContain('format binary_big_endian 1.0');
    expect(b.length - h).toBe(4 * 12 + 2 * 13);
    const dv = new DataView(b.buffer, b.byteOffset);
    expect(dv.getFloat32(h + 12, false)).toBe(10);
    expect(b[h + 48]).toBe(3);
    expect(dv.getInt32(h + 48 + 1 + 4, false)).toBe(1);
  });
  it('ascii body', () => {
    const s = new TextDecoder().decode(encodePly(mesh, { binary: false }));
    expect(s.endsWith('end_header\n0 0 0\n10 0 0\n0 10 0\n10 10 0.5\n3 0 1 2\n3 1 3 2\n')).toBe(true);
  });
});

describe('encode3mf', () => {
  it('is a valid package: content types, rels, model with objects and build items; unit converts', () => {
    const zip = unzipSync(
      encode3mf(
        [
          { name: 'a & b', mesh },
          { name: 'c', mesh },
        ],
        { unit: 'centimeter' },
      ),
    );
    expect(Object.keys(zip).sort()).toEqual(['3D/3dmodel.model', '[Content_Types].xml', '_rels/.rels']);
    expect(strFromU8(zip['_rels/.rels']!)).toContain('Target="/3D/3dmodel.model"');
    const model = strFromU8(zip['3D/3dmodel.model']!);
    expect(model).toContain('unit="centimeter"');
    expect(model).toContain('name="a &amp; b"');
    expect(model).toContain('<vertex x="1" y="0" z="0"/>');
    expect(model).toContain('<vertex x="1" y="1" z="0.05"/>');
    expect(model.match(/<item objectid="\d"\/>/g)).toHaveLength(2);
  });
});
