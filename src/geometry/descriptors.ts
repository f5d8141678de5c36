/**
 * Shape distributions: histograms of a geometric function of random surface points (Osada, Funkhouser, Chazelle &
 * Dobkin, "Shape Distributions", ACM TOG 21(4), 2002). D2 = distance between two points, A3 = angle formed by three
 * points, D3 = square root of the area of the triangle of three points. The cloud must be normalised to the unit
 * sphere (see normalize.ts) so the histograms are scale invariant; they are rotation invariant by construction.
 */
import { Rng } from '../core/rng.js';
import type { PointCloud } from './sample.js';

export interface DistributionOptions {
  /** Number of histogram bins. */
  bins?: number;
  /** Number of random point pairs/triples drawn from the cloud. */
  samples?: number;
  /** Seed or generator for the random draws (default seed 0). */
  rng?: Rng | number;
}

function rngOf(r: Rng | number | undefined): Rng {
  return r instanceof Rng ? r : new Rng(r ?? 0);
}

function finish(h: Float32Array, n: number): Float32Array {
  for (let i = 0; i < h.length; i++) h[i] = h[i]! / n;
  return h;
}

/** D2: distances of random point pairs, bins over [0, 2] (the diameter of the unit sphere); sums to 1. */
export function d2Histogram(cloud: PointCloud, options: DistributionOptions = {}): Float32Array {
  const bins = options.bins ?? 64;
  const samples = options.samples ?? 20_000;
  const rng = rngOf(options.rng);
  const p = cloud.points;
  const n = cloud.count;
  const h = new Float32Array(bins);
  const k = bins / 2;
  for (let s = 0; s < samples; s++) {
    const i = 3 * rng.int(n);
    const j = 3 * rng.int(n);
    const d = Math.hypot(p[i]! - p[j]!, p[i + 1]! - p[j + 1]!, p[i + 2]! - p[j + 2]!);
    h[Math.min(bins - 1, Math.floor(d * k))] += 1;
  }
  return finish(h, samples);
}

/** A3: angle at the middle of three random points, bins over [0, π]; sums to 1. */
export function a3Histogram(cloud: PointCloud, options: DistributionOptions = {}): Float32Array {
  const bins = options.bins ?? 32;
  const samples = options.samples ?? 20_000;
  const rng = rngOf(options.rng);
  const p = cloud.points;
  const n = cloud.count;
  const h = new Float32Array(bins);
  let used = 0;
  for (let s = 0; s < samples; s++) {
    const a = 3 * rng.int(n);
    const b = 3 * rng.int(n);
    const c = 3 * rng.int(n);
    const ux = p[a]! - p[b]!;
    const uy = p[a + 1]! - p[b + 1]!;
    const uz = p[a + 2]! - p[b + 2]!;
    const vx = p[c]! - p[b]!;
    const vy = p[c + 1]! - p[b + 1]!;
    const vz = p[c + 2]! - p[b + 2]!;
    const l = Math.hypot(ux, uy, uz) * Math.hypot(vx, vy, vz);
    if (!(l > 0)) continue;
    const cos = Math.max(-1, Math.min(1, (ux * vx + uy * vy + uz * vz) / l));
    h[Math.min(bins - 1, Math.floor((Math.acos(cos) / Math.PI) * bins))] += 1;
    used++;
  }
  return finish(h, Math.max(1, used));
}

/** Largest √area of a triangle inscribed in the unit sphere (equilateral on a great circle): √(3√3/4). */
export const D3_MAX = Math.sqrt((3 * Math.sqrt(3)) / 4);

/** D3: √(area) of random point triangles, bins over [0, D3_MAX]; sums to 1. */
export function d3Histogram(cloud: PointCloud, options: DistributionOptions = {}): Float32Array {
  const bins = options.bins ?? 32;
  const samples = options.samples ?? 20_000;
  const rng = rngOf(options.rng);
  const p = cloud.points;
  const n = cloud.count;
  const h = new Float32Array(bins);
  for (let s = 0; s < samples; s++) {
    const a = 3 * rng.int(n);
    const b = 3 * rng.int(n);
    const c = 3 * rng.int(n);
    const ux = p[b]! - p[a]!;
    const uy = p[b + 1]! - p[a + 1]!;
    const uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!;
    const vy = p[c + 1]! - p[a + 1]!;
    const vz = p[c + 2]! - p[a + 2]!;
    const area = 0.5 * Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
    h[Math.min(bins - 1, Math.floor((Math.sqrt(area) / D3_MAX) * bins))] += 1;
  }
  return finish(h, samples);
}
