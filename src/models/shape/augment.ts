/**
 * Point-cloud views for self-supervised training and test-time averaging: resampling (a random subset of the
 * prepared surface samples), rotation about the up axis (z), anisotropic scaling, jitter, then re-normalisation to
 * the unit sphere. The augmentations of SimCLR (Chen et al., "A Simple Framework for Contrastive Learning of Visual
 * Representations", ICML 2020) transposed to point clouds.
 */
import type { Rng } from '../../core/rng.js';
import type { PointCloud } from '../../geometry/sample.js';
import { stretchVertically } from '../../geometry/symmetry.js';

export interface AugmentOptions {
  /** Points per view. */
  points: number;
  /** Rotate about z by a uniform angle (default true). */
  rotate: boolean;
  /** Per-axis scale factors drawn log-uniformly from [1/s, s] (default 1.25; 1 disables). */
  scale: number;
  /** Std of Gaussian jitter added to each coordinate (default 0.01). */
  jitter: number;
  /**
   * Canonical yaw before output: `quarter` turns the view about z so the phase of its 4th angular harmonic is 0,
   * fixing the yaw up to quarter turns (which the encoder averages over); `axis` aligns the principal xy-axis with
   * +x (heavier side by third moment). Either makes the view invariant to rotation about the up axis.
   */
  canonicalYaw?: 'none' | 'quarter' | 'axis';
  /**
   * Rescale z by (horizontal / vertical spread)^stretchZ (geometry/symmetry.ts) before the unit-sphere scaling: at 1
   * the view forgets how tall or squat the shape is (parametric variants of one part differ mostly so); 0 disables.
   */
  stretchZ?: number;
}

/**
 * Writes one view of `cloud` as rows of [x, y, z, nx, ny, nz] into `out` at row offset `row`. With `rng` null the
 * view is deterministic: the first `points` samples, rotated by `angle` about z and not otherwise altered.
 */
export function writeView(
  cloud: PointCloud,
  out: Float32Array,
  row: number,
  options: AugmentOptions,
  rng: Rng | null,
  angle = 0,
): void {
  const n = options.points;
  const theta = rng && options.rotate ? rng.uniform(0, 2 * Math.PI) : angle;
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const logS = Math.log(options.scale);
  const sx = rng ? Math.exp(rng.uniform(-logS, logS)) : 1;
  const sy = rng ? Math.exp(rng.uniform(-logS, logS)) : 1;
  const sz = rng ? Math.exp(rng.uniform(-logS, logS)) : 1;
  const jit = rng ? options.jitter : 0;
  const base = row * 6;
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let i = 0; i < n; i++) {
    const src = rng ? rng.int(cloud.count) : i % cloud.count;
    const x = cloud.points[3 * src]!;
    const y = cloud.points[3 * src + 1]!;
    const z = cloud.points[3 * src + 2]!;
    let nx = cloud.normals[3 * src]!;
    let ny = cloud.normals[3 * src + 1]!;
    let nz = cloud.normals[3 * src + 2]!;
    const o = base + i * 6;
    const px = (c * x - s * y) * sx + (jit ? jit * rng!.normal() : 0);
    const py = (s * x + c * y) * sy + (jit ? jit * rng!.normal() : 0);
    const pz = z * sz + (jit ? jit * rng!.normal() : 0);
    out[o] = px;
    out[o + 1] = py;
    out[o + 2] = pz;
    mx += px;
    my += py;
    mz += pz;
    // normals transform by the inverse transpose of the scaling
    const rx = c * nx - s * ny;
    const ry = s * nx + c * ny;
    nx = rx / sx;
    ny = ry / sy;
    nz = nz / sz;
    const l = Math.hypot(nx, ny, nz) || 1;
    out[o + 3] = nx / l;
    out[o + 4] = ny / l;
    out[o + 5] = nz / l;
  }
  mx /= n;
  my /= n;
  mz /= n;
  let r2 = 0;
  for (let i = 0; i < n; i++) {
    const o = base + i * 6;
    out[o] = out[o]! - mx;
    out[o + 1] = out[o + 1]! - my;
    out[o + 2] = out[o + 2]! - mz;
  }
  if (options.stretchZ) stretchVertically(out, row, n, options.stretchZ);
  for (let i = 0; i < n; i++) {
    const o = base + i * 6;
    r2 = Math.max(r2, out[o]! ** 2 + out[o + 1]! ** 2 + out[o + 2]! ** 2);
  }
  const inv = r2 > 0 ? 1 / Math.sqrt(r2) : 1;
  for (let i = 0; i < n; i++) {
    const o = base + i * 6;
    out[o] = out[o]! * inv;
    out[o + 1] = out[o + 1]! * inv;
    out[o + 2] = out[o + 2]! * inv;
  }
  if (options.canonicalYaw === 'axis') canonicalizeYaw(out, base, n);
  else if (options.canonicalYaw === 'quarter') quarterYaw(out, base, n);
}

function rotateRows(out: Float32Array, base: number, n: number, c: number, s: number): void {
  for (let i = 0; i < n; i++) {
    const o = base + i * 6;
    for (const k of [0, 3]) {
      const x = out[o + k]!;
      const y = out[o + k + 1]!;
      out[o + k] = c * x - s * y;
      out[o + k + 1] = s * x + c * y;
    }
  }
}

/** Rotates rows about z so that Σ r² e^{4iθ} is real and positive (yaw fixed modulo quarter turns). */
export function quarterYaw(out: Float32Array, base: number, n: number): void {
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    const o = base + i * 6;
    const x = out[o]!;
    const y = out[o + 1]!;
    // r² e^{4iθ} = (x + iy)⁴ / r²
    const r2 = x * x + y * y;
    if (r2 === 0) continue;
    const a = x * x - y * y;
    const b = 2 * x * y;
    re += (a * a - b * b) / r2;
    im += (2 * a * b) / r2;
  }
  if (re === 0 && im === 0) return;
  const phi = Math.atan2(im, re) / 4;
  rotateRows(out, base, n, Math.cos(-phi), Math.sin(-phi));
}

/** Rotates rows [x, y, z, nx, ny, nz] about z so the principal xy-axis is x and the x third moment is ≥ 0. */
export function canonicalizeYaw(out: Float32Array, base: number, n: number): void {
  let cxx = 0;
  let cxy = 0;
  let cyy = 0;
  for (let i = 0; i < n; i++) {
    const o = base + i * 6;
    cxx += out[o]! * out[o]!;
    cxy += out[o]! * out[o + 1]!;
    cyy += out[o + 1]! * out[o + 1]!;
  }
  const phi = 0.5 * Math.atan2(2 * cxy, cxx - cyy);
  let c = Math.cos(-phi);
  let s = Math.sin(-phi);
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const o = base + i * 6;
    const x = c * out[o]! - s * out[o + 1]!;
    m3 += x * x * x;
  }
  if (m3 < 0) {
    c = -c;
    s = -s;
  }
  rotateRows(out, base, n, c, s);
}
