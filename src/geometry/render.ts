/**
 * A small z-buffer software rasteriser with orthographic views: no GPU, no browser. It produces depth and face-id
 * buffers that the silhouette descriptor and the thumbnail renderer build on. Triangles are drawn two-sided.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Mesh } from '../core/mesh.js';

export type Vec3 = [number, number, number];

/** An orthographic camera: `dir` points from the object toward the camera; `up` is the screen's up direction. */
export interface View {
  dir: Vec3;
  up: Vec3;
}

export interface RasterOptions {
  /**
   * How the image is framed: `sphere` maps [-1, 1]² of view space onto the image (for meshes already in the unit
   * sphere: comparable scale across views), `bbox` fits the projected bounds (thumbnails). Default `sphere`.
   */
  fit?: 'sphere' | 'bbox';
  /** Fraction of the image left empty on each side when `fit` is `bbox` (default 0.06). */
  margin?: number;
}

/** Depth per pixel (view-space distance toward the camera; −Infinity where empty) and the id of the visible face. */
export interface DepthImage {
  width: number;
  height: number;
  depth: Float32Array;
  face: Int32Array;
  /** The camera basis used (rows: right, up, toward-camera). */
  basis: [Vec3, Vec3, Vec3];
}

function normalize3(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  if (!(l > 0)) throw new LayerwiseError('invalid_argument', `render: zero-length direction ${JSON.stringify(v)}`);
  return [v[0] / l, v[1] / l, v[2] / l];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Right/up/forward rows of a view; `up` is re-orthogonalised (a fallback up is used when it is parallel to `dir`). */
export function viewBasis(view: View): [Vec3, Vec3, Vec3] {
  const f = normalize3(view.dir);
  let up = view.up;
  const c = cross(up, f);
  if (Math.hypot(c[0], c[1], c[2]) < 1e-6) up = Math.abs(f[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0];
  const r = normalize3(cross(up, f));
  const u = cross(f, r);
  return [r, u, f];
}

/** Rasterises `mesh` seen from `view` into a `size`×`size` depth image. */
export function rasterize(
  mesh: Pick<Mesh, 'positions' | 'indices'>,
  view: View,
  size: number,
  options: RasterOptions = {},
): DepthImage {
  if (!Number.isInteger(size) || size < 1 || size > 8192) {
    throw new LayerwiseError('invalid_argument', `render: size must be an integer in 1..8192, got ${size}`);
  }
  const basis = viewBasis(view);
  const [r, u, f] = basis;
  const p = mesh.positions;
  const nv = p.length / 3;
  const sx = new Float32Array(nv);
  const sy = new Float32Array(nv);
  const sz = new Float32Array(nv);
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < nv; i++) {
    const x = p[3 * i]!;
    const y = p[3 * i + 1]!;
    const z = p[3 * i + 2]!;
    const vx = r[0] * x + r[1] * y + r[2] * z;
    const vy = u[0] * x + u[1] * y + u[2] * z;
    sx[i] = vx;
    sy[i] = vy;
    sz[i] = f[0] * x + f[1] * y + f[2] * z;
    if (vx < minX) minX = vx;
    if (vx > maxX) maxX = vx;
    if (vy < minY) minY = vy;
    if (vy > maxY) maxY = vy;
  }
  let scale = size / 2;
  let cx = 0;
  let cy = 0;
  if (options.fit === 'bbox' && nv > 0) {
    const margin = options.margin ?? 0.06;
    const extent = Math.max(maxX - minX, maxY - minY, 1e-12);
    scale = (size * (1 - 2 * margin)) / extent;
    cx = (minX + maxX) / 2;
    cy = (minY + maxY) / 2;
  }
  const half = size / 2;
  for (let i = 0; i < nv; i++) {
    sx[i] = (sx[i]! - cx) * scale + half;
    sy[i] = half - (sy[i]! - cy) * scale;
  }
  const depth = new Float32Array(size * size).fill(Number.NEGATIVE_INFINITY);
  const face = new Int32Array(size * size).fill(-1);
  const idx = mesh.indices;
  const nt = idx.length / 3;
  for (let t = 0; t < nt; t++) {
    const a = idx[3 * t]!;
    const b = idx[3 * t + 1]!;
    const c = idx[3 * t + 2]!;
    const ax = sx[a]!;
    const ay = sy[a]!;
    const bx = sx[b]!;
    const by = sy[b]!;
    const qx = sx[c]!;
    const qy = sy[c]!;
    const area = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
    if (area === 0 || !Number.isFinite(area)) continue;
    const inv = 1 / area;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, qx)));
    const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx, qx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, qy)));
    const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by, qy)));
    const za = sz[a]!;
    const zb = sz[b]!;
    const zc = sz[c]!;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5;
        const w0 = ((bx - px) * (qy - py) - (by - py) * (qx - px)) * inv;
        const w1 = ((qx - px) * (ay - py) - (qy - py) * (ax - px)) * inv;
        const w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const z = w0 * za + w1 * zb + w2 * zc;
        const o = y * size + x;
        if (z > depth[o]!) {
          depth[o] = z;
          face[o] = t;
        }
      }
    }
  }
  return { width: size, height: size, depth, face, basis };
}

/** Silhouette (1 where any surface is visible) of a depth image. */
export function silhouette(image: DepthImage): Uint8Array {
  const m = new Uint8Array(image.face.length);
  for (let i = 0; i < m.length; i++) m[i] = image.face[i]! >= 0 ? 1 : 0;
  return m;
}
