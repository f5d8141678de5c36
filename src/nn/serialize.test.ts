import { describe, expect, it } from 'vitest';
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Mlp } from './layers.js';
import { decodeTensors, encodeTensors, loadModule, saveModule } from './serialize.js';
import { noGrad, Tensor } from './tensor.js';

describe('safetensors save/load', () => {
  it('round-trips a model: same parameters, same outputs, metadata kept', () => {
    const a = new Mlp([3, 5, 2], new Rng(1));
    const b = new Mlp([3, 5, 2], new Rng(2));
    const x = Tensor.randn([4, 3], new Rng(3));
    const bytes = saveModule(a, { model: 'mlp', sizes: '3,5,2' });
    expect(noGrad(() => b.forward(x)).toArray()).not.toEqual(noGrad(() => a.forward(x)).toArray());
    const meta = loadModule(b, bytes);
    expect(meta).toEqual({ model: 'mlp', sizes: '3,5,2' });
    expect(noGrad(() => b.forward(x)).toArray()).toEqual(noGrad(() => a.forward(x)).toArray());
  });

  it('writes the safetensors layout byte for byte', () => {
    const bytes = encodeTensors([['w', Tensor.from([1.5, -2], [1, 2])]]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({ w: { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] } });
    expect(Array.from(new Float32Array(bytes.slice(8 + n).buffer))).toEqual([1.5, -2]);
    expect(bytes.length).toBe(8 + n + 8);
  });

  it('reads F64 tensors and rejects malformed files with parse_error', () => {
    const json = new TextEncoder().encode(JSON.stringify({ d: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } }));
    const buf = new Uint8Array(8 + json.length + 16);
    const dv = new DataView(buf.buffer);
    dv.setBigUint64(0, BigInt(json.length), true);
    buf.set(json, 8);
    dv.setFloat64(8 + json.length, 0.25, true);
    dv.setFloat64(8 + json.length + 8, 3, true);
    expect(decodeTensors(buf).tensors.get('d')!.toArray()).toEqual([0.25, 3]);
    expect(() => decodeTensors(buf.subarray(0, 20))).toThrow(LayerwiseError);
    const err = (() => {
      try {
        decodeTensors(Uint8Array.of(1, 2, 3));
      } catch (e) {
        return e as LayerwiseError;
      }
    })();
    expect(err?.code).toBe('parse_error');
  });

  it('loading into a model of another shape says which tensor differs', () => {
    const bytes = saveModule(new Mlp([3, 5, 2], new Rng(1)));
    expect(() => loadModule(new Mlp([3, 4, 2], new Rng(1)), bytes)).toThrow(/0\.weight/);
  });
});

describe('safetensors from an unaligned buffer', () => {
  it('decodes a file that starts at an odd byte offset (e.g. a slice of a larger read)', () => {
    const bytes = encodeTensors(
      [
        ['a', Tensor.from([1, 2, 3], [3])],
        ['b', Tensor.from([-4], [1, 1])],
      ],
      { k: 'v' },
    );
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const d = decodeTensors(big.subarray(3));
    expect(d.tensors.get('a')!.toArray()).toEqual([1, 2, 3]);
    expect(d.tensors.get('b')!.shape).toEqual([1, 1]);
    expect(d.metadata).toEqual({ k: 'v' });
  });
});
