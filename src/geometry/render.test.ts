import { describe, expect, it } from 'vitest';
import { rasterize, silhouette } from './render.js';
import { renderShaded, renderThumbnail } from './render-thumbnail.js';
import { box, subdivide, uvSphere } from './sample-primitives.js';

describe('rasterize', () => {
  it('draws a unit cube from +z as a square covering 1/4 of the [-1, 1]² frame at depth 0.5', () => {
    const img = rasterize(box(1, 1, 1), { dir: [0, 0, 1], up: [0, 1, 0] }, 64);
    const mask = silhouette(img);
    expect(mask.reduce((s, v) => s + v, 0)).toBe(32 * 32);
    expect(img.depth[32 * 64 + 32]).toBeCloseTo(0.5, 5);
    expect(img.face[0]).toBe(-1);
  });

  it('keeps the nearest surface (z-buffer) and frames the projected bounds with fit=bbox', () => {
    const img = rasterize(box(2, 2, 2), { dir: [1, 0, 0], up: [0, 0, 1] }, 40, { fit: 'bbox', margin: 0 });
    expect(silhouette(img).reduce((s, v) => s + v, 0)).toBe(40 * 40);
    expect(img.depth[20 * 40 + 20]).toBeCloseTo(1, 5);
  });
});

describe('renderThumbnail', () => {
  it('writes a 256×256 PNG with a shaded opaque object on a transparent background', () => {
    const png = renderThumbnail(uvSphere(5));
    expect(Array.from(png.subarray(1, 4))).toEqual([80, 78, 71]);
    const dv = new DataView(png.buffer, png.byteOffset);
    expect([dv.getUint32(16), dv.getUint32(20)]).toEqual([256, 256]);
    const px = renderShaded(uvSphere(5), { size: 64 });
    expect(px[3]).toBe(0); // corner: background
    const c = (32 * 64 + 32) * 4;
    expect(px[c + 3]).toBe(255);
    // lit from above: the top of the sphere is brighter than the bottom
    const top = (8 * 64 + 32) * 4;
    const bottom = (56 * 64 + 32) * 4;
    expect(px[top]!).toBeGreaterThan(px[bottom]!);
  });

  it('renders a 20k-triangle mesh quickly', () => {
    const m = subdivide(subdivide(uvSphere(1, 64, 40)));
    expect(m.indices.length / 3).toBeGreaterThan(20_000);
    renderThumbnail(m);
    // CPU time of the best of 3 (wall time on a shared CI machine mostly measures the neighbours): ~25 ms idle
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const c = process.cpuUsage();
      renderThumbnail(m);
      const used = process.cpuUsage(c);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    expect(best).toBeLessThan(250);
  });
});
