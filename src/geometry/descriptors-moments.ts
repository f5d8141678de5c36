/**
 * Extents and moments of a normalised point cloud: PCA variances and extents, radial-distance moments and histogram,
 * normal-orientation statistics, and a few up-axis (z) features that are invariant to rotation about z (printable
 * parts share "z up"). Global shape features in the tradition of Zhang & Chen, "Efficient feature extraction for 2D/3D
 * objects in mesh representation", ICIP 2001, and Paquet et al., "Description of shape information for 2-D and 3-D
 * objects", 2000.
 */
import type { Mesh } from '../core/mesh.js';
import { pcaFrame, symmetricEigen3, transformPoints } from './normalize.js';
import type { PointCloud } from './sample.js';

/** Number of values `momentFeatures` returns. */
export const MOMENT_FEATURES = 32;

function moments(values: Float64Array): [number, number, number, number] {
  const n = values.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i]!;
  m /= n;
  let v = 0;
  let s = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    v += d * d;
    s += d * d * d;
    k += d * d * d * d;
  }
  v /= n;
  const sd = Math.sqrt(v);
  return [m, sd, sd > 0 ? s / n / (sd * sd * sd) : 0, sd > 0 ? k / n / (v * v) - 3 : 0];
}

/**
 * 32 global features of a cloud centred at the origin and scaled into the unit sphere; `areaRatio` is the mesh
 * surface area divided by the area of its bounding sphere (pass 0 when unknown).
 */
export function momentFeatures(cloud: PointCloud, areaRatio = 0): Float32Array {
  const n = cloud.count;
  const out = new Float32Array(MOMENT_FEATURES);
  const { axes, variances } = pcaFrame(cloud.points, n);
  const q = transformPoints(cloud.points, axes);
  const nq = transformPoints(cloud.normals, axes);
  const l1 = Math.max(variances[0], 1e-12);
  let o = 0;
  out[o++] = Math.sqrt(Math.max(0, variances[0]));
  out[o++] = Math.sqrt(Math.max(0, variances[1]) / l1);
  out[o++] = Math.sqrt(Math.max(0, variances[2]) / l1);
  // extents along the principal axes
  for (let a = 0; a < 3; a++) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = q[3 * i + a]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out[o++] = (hi - lo) / 2;
  }
  // radial distance moments + histogram over [0, 1]
  const radial = new Float64Array(n);
  for (let i = 0; i < n; i++) radial[i] = Math.hypot(q[3 * i]!, q[3 * i + 1]!, q[3 * i + 2]!);
  for (const m of moments(radial)) out[o++] = m;
  const rh = new Float32Array(8);
  for (let i = 0; i < n; i++) rh[Math.min(7, Math.floor(radial[i]! * 8))] += 1 / n;
  for (let b = 0; b < 8; b++) out[o++] = rh[b]!;
  // normal orientation in the PCA frame: mean |n·axis| and the fraction of normals within ~8° of an axis
  for (let a = 0; a < 3; a++) {
    let s = 0;
    let aligned = 0;
    for (let i = 0; i < n; i++) {
      const c = Math.abs(nq[3 * i + a]!);
      s += c;
      if (c > 0.99) aligned++;
    }
    out[o++] = s / n;
    out[o++] = aligned / n;
  }
  // z-up features (invariant to rotation about z): z extent, xy radius moments, |n_z| mean, fraction of flat-up faces
  const p = cloud.points;
  let zlo = Number.POSITIVE_INFINITY;
  let zhi = Number.NEGATIVE_INFINITY;
  const rxy = new Float64Array(n);
  let nz = 0;
  let flat = 0;
  for (let i = 0; i < n; i++) {
    const z = p[3 * i + 2]!;
    if (z < zlo) zlo = z;
    if (z > zhi) zhi = z;
    rxy[i] = Math.hypot(p[3 * i]!, p[3 * i + 1]!);
    const c = Math.abs(cloud.normals[3 * i + 2]!);
    nz += c;
    if (c > 0.99) flat++;
  }
  out[o++] = (zhi - zlo) / 2;
  const [rm, rs] = moments(rxy);
  out[o++] = rm;
  out[o++] = rs;
  out[o++] = nz / n;
  out[o++] = flat / n;
  out[o++] = Math.log1p(Math.max(0, areaRatio));
  return out;
}

/** Number of values `surfaceInvariants` returns. */
export const INVARIANT_FEATURES = 4;

/**
 * Exact (sampling-free) similarity invariants of a triangle surface, from closed-form triangle integrals
 * ∫_T x xᵀ dA = (A/12)(a aᵀ + b bᵀ + c cᵀ + s sᵀ), s = a + b + c: the second-moment eigenvalue ratios λ2/λ1 and
 * λ3/λ1 about the area centroid, trace(C)/A (spread relative to area) and the isoperimetric ratio 36πV²/A³ (1 for a
 * sphere; meaningful for closed meshes). Unchanged by rotation, translation, uniform scale and re-triangulation:
 * the basis of near-duplicate detection.
 */
export function surfaceInvariants(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array {
  const p = mesh.positions;
  const idx = mesh.indices;
  let area = 0;
  let volume = 0;
  const first = [0, 0, 0];
  const second = new Float64Array(9);
  for (let t = 0; t < idx.length; t += 3) {
    const a = idx[t]! * 3;
    const b = idx[t + 1]! * 3;
    const c = idx[t + 2]! * 3;
    const va = [p[a]!, p[a + 1]!, p[a + 2]!];
    const vb = [p[b]!, p[b + 1]!, p[b + 2]!];
    const vc = [p[c]!, p[c + 1]!, p[c + 2]!];
    const u = [vb[0]! - va[0]!, vb[1]! - va[1]!, vb[2]! - va[2]!];
    const v = [vc[0]! - va[0]!, vc[1]! - va[1]!, vc[2]! - va[2]!];
    const cx = u[1]! * v[2]! - u[2]! * v[1]!;
    const cy = u[2]! * v[0]! - u[0]! * v[2]!;
    const cz = u[0]! * v[1]! - u[1]! * v[0]!;
    const at = 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    if (!(at > 0)) continue;
    area += at;
    volume +=
      (va[0]! * (vb[1]! * vc[2]! - vb[2]! * vc[1]!) +
        va[1]! * (vb[2]! * vc[0]! - vb[0]! * vc[2]!) +
        va[2]! * (vb[0]! * vc[1]! - vb[1]! * vc[0]!)) /
      6;
    const s = [va[0]! + vb[0]! + vc[0]!, va[1]! + vb[1]! + vc[1]!, va[2]! + vb[2]! + vc[2]!];
    for (let i = 0; i < 3; i++) {
      first[i] = first[i]! + (at * s[i]!) / 3;
      for (let j = 0; j < 3; j++) {
        second[3 * i + j] += (at / 12) * (va[i]! * va[j]! + vb[i]! * vb[j]! + vc[i]! * vc[j]! + s[i]! * s[j]!);
      }
    }
  }
  const out = new Float32Array(INVARIANT_FEATURES);
  if (!(area > 0)) return out;
  const m = first.map((x) => x / area);
  const cov = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[3 * i + j] = second[3 * i + j]! / area - m[i]! * m[j]!;
  const { values } = symmetricEigen3(cov);
  const l1 = Math.max(values[0], 1e-30);
  out[0] = Math.max(0, values[1]) / l1;
  out[1] = Math.max(0, values[2]) / l1;
  out[2] = (values[0] + values[1] + values[2]) / area;
  out[3] = Math.min(1.5, (36 * Math.PI * volume * volume) / (area * area * area));
  return out;
}
