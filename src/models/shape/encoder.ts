/**
 * The `ShapeEncoder` role: turns a mesh into a fixed-length embedding (cosine similarity = shape similarity).
 * Encoders learn without labels from the library itself (`fit`), embed prepared shapes or meshes, and save to a
 * self-describing checkpoint (tensors + the config that made them). Implementations: d2, descriptors, sda, pointnet.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { type PreparedShape, type PrepareOptions, prepareShape } from '../../geometry/descriptors-features.js';
import { mergeOptions, notFitted } from '../options.js';

export type ShapeEncoderName = 'd2' | 'descriptors' | 'sda' | 'pointnet';

/** A mesh (flat arrays) or a shape already prepared by `prepareShape`. */
export type ShapeInput = PreparedShape | Pick<Mesh, 'positions' | 'indices'>;

export interface FitOptions {
  /** Seed for initialisation, batching and augmentation (default: the encoder config's seed). */
  seed?: number;
  /** Overrides the configured number of epochs. */
  epochs?: number;
  /** Called after each epoch with the mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface FitReport {
  seconds: number;
  epochs: number;
  /** Mean loss of each epoch (empty for encoders without training). */
  losses: number[];
}

export interface ShapeEncoder {
  readonly name: ShapeEncoderName;
  /** Embedding length. */
  readonly dim: number;
  /** False for training-free encoders (fit only records statistics or does nothing). */
  readonly learned: boolean;
  /** Learns from unlabelled shapes. Throws `fit_failed` when training diverges. */
  fit(shapes: readonly ShapeInput[], options?: FitOptions): FitReport;
  /** Embedding of a prepared shape (throws `conflict` when the encoder needs fitting first). */
  embedShape(shape: PreparedShape): Float32Array;
  /** Embedding of a mesh: prepare (seeded, deterministic) then embedShape. */
  embed(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array;
  /** Checkpoint bytes (safetensors with the encoder name and config in the metadata); see `loadShapeEncoder`. */
  save(): Uint8Array;
}

/** How encoders prepare meshes (one place so fit and embed agree). */
export const PREPARE_OPTIONS: PrepareOptions = { points: 2048, distributionSamples: 20_000, seed: 0 };

export function toPrepared(x: ShapeInput): PreparedShape {
  return 'features' in x ? x : prepareShape(x, PREPARE_OPTIONS);
}

export function requireFitted(fitted: boolean, name: string): void {
  if (!fitted) throw notFitted(`${name} encoder`, 'call fit(shapes) or load a checkpoint first');
}

/** Merges `config` over `defaults`, rejecting unknown keys (they are usually typos). */
export function mergeConfig<T extends object>(name: string, defaults: T, config: Partial<T> = {}): T {
  return mergeOptions(`${name} encoder`, defaults, config as Record<string, unknown>);
}
