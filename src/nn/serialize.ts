/**
 * Parameter files in the safetensors layout (https://huggingface.co/docs/safetensors), so files open in Python's
 * `safetensors` too. Pure: bytes in, bytes out (file I/O is the caller's).
 *
 *   bytes 0..8     u64 little-endian N = header length
 *   bytes 8..8+N   UTF-8 JSON: { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] }, …,
 *                  "__metadata__": { "<key>": "<string>" } }   (padded with spaces so data starts 8-byte aligned)
 *   bytes 8+N..    tensor data, little-endian, offsets relative to here, in name order
 *
 * Decoding accepts F32 and F64 (converted to F32); anything else is `unsupported`.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Module } from './layers.js';
import { Tensor } from './tensor.js';

const LITTLE_ENDIAN = new Uint8Array(Float32Array.of(1).buffer)[3] === 0x3f;

export interface DecodedTensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Encodes named tensors (and string metadata) into safetensors bytes. */
export function encodeTensors(
  tensors: Iterable<readonly [string, Tensor]>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const entries = [...tensors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let off = 0;
  const seen = new Set<string>();
  for (const [name, t] of entries) {
    if (seen.has(name) || name === '__metadata__')
      throw new LayerwiseError('invalid_argument', `encodeTensors: duplicate or reserved tensor name "${name}"`);
    seen.add(name);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [off, off + t.size * 4] };
    off += t.size * 4;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  while ((8 + enc.encode(json).length) % 8 !== 0) json += ' ';
  const hb = enc.encode(json);
  const out = new Uint8Array(8 + hb.length + off);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const [, t] of entries) {
    if (LITTLE_ENDIAN) new Float32Array(out.buffer, p, t.size).set(t.data);
    else for (let i = 0; i < t.size; i++) dv.setFloat32(p + i * 4, t.data[i]!, true);
    p += t.size * 4;
  }
  return out;
}

/** Decodes safetensors bytes; throws `parse_error` with the offending detail on malformed input. */
export function decodeTensors(bytes: Uint8Array): DecodedTensors {
  const fail = (msg: string): never => {
    throw new LayerwiseError('parse_error', `safetensors: ${msg}`);
  };
  if (bytes.length < 8) fail(`file has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (n > bytes.length - 8) fail(`header length ${n} exceeds the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  const base = 8 + n;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = v as Record<string, string>;
      continue;
    }
    const info = v as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (!info.shape || !info.data_offsets) fail(`tensor "${name}" lacks shape or data_offsets`);
    const [b, e] = info.data_offsets!;
    const width = info.dtype === 'F32' ? 4 : info.dtype === 'F64' ? 8 : 0;
    if (width === 0)
      throw new LayerwiseError(
        'unsupported',
        `safetensors: tensor "${name}" has dtype ${info.dtype}; only F32/F64 load`,
      );
    const count = info.shape!.reduce((p, d) => p * d, 1);
    if (e - b !== count * width || base + e > bytes.length || b < 0)
      fail(`tensor "${name}" offsets [${b}, ${e}] do not fit shape [${info.shape!.join(', ')}] or the file`);
    const at = bytes.byteOffset + base + b;
    let data: Float32Array;
    if (LITTLE_ENDIAN && width === 4 && at % 4 === 0) data = new Float32Array(bytes.buffer, at, count).slice();
    else if (LITTLE_ENDIAN && width === 8 && at % 8 === 0)
      data = Float32Array.from(new Float64Array(bytes.buffer, at, count));
    else {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++)
        data[i] = width === 4 ? dv.getFloat32(base + b + i * 4, true) : dv.getFloat64(base + b + i * 8, true);
    }
    tensors.set(name, new Tensor(data, info.shape!));
  }
  return { tensors, metadata };
}

/** Serialises a module's parameters (by their stable names) plus metadata, e.g. the config that made the model. */
export function saveModule(module: Module, metadata: Record<string, string> = {}): Uint8Array {
  return encodeTensors(module.namedParameters(), metadata);
}

/**
 * Loads parameters saved by `saveModule` into a module built with the same configuration. Every parameter must be
 * present with the same shape (`invalid_argument` says which is not). Returns the metadata.
 */
export function loadModule(module: Module, bytes: Uint8Array): Record<string, string> {
  const { tensors, metadata } = decodeTensors(bytes);
  for (const [name, p] of module.namedParameters()) {
    const t = tensors.get(name);
    if (!t)
      throw new LayerwiseError(
        'invalid_argument',
        `loadModule: file has no tensor "${name}" (has: ${[...tensors.keys()].join(', ')})`,
      );
    if (t.shape.join(',') !== p.shape.join(','))
      throw new LayerwiseError(
        'invalid_argument',
        `loadModule: "${name}" is [${t.shape.join(', ')}] in the file but [${p.shape.join(', ')}] in the model`,
      );
    p.data.set(t.data);
  }
  return metadata;
}
