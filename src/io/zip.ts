/**
 * A small, defensive ZIP reader for 3MF packages: reads the central directory (ZIP64 aware), refuses encrypted or
 * exotic entries, and inflates one entry at a time with fflate's streaming `Inflate`, stopping as soon as the
 * output passes the entry's declared size. Limits (entry count, entry size, compression ratio) defeat zip bombs;
 * names are normalised and never touch a file system, so path traversal has nothing to reach.
 */
import { Inflate } from 'fflate';
import { LayerwiseError } from '../core/errors.js';
import { checkLimit } from './parse-options.js';

export interface ZipEntry {
  /** Normalised name: no leading slash, backslashes turned into slashes. */
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ZipLimits {
  maxZipEntries: number;
  maxZipEntryBytes: number;
  maxCompressionRatio: number;
}

const EOCD = 0x06054b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const Z64_LOCATOR = 0x07064b50;
const Z64_EOCD = 0x06064b50;

function bad(message: string, offset: number): LayerwiseError {
  return new LayerwiseError('parse_error', `3MF/ZIP: ${message}`, { details: { offset } });
}

function u64(dv: DataView, o: number): number {
  return dv.getUint32(o, true) + dv.getUint32(o + 4, true) * 2 ** 32;
}

/** Normalises an entry or part name; undefined for names that try to climb out (`..`) or are empty. */
export function normaliseZipName(name: string): string | undefined {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

function findEocd(bytes: Uint8Array, dv: DataView): number {
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 65535); o--) {
    if (dv.getUint32(o, true) === EOCD) return o;
  }
  throw bad('no end-of-central-directory record (not a ZIP file, or truncated)', bytes.length);
}

/** Lists the entries of a ZIP archive (central directory), enforcing the entry-count limit. */
export function readZipDirectory(bytes: Uint8Array, limits: ZipLimits): Map<string, ZipEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) throw bad(`${bytes.length} bytes is too short for a ZIP file`, 0);
  const e = findEocd(bytes, dv);
  let count = dv.getUint16(e + 10, true);
  let cdOffset = dv.getUint32(e + 16, true);
  if ((count === 0xffff || cdOffset === 0xffffffff) && e >= 20 && dv.getUint32(e - 20, true) === Z64_LOCATOR) {
    const z = u64(dv, e - 12);
    if (z + 56 > bytes.length || dv.getUint32(z, true) !== Z64_EOCD) throw bad('bad ZIP64 end record', z);
    count = u64(dv, z + 32);
    cdOffset = u64(dv, z + 48);
  }
  checkLimit(count, limits.maxZipEntries, 'ZIP entry count', 'maxZipEntries');
  const entries = new Map<string, ZipEntry>();
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > bytes.length || dv.getUint32(o, true) !== CDH) throw bad(`bad central directory entry ${i}`, o);
    const nameLen = dv.getUint16(o + 28, true);
    const extraLen = dv.getUint16(o + 30, true);
    const commentLen = dv.getUint16(o + 32, true);
    if (o + 46 + nameLen + extraLen > bytes.length) throw bad(`central directory entry ${i} runs past the end`, o);
    const rawName = new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nameLen));
    const entry: ZipEntry = {
      name: '',
      flags: dv.getUint16(o + 8, true),
      method: dv.getUint16(o + 10, true),
      compressedSize: dv.getUint32(o + 20, true),
      size: dv.getUint32(o + 24, true),
      localOffset: dv.getUint32(o + 42, true),
    };
    readZip64Extra(dv, o + 46 + nameLen, extraLen, entry);
    const name = normaliseZipName(rawName);
    if (name !== undefined && !rawName.endsWith('/')) entries.set(name, { ...entry, name });
    o += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function readZip64Extra(dv: DataView, start: number, len: number, entry: ZipEntry): void {
  for (let p = start; p + 4 <= start + len; ) {
    const id = dv.getUint16(p, true);
    const size = dv.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      const end = q + size;
      if (entry.size === 0xffffffff && q + 8 <= end) {
        entry.size = u64(dv, q);
        q += 8;
      }
      if (entry.compressedSize === 0xffffffff && q + 8 <= end) {
        entry.compressedSize = u64(dv, q);
        q += 8;
      }
      if (entry.localOffset === 0xffffffff && q + 8 <= end) entry.localOffset = u64(dv, q);
      return;
    }
    p += 4 + size;
  }
}

/** The uncompressed bytes of one entry, within the size and ratio limits. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, limits: ZipLimits): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkLimit(entry.size, limits.maxZipEntryBytes, `uncompressed size of ZIP entry "${entry.name}"`, 'maxZipEntryBytes');
  if (entry.size > 1 << 20 && entry.size > limits.maxCompressionRatio * Math.max(1, entry.compressedSize)) {
    checkLimit(
      Math.round(entry.size / Math.max(1, entry.compressedSize)),
      limits.maxCompressionRatio,
      `compression ratio of ZIP entry "${entry.name}"`,
      'maxCompressionRatio',
    );
  }
  if (entry.flags & 1) throw new LayerwiseError('unsupported', `ZIP entry "${entry.name}" is encrypted`);
  const o = entry.localOffset;
  if (o + 30 > bytes.length || dv.getUint32(o, true) !== LFH) throw bad(`bad local header for "${entry.name}"`, o);
  const start = o + 30 + dv.getUint16(o + 26, true) + dv.getUint16(o + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw bad(`entry "${entry.name}" runs past the end of the file`, start);
  const data = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize) throw bad(`stored entry "${entry.name}" has inconsistent sizes`, o);
    return data;
  }
  if (entry.method !== 8) {
    throw new LayerwiseError('unsupported', `ZIP entry "${entry.name}" uses compression method ${entry.method}`);
  }
  return inflateBounded(data, entry, start);
}

function inflateBounded(data: Uint8Array, entry: ZipEntry, offset: number): Uint8Array {
  // Chunks are kept until the end so memory follows the real output, not a (possibly lying) declared size.
  const chunks: Uint8Array[] = [];
  let n = 0;
  let done = false;
  const inflate = new Inflate((chunk, final) => {
    n += chunk.length;
    if (n > entry.size) {
      throw bad(`entry "${entry.name}" inflates past its declared size of ${entry.size} bytes`, offset);
    }
    chunks.push(chunk);
    if (final) done = true;
  });
  const step = 16384;
  try {
    for (let i = 0; i < data.length; i += step) inflate.push(data.subarray(i, i + step), i + step >= data.length);
    if (data.length === 0) inflate.push(data, true);
  } catch (e) {
    if (e instanceof LayerwiseError) throw e;
    throw bad(`entry "${entry.name}" is not valid deflate data (${(e as Error).message})`, offset);
  }
  if (!done || n !== entry.size) {
    throw bad(`entry "${entry.name}" inflated to ${n} bytes, its header says ${entry.size}`, offset);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
