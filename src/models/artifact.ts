/**
 * Model artifact bytes: "LWM1" magic, u32 header length, a JSON header (ArtifactMeta, ids, tensor table), then the
 * tensors 8-byte aligned, little-endian. Load checks the magic and the lengths and says what was wrong.
 */
import { createHash } from 'node:crypto';
import { LayerwiseError } from '../core/errors.js';
import type { ArtifactMeta } from './recommender.js';

export type Tensor = Float32Array | Float64Array | Int32Array;
export type TensorMap = Record<string, Tensor>;

export interface ArtifactContent {
  meta: ArtifactMeta;
  users: string[];
  items: string[];
  /** Model-specific JSON state (small). */
  extra: Record<string, unknown>;
  tensors: TensorMap;
}

const MAGIC = [0x4c, 0x57, 0x4d, 0x31]; // LWM1

/** Stable JSON (sorted keys) for hashing configurations. */
export function stableStringify(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (Array.isArray(x)) return `[${x.map(stableStringify).join(',')}]`;
  const o = x as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

export function configHash(kind: string, params: Readonly<Record<string, unknown>>): string {
  return createHash('sha256')
    .update(`${kind}:${stableStringify(params)}`)
    .digest('hex')
    .slice(0, 16);
}

function dtypeOf(t: Tensor): 'f32' | 'f64' | 'i32' {
  return t instanceof Float32Array ? 'f32' : t instanceof Float64Array ? 'f64' : 'i32';
}

export function encodeArtifact(a: ArtifactContent): Uint8Array {
  const table: { name: string; dtype: string; offset: number; length: number }[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(a.tensors)) {
    table.push({ name, dtype: dtypeOf(t), offset, length: t.length });
    offset += Math.ceil(t.byteLength / 8) * 8;
  }
  const header = new TextEncoder().encode(
    JSON.stringify({ meta: a.meta, users: a.users, items: a.items, extra: a.extra, tensors: table }),
  );
  const headerPadded = Math.ceil((8 + header.length) / 8) * 8;
  const out = new Uint8Array(headerPadded + offset);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  for (const [i, t] of Object.values(a.tensors).entries()) {
    out.set(new Uint8Array(t.buffer, t.byteOffset, t.byteLength), headerPadded + table[i]!.offset);
  }
  return out;
}

/**
 * Decodes an artifact. `skip`: tensors left out (returned empty, with their type) — serving does not need a model's
 * user side, and at 100 M events that is most of a 1.9 GB artifact; `headerOnly`: no tensors at all.
 */
export function decodeArtifact(
  bytes: Uint8Array,
  options: { skip?: ReadonlySet<string>; headerOnly?: boolean } = {},
): ArtifactContent {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new LayerwiseError(
      'parse_error',
      `not a layerwise model artifact (expected magic LWM1, got ${bytes.length} bytes)`,
    );
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + len > bytes.length) throw new LayerwiseError('parse_error', `artifact header of ${len} bytes is truncated`);
  let h: {
    meta: ArtifactMeta;
    users: string[];
    items: string[];
    extra: Record<string, unknown>;
    tensors: { name: string; dtype: string; offset: number; length: number }[];
  };
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
  } catch (e) {
    throw new LayerwiseError('parse_error', 'artifact header is not valid JSON', { cause: e });
  }
  if (h.meta?.format !== 'layerwise-model')
    throw new LayerwiseError('parse_error', 'artifact header has no layerwise meta');
  const base = Math.ceil((8 + len) / 8) * 8;
  const tensors: TensorMap = {};
  for (const d of options.headerOnly ? [] : h.tensors) {
    const size = d.dtype === 'f64' ? 8 : 4;
    const start = base + d.offset;
    if (start + d.length * size > bytes.length) {
      throw new LayerwiseError('parse_error', `artifact tensor '${d.name}' is truncated`);
    }
    const copy = options.skip?.has(d.name) ? new ArrayBuffer(0) : bytes.slice(start, start + d.length * size).buffer;
    tensors[d.name] =
      d.dtype === 'f32' ? new Float32Array(copy) : d.dtype === 'f64' ? new Float64Array(copy) : new Int32Array(copy);
  }
  return { meta: h.meta, users: h.users, items: h.items, extra: h.extra ?? {}, tensors };
}

/**
 * The artifact without the tensors in `skip` (kept as empty tensors of their type, so a load finds every name) and,
 * with `dropUsers`, without user ids and with an empty user index of the matrix: the serving form of a model whose
 * serving side needs neither (models/registry.ts `servingArtifact`).
 */
export function stripArtifact(bytes: Uint8Array, skip: ReadonlySet<string>, dropUsers: boolean): Uint8Array {
  const a = decodeArtifact(bytes, { skip });
  if (dropUsers) {
    a.users = [];
    if (a.tensors['@indptr'] !== undefined) a.tensors['@indptr'] = new Int32Array(1);
  }
  return encodeArtifact(a);
}
