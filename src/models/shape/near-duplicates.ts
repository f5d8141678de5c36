/**
 * Near-duplicate test: "the same shape up to pose and scale". It compares only the blocks of the low-level features
 * that are invariant to rotation, translation and uniform scale — the D2/A3/D3 shape distributions (Osada et al.
 * 2002) and the spherical-harmonic shell energies (Kazhdan et al. 2003) — so a re-posed, re-scaled or re-triangulated
 * copy scores near 0 while parametric siblings (a longer screw, a gear with more teeth) do not. Candidates come from
 * the embedding index; this check confirms them.
 */
import { FEATURE_BLOCKS } from '../../geometry/descriptors-features.js';

const INVARIANT = FEATURE_BLOCKS.filter(
  (b) => b.name === 'd2' || b.name === 'a3' || b.name === 'd3' || b.name === 'harmonics',
);
const INV = FEATURE_BLOCKS.find((b) => b.name === 'invariants')!;

/**
 * Distance in [0, 1]: the mean over invariant blocks of the 1-D earth mover's distance between the two histograms
 * (in units of the histogram's range; robust to sampling noise, unlike bin-wise distances). Harmonic shell energies
 * are compared as a normalised L1 distance.
 */
export function nearDuplicateDistance(a: Float32Array, b: Float32Array): number {
  let total = 0;
  for (const block of INVARIANT) {
    let sa = 0;
    let sb = 0;
    for (let i = block.start; i < block.start + block.length; i++) {
      sa += a[i]!;
      sb += b[i]!;
    }
    let d = 0;
    if (block.name === 'harmonics') {
      for (let i = block.start; i < block.start + block.length; i++)
        d += Math.abs(a[i]! / (sa || 1) - b[i]! / (sb || 1));
      d /= 2;
    } else {
      let ca = 0;
      let cb = 0;
      for (let i = block.start; i < block.start + block.length; i++) {
        ca += a[i]! / (sa || 1);
        cb += b[i]! / (sb || 1);
        d += Math.abs(ca - cb);
      }
      d /= block.length;
    }
    total += d;
  }
  return total / INVARIANT.length;
}

/** Largest relative difference between the exact surface invariants (geometry/descriptors-moments.ts). */
export function invariantDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = INV.start; i < INV.start + INV.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const d = Math.abs(x - y) / Math.max(1e-3, Math.abs(x), Math.abs(y));
    if (d > worst) worst = d;
  }
  return worst;
}

export interface NearDuplicateThresholds {
  /** Largest relative difference of the exact invariants (default 0.003). */
  invariants: number;
  /** Largest shape-distribution distance (default 0.03). */
  distribution: number;
}

/** Calibrated in near-duplicates.test.ts and on the parametric families (bench/QUALITY.md). */
export const NEAR_DUPLICATE_THRESHOLDS: NearDuplicateThresholds = { invariants: 0.003, distribution: 0.03 };

/** True when two feature vectors describe the same shape up to pose, uniform scale and tessellation. */
export function isNearDuplicate(
  a: Float32Array,
  b: Float32Array,
  t: NearDuplicateThresholds = NEAR_DUPLICATE_THRESHOLDS,
): boolean {
  return invariantDifference(a, b) <= t.invariants && nearDuplicateDistance(a, b) <= t.distribution;
}
