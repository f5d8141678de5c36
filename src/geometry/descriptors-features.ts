/**
 * The low-level feature vector of a mesh: D2, A3, D3 shape distributions, extents/moments, the silhouette-view
 * descriptor, spherical-harmonic shell energies, a cylindrical (z-up) histogram and exact surface invariants, concatenated. `prepareShape` does the per-mesh work once (normalise, sample, describe) so that every
 * encoder and the evaluation harness can share it.
 */

import type { Mesh } from '../core/mesh.js';
import { Rng } from '../core/rng.js';
import { a3Histogram, d2Histogram, d3Histogram } from './descriptors.js';
import { CYLINDER_FEATURES, cylinderHistogram, HARMONIC_FEATURES, shellHarmonics } from './descriptors-harmonics.js';
import { INVARIANT_FEATURES, MOMENT_FEATURES, momentFeatures, surfaceInvariants } from './descriptors-moments.js';
import { VIEW_COUNT, VIEW_FEATURES, viewDescriptor } from './descriptors-views.js';
import { normalizeMesh, pcaFrame } from './normalize.js';
import { type PointCloud, samplePoints, surfaceArea } from './sample.js';

/** A named slice of the feature vector. */
export interface FeatureBlock {
  name: 'd2' | 'a3' | 'd3' | 'moments' | 'views' | 'harmonics' | 'cylinder' | 'invariants';
  start: number;
  length: number;
}

const LENGTHS: [FeatureBlock['name'], number][] = [
  ['d2', 64],
  ['a3', 32],
  ['d3', 32],
  ['moments', MOMENT_FEATURES],
  ['views', VIEW_COUNT * VIEW_FEATURES],
  ['harmonics', HARMONIC_FEATURES],
  ['cylinder', CYLINDER_FEATURES],
  ['invariants', INVARIANT_FEATURES],
];

/** Layout of the low-level feature vector. */
export const FEATURE_BLOCKS: readonly FeatureBlock[] = (() => {
  let start = 0;
  return LENGTHS.map(([name, length]) => {
    const b = { name, start, length };
    start += length;
    return b;
  });
})();

/** Length of the low-level feature vector. */
export const FEATURE_LENGTH = FEATURE_BLOCKS.reduce((n, b) => n + b.length, 0);

export interface PrepareOptions {
  /** Surface points sampled (default 2048). */
  points?: number;
  /** Random pairs/triples for each shape distribution (default 20,000). */
  distributionSamples?: number;
  /** Seed: the same mesh and seed always give the same shape (default 0). */
  seed?: number;
}

/** A mesh reduced to what encoders need: a normalised cloud (z-up kept) and the low-level features. */
export interface PreparedShape {
  /** Surface samples centred on the surface centroid and scaled into the unit sphere; orientation unchanged. */
  cloud: PointCloud;
  /** The concatenated low-level features (FEATURE_LENGTH values, layout FEATURE_BLOCKS). */
  features: Float32Array;
}

/** Normalises, samples and describes one mesh. Throws `invalid_argument` for meshes without surface. */
export function prepareShape(mesh: Pick<Mesh, 'positions' | 'indices'>, options: PrepareOptions = {}): PreparedShape {
  const rng = new Rng(options.seed ?? 0);
  const norm = normalizeMesh(mesh);
  const cloud = samplePoints(norm, options.points ?? 2048, rng);
  const samples = options.distributionSamples ?? 20_000;
  const { axes } = pcaFrame(cloud.points, cloud.count);
  const features = new Float32Array(FEATURE_LENGTH);
  const parts: Record<FeatureBlock['name'], Float32Array> = {
    d2: d2Histogram(cloud, { bins: 64, samples, rng }),
    a3: a3Histogram(cloud, { bins: 32, samples, rng }),
    d3: d3Histogram(cloud, { bins: 32, samples, rng }),
    moments: momentFeatures(cloud, surfaceArea(norm) / (4 * Math.PI)),
    views: viewDescriptor(norm, axes),
    harmonics: shellHarmonics(cloud),
    cylinder: cylinderHistogram(cloud),
    invariants: surfaceInvariants(norm),
  };
  for (const b of FEATURE_BLOCKS) features.set(parts[b.name], b.start);
  return { cloud, features };
}

/** The slice of a feature vector for one block. */
export function featureBlock(features: Float32Array, name: FeatureBlock['name']): Float32Array {
  const b = FEATURE_BLOCKS.find((x) => x.name === name)!;
  return features.subarray(b.start, b.start + b.length);
}
