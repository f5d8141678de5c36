/**
 * A minimal PNG encoder (RGBA or grey, 8 bits per channel) for thumbnails and debug views. Pure: bytes in, bytes out;
 * deflate by fflate's zlib. Filter: "Sub" on every row (cheap, and compresses shaded renders well).
 * Spec: https://www.w3.org/TR/png-3/
 */
import { zlibSync } from 'fflate';
import { LayerwiseError } from '../core/errors.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309 / PNG) of bytes[start, end). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface PngOptions {
  /** 1 = grey, 3 = RGB, 4 = RGBA (default 4). */
  channels?: 1 | 3 | 4;
  /** Deflate level 0–9 (default 6). */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

const COLOR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/** Encodes `pixels` (row-major, `channels` bytes per pixel, top row first) as a PNG file. */
export function encodePng(pixels: Uint8Array, width: number, height: number, options: PngOptions = {}): Uint8Array {
  const channels = options.channels ?? 4;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new LayerwiseError(
      'invalid_argument',
      `encodePng: width and height must be positive integers, got ${width}×${height}`,
    );
  }
  const stride = width * channels;
  if (pixels.length !== stride * height) {
    throw new LayerwiseError(
      'invalid_argument',
      `encodePng: expected ${stride * height} bytes for ${width}×${height}×${channels}, got ${pixels.length}`,
    );
  }
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    const s = y * stride;
    raw[o] = 1; // Sub filter
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[s + x - channels]! : 0;
      raw[o + 1 + x] = (pixels[s + x]! - left) & 0xff;
    }
  }
  const idat = zlibSync(raw, { level: options.level ?? 6 });
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = COLOR_TYPE[channels];
  const chunks = [chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  const out = new Uint8Array(8 + chunks.reduce((n, c) => n + c.length, 0));
  out.set(signature, 0);
  let off = 8;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}
