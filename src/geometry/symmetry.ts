/**
 * Two proportion-aware invariants of a z-up point cloud with normals, both unchanged by rotation about z, uniform
 * scaling and translation:
 * - the azimuthal symmetry spectrum: |Σ hᵢ e^{imθᵢ}| / Σ hᵢ for m = 1…M, where θᵢ is the azimuth of a sample's
 *   normal and hᵢ its horizontal length. An n-sided prism scores exactly 1 at every multiple of n and ≈ 0 elsewhere,
 *   whatever its height and radius — the cue that tells a hexagonal from a heptagonal bar. It is the angular Fourier
 *   magnitude of the extended Gaussian image's equator (Horn, "Extended Gaussian images", Proc. IEEE 1984).
 * - the stretch: log(rms per-axis horizontal spread / rms vertical spread), i.e. how squat (> 0) or tall (< 0) a
 *   shape is; `stretchVertically` removes it (z rescaled so that both spreads match).
 */
import type { PointCloud } from './sample.js';

/** Magnitudes of the first `harmonics` angular Fourier coefficients of the normals' azimuths (each in [0, 1]). */
export function azimuthSpectrum(cloud: PointCloud, harmonics = 12): Float32Array {
  const re = new Float64Array(harmonics);
  const im = new Float64Array(harmonics);
  let total = 0;
  for (let i = 0; i < cloud.count; i++) {
    const nx = cloud.normals[3 * i]!;
    const ny = cloud.normals[3 * i + 1]!;
    const h = Math.hypot(nx, ny);
    if (h < 1e-6) continue;
    total += h;
    const theta = Math.atan2(ny, nx);
    for (let m = 1; m <= harmonics; m++) {
      re[m - 1] += h * Math.cos(m * theta);
      im[m - 1] += h * Math.sin(m * theta);
    }
  }
  const out = new Float32Array(harmonics);
  if (total > 0) for (let m = 0; m < harmonics; m++) out[m] = Math.hypot(re[m]!, im[m]!) / total;
  return out;
}

/** Rms horizontal spread per axis and rms vertical spread about the centroid of `count` rows of `stride` values. */
function spreads(xyz: ArrayLike<number>, offset: number, count: number, stride: number): [number, number] {
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (let i = 0; i < count; i++) {
    const o = offset + i * stride;
    mx += xyz[o]!;
    my += xyz[o + 1]!;
    mz += xyz[o + 2]!;
  }
  mx /= count;
  my /= count;
  mz /= count;
  let h = 0;
  let v = 0;
  for (let i = 0; i < count; i++) {
    const o = offset + i * stride;
    h += (xyz[o]! - mx) ** 2 + (xyz[o + 1]! - my) ** 2;
    v += (xyz[o + 2]! - mz) ** 2;
  }
  return [Math.sqrt(h / (2 * count)), Math.sqrt(v / count)];
}

/** log(horizontal / vertical spread), clamped to ±5 (flat or needle-like shapes). 0 for an empty cloud. */
export function logStretch(cloud: PointCloud): number {
  if (cloud.count === 0) return 0;
  const [h, v] = spreads(cloud.points, 0, cloud.count, 3);
  if (!(h > 0) || !(v > 0)) return h > 0 ? 5 : v > 0 ? -5 : 0;
  return Math.max(-5, Math.min(5, Math.log(h / v)));
}

/**
 * Rescales z of `count` rows [x, y, z, nx, ny, nz] (from row offset `base`) by (horizontal / vertical spread)^strength
 * (factor clamped to [1/20, 20]): strength 1 makes both spreads equal, 0.5 halves the log stretch. Normals follow
 * (inverse transpose) and are re-normalised.
 */
export function stretchVertically(rows: Float32Array, base: number, count: number, strength = 1): void {
  if (count === 0) return;
  const offset = base * 6;
  const [h, v] = spreads(rows, offset, count, 6);
  if (!(h > 0) || !(v > 0)) return;
  const k = Math.max(1 / 20, Math.min(20, (h / v) ** strength));
  for (let i = 0; i < count; i++) {
    const o = offset + i * 6;
    rows[o + 2] = rows[o + 2]! * k;
    const nz = rows[o + 5]! / k;
    const l = Math.hypot(rows[o + 3]!, rows[o + 4]!, nz) || 1;
    rows[o + 3] = rows[o + 3]! / l;
    rows[o + 4] = rows[o + 4]! / l;
    rows[o + 5] = nz / l;
  }
}
