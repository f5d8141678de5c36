/**
 * Rotation-invariant spherical-harmonic shell energies, after Kazhdan, Funkhouser & Rusinkiewicz, "Rotation Invariant
 * Spherical Harmonic Representation of 3D Shape Descriptors", SGP 2003 (the SHD): surface points are split into
 * concentric shells; in each shell the energy of every harmonic degree l is ‖f_l‖² = (2l+1)/(4π) Σ_ij P_l(u_i·u_j)
 * by the addition theorem, so no Y_lm is ever evaluated. We return √(energy) per (shell, degree), normalised by the
 * number of points — invariant to any rotation about the centroid. Also: a cylindrical (z, r_xy) occupancy histogram
 * that is invariant to rotation about the up axis (z), the pose convention of printable parts.
 */
import type { PointCloud } from './sample.js';

export const SHELLS = 8;
export const DEGREES = 8;
export const HARMONIC_FEATURES = SHELLS * DEGREES;
export const CYL_Z_BINS = 8;
export const CYL_R_BINS = 6;
export const CYLINDER_FEATURES = CYL_Z_BINS * CYL_R_BINS;

/**
 * Shell harmonic energies of a cloud centred at the origin inside the unit sphere; uses at most `maxPoints` points
 * (a prefix: the cloud is already randomly ordered).
 */
export function shellHarmonics(cloud: PointCloud, maxPoints = 1024): Float32Array {
  const n = Math.min(cloud.count, maxPoints);
  const p = cloud.points;
  const shell = new Int32Array(n);
  const ux = new Float64Array(n);
  const uy = new Float64Array(n);
  const uz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = p[3 * i]!;
    const y = p[3 * i + 1]!;
    const z = p[3 * i + 2]!;
    const r = Math.hypot(x, y, z);
    shell[i] = Math.min(SHELLS - 1, Math.floor(r * SHELLS));
    const inv = r > 0 ? 1 / r : 0;
    ux[i] = x * inv;
    uy[i] = y * inv;
    uz[i] = z * inv;
  }
  const energy = new Float64Array(HARMONIC_FEATURES);
  const pl = new Float64Array(DEGREES);
  for (let i = 0; i < n; i++) {
    const si = shell[i]!;
    for (let j = i; j < n; j++) {
      if (shell[j] !== si) continue;
      const c = ux[i]! * ux[j]! + uy[i]! * uy[j]! + uz[i]! * uz[j]!;
      // Legendre recurrence: (l+1) P_{l+1} = (2l+1) c P_l − l P_{l−1}
      pl[0] = 1;
      pl[1] = c;
      for (let l = 1; l < DEGREES - 1; l++) pl[l + 1] = ((2 * l + 1) * c * pl[l]! - l * pl[l - 1]!) / (l + 1);
      const w = i === j ? 1 : 2;
      const o = si * DEGREES;
      for (let l = 0; l < DEGREES; l++) energy[o + l] += w * pl[l]!;
    }
  }
  const out = new Float32Array(HARMONIC_FEATURES);
  for (let k = 0; k < HARMONIC_FEATURES; k++) {
    const l = k % DEGREES;
    out[k] = Math.sqrt(Math.max(0, ((2 * l + 1) / (4 * Math.PI)) * energy[k]!)) / n;
  }
  return out;
}

/** Fraction of points per (z, r_xy) cell: z over [−1, 1], r_xy over [0, 1]; invariant to rotation about z. */
export function cylinderHistogram(cloud: PointCloud): Float32Array {
  const out = new Float32Array(CYLINDER_FEATURES);
  const p = cloud.points;
  const n = cloud.count;
  for (let i = 0; i < n; i++) {
    const zb = Math.min(CYL_Z_BINS - 1, Math.max(0, Math.floor(((p[3 * i + 2]! + 1) / 2) * CYL_Z_BINS)));
    const rb = Math.min(CYL_R_BINS - 1, Math.floor(Math.hypot(p[3 * i]!, p[3 * i + 1]!) * CYL_R_BINS));
    out[zb * CYL_R_BINS + rb] += 1 / n;
  }
  return out;
}
