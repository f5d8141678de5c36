/**
 * A silhouette-view descriptor in the spirit of the Light Field Descriptor (Chen, Tian, Shen & Ouhyoung, "On Visual
 * Similarity Based 3D Model Retrieval", Eurographics 2003). Instead of matching 10 views over 60 dodecahedron
 * rotations, the mesh is put in its PCA frame (normalize.ts) and seen from 7 fixed directions (3 principal axes, 4
 * cube diagonals); each silhouette + depth image is summarised by in-plane-rotation-invariant features: coverage,
 * a radial histogram and angular Fourier magnitudes per ring (a cheap stand-in for Zernike moments), and depth
 * statistics. The result is a fixed-length vector usable with cosine distance.
 */
import type { Mesh } from '../core/mesh.js';
import { type Mat3, transformPoints } from './normalize.js';
import { rasterize, type Vec3 } from './render.js';

const DIRECTIONS: Vec3[] = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 1, 1],
  [1, 1, -1],
  [1, -1, 1],
  [-1, 1, 1],
];
const RINGS = 3;
const HARMONICS = 4;
const RADIAL_BINS = 6;
/** Values per view: coverage, radial histogram, ring × harmonic magnitudes, depth mean / spread. */
export const VIEW_FEATURES = 1 + RADIAL_BINS + RINGS * HARMONICS + 2;
export const VIEW_COUNT = DIRECTIONS.length;

export interface ViewDescriptorOptions {
  /** Image size in pixels (default 32). */
  size?: number;
}

/**
 * The view descriptor of a mesh already centred and scaled into the unit sphere; `axes` is its PCA frame (rows), as
 * returned by `pcaFrame`. Length VIEW_COUNT × VIEW_FEATURES.
 */
export function viewDescriptor(
  mesh: Pick<Mesh, 'positions' | 'indices'>,
  axes: Mat3,
  options: ViewDescriptorOptions = {},
): Float32Array {
  const size = options.size ?? 32;
  const aligned = { positions: transformPoints(mesh.positions, axes), indices: mesh.indices };
  const out = new Float32Array(VIEW_COUNT * VIEW_FEATURES);
  const c = size / 2;
  DIRECTIONS.forEach((dir, v) => {
    const up: Vec3 = v === 2 ? [0, 1, 0] : [0, 0, 1];
    const img = rasterize(aligned, { dir, up }, size, { fit: 'sphere' });
    const o = v * VIEW_FEATURES;
    let covered = 0;
    let zs = 0;
    let zz = 0;
    const radial = new Float32Array(RADIAL_BINS);
    const re = new Float64Array(RINGS * HARMONICS);
    const im = new Float64Array(RINGS * HARMONICS);
    const ringMass = new Float64Array(RINGS);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        if (img.face[i]! < 0) continue;
        covered++;
        const z = img.depth[i]!;
        zs += z;
        zz += z * z;
        const dx = (x + 0.5 - c) / c;
        const dy = (y + 0.5 - c) / c;
        const r = Math.min(0.9999, Math.hypot(dx, dy));
        radial[Math.floor(r * RADIAL_BINS)] += 1;
        const ring = Math.floor(r * RINGS);
        ringMass[ring] += 1;
        const th = Math.atan2(dy, dx);
        for (let h = 1; h <= HARMONICS; h++) {
          re[ring * HARMONICS + h - 1] += Math.cos(h * th);
          im[ring * HARMONICS + h - 1] += Math.sin(h * th);
        }
      }
    }
    out[o] = covered / (size * size);
    for (let b = 0; b < RADIAL_BINS; b++) out[o + 1 + b] = covered > 0 ? radial[b]! / covered : 0;
    for (let k = 0; k < RINGS * HARMONICS; k++) {
      const m = ringMass[Math.floor(k / HARMONICS)]!;
      out[o + 1 + RADIAL_BINS + k] = m > 0 ? Math.hypot(re[k]!, im[k]!) / m : 0;
    }
    const mean = covered > 0 ? zs / covered : 0;
    out[o + 1 + RADIAL_BINS + RINGS * HARMONICS] = mean;
    out[o + 2 + RADIAL_BINS + RINGS * HARMONICS] = covered > 0 ? Math.sqrt(Math.max(0, zz / covered - mean * mean)) : 0;
  });
  return out;
}
