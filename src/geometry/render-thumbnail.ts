/**
 * Shaded thumbnails (PNG) from the software rasteriser: a three-quarter view with z up (the 3D-printing convention),
 * hemisphere + key/fill lighting per face, depth-edge outlines and 2×2 supersampling for smooth edges.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Mesh } from '../core/mesh.js';
import { encodePng } from '../io/png.js';
import { rasterize, type Vec3, type View } from './render.js';

export interface ThumbnailOptions {
  /** Output width and height in pixels (default 256). */
  size?: number;
  /** Base colour of the part, RGB 0–255 (default a print orange). */
  color?: Vec3;
  /** Background RGBA 0–255 (default transparent). */
  background?: [number, number, number, number];
  /** Camera azimuth about z and elevation above the xy-plane, degrees (default −55, 28). */
  azimuthDeg?: number;
  elevationDeg?: number;
  /** Supersampling factor per axis (default 2; 1 is faster and jaggier). */
  supersample?: number;
}

/** The camera of a thumbnail: azimuth about z, elevation above the xy-plane. */
export function orbitView(azimuthDeg: number, elevationDeg: number): View {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  return { dir: [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)], up: [0, 0, 1] };
}

/** Per-face brightness in [0, 1.2] for a view: hemisphere light + key + fill, normals flipped toward the camera. */
function faceShades(mesh: Pick<Mesh, 'positions' | 'indices'>, toCamera: Vec3): Float32Array {
  const p = mesh.positions;
  const idx = mesh.indices;
  const nt = idx.length / 3;
  const out = new Float32Array(nt);
  const key = norm([0.35, -0.55, 0.76]);
  const fill = norm([-0.7, 0.3, 0.2]);
  for (let t = 0; t < nt; t++) {
    const a = idx[3 * t]! * 3;
    const b = idx[3 * t + 1]! * 3;
    const c = idx[3 * t + 2]! * 3;
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    let nx = uy * vz - uz * vy;
    let ny = uz * vx - ux * vz;
    let nz = ux * vy - uy * vx;
    const l = Math.hypot(nx, ny, nz) || 1;
    nx /= l;
    ny /= l;
    nz /= l;
    if (nx * toCamera[0] + ny * toCamera[1] + nz * toCamera[2] < 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    const hemi = 0.5 + 0.5 * nz;
    const k = Math.max(0, nx * key[0] + ny * key[1] + nz * key[2]);
    const f = Math.max(0, nx * fill[0] + ny * fill[1] + nz * fill[2]);
    out[t] = 0.28 + 0.2 * hemi + 0.62 * k + 0.18 * f;
  }
  return out;
}

function norm(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / l, v[1] / l, v[2] / l];
}

/** Renders a shaded RGBA image (`size`×`size`, 4 bytes per pixel) of a mesh. */
export function renderShaded(mesh: Pick<Mesh, 'positions' | 'indices'>, options: ThumbnailOptions = {}): Uint8Array {
  const size = options.size ?? 256;
  const ss = options.supersample ?? 2;
  if (!Number.isInteger(size) || size < 8 || size > 2048) {
    throw new LayerwiseError('invalid_argument', `renderThumbnail: size must be an integer in 8..2048, got ${size}`);
  }
  if (mesh.indices.length === 0) {
    throw new LayerwiseError('invalid_argument', 'renderThumbnail: the mesh has no triangles; nothing to draw');
  }
  const color = options.color ?? [236, 128, 44];
  const bg = options.background ?? [0, 0, 0, 0];
  const view = orbitView(options.azimuthDeg ?? -55, options.elevationDeg ?? 28);
  const big = size * ss;
  const img = rasterize(mesh, view, big, { fit: 'bbox', margin: 0.05 });
  const shade = faceShades(mesh, img.basis[2]);
  // depth-edge threshold: a fraction of the depth range
  let zMin = Number.POSITIVE_INFINITY;
  let zMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < img.depth.length; i++) {
    const z = img.depth[i]!;
    if (z === Number.NEGATIVE_INFINITY) continue;
    if (z < zMin) zMin = z;
    if (z > zMax) zMax = z;
  }
  const edgeDz = Math.max(1e-9, (zMax - zMin) * 0.04);
  const out = new Uint8Array(size * size * 4);
  const acc = new Float32Array(4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      acc.fill(0);
      for (let j = 0; j < ss; j++) {
        for (let i = 0; i < ss; i++) {
          const bx = x * ss + i;
          const by = y * ss + j;
          const o = by * big + bx;
          const t = img.face[o]!;
          if (t < 0) continue;
          const z = img.depth[o]!;
          let s = shade[t]!;
          // darken depth discontinuities (outlines) and pixels far from the camera (depth cue)
          const l = bx > 0 ? img.depth[o - 1]! : Number.NEGATIVE_INFINITY;
          const u = by > 0 ? img.depth[o - big]! : Number.NEGATIVE_INFINITY;
          if (z - l > edgeDz || z - u > edgeDz || l - z > edgeDz || u - z > edgeDz) s *= 0.55;
          s *= 0.85 + 0.15 * ((z - zMin) / Math.max(1e-9, zMax - zMin));
          acc[0] = acc[0]! + Math.min(255, color[0] * s);
          acc[1] = acc[1]! + Math.min(255, color[1] * s);
          acc[2] = acc[2]! + Math.min(255, color[2] * s);
          acc[3] = acc[3]! + 1;
        }
      }
      const n = ss * ss;
      const cover = acc[3]! / n;
      const o = (y * size + x) * 4;
      const bgA = bg[3] / 255;
      const alpha = cover + bgA * (1 - cover);
      if (alpha <= 0) continue;
      for (let k = 0; k < 3; k++) {
        const fg = acc[3]! > 0 ? acc[k]! / acc[3]! : 0;
        out[o + k] = Math.round((fg * cover + bg[k]! * bgA * (1 - cover)) / alpha);
      }
      out[o + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

/** A shaded PNG thumbnail of `mesh` (default 256×256, transparent background). */
export function renderThumbnail(mesh: Pick<Mesh, 'positions' | 'indices'>, options: ThumbnailOptions = {}): Uint8Array {
  const size = options.size ?? 256;
  return encodePng(renderShaded(mesh, options), size, size, { channels: 4, level: 4 });
}
