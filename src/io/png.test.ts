import { unzlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from './png.js';

/** Decodes what encodePng writes (8-bit, Sub filter only) — enough to round-trip. */
function decode(png: Uint8Array): { w: number; h: number; ch: number; px: Uint8Array } {
  const dv = new DataView(png.buffer, png.byteOffset);
  let off = 8;
  let w = 0;
  let h = 0;
  let ch = 0;
  const idat: Uint8Array[] = [];
  while (off < png.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const data = png.subarray(off + 8, off + 8 + len);
    expect(dv.getUint32(off + 8 + len)).toBe(crc32(png, off + 4, off + 8 + len));
    if (type === 'IHDR') {
      w = dv.getUint32(off + 8);
      h = dv.getUint32(off + 12);
      ch = { 0: 1, 2: 3, 6: 4 }[data[9]!]!;
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = unzlibSync(idat[0]!);
  const px = new Uint8Array(w * h * ch);
  for (let y = 0; y < h; y++) {
    const o = y * (w * ch + 1);
    expect(raw[o]).toBe(1);
    for (let x = 0; x < w * ch; x++) {
      const left = x >= ch ? px[y * w * ch + x - ch]! : 0;
      px[y * w * ch + x] = (raw[o + 1 + x]! + left) & 0xff;
    }
  }
  return { w, h, ch, px };
}

describe('encodePng', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips RGBA and grey pixels with the PNG signature and chunk CRCs', () => {
    const w = 7;
    const h = 5;
    const rgba = new Uint8Array(w * h * 4).map((_, i) => (i * 37) & 0xff);
    const png = encodePng(rgba, w, h);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const d = decode(png);
    expect([d.w, d.h, d.ch]).toEqual([w, h, 4]);
    expect(d.px).toEqual(rgba);
    const grey = new Uint8Array(w * h).map((_, i) => 255 - i);
    expect(decode(encodePng(grey, w, h, { channels: 1 })).px).toEqual(grey);
  });

  it('rejects a pixel buffer of the wrong length', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/expected 16 bytes/);
  });
});
