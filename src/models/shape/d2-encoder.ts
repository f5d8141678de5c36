/**
 * The D2 shape distribution as an embedding (Osada et al., "Shape Distributions", ACM TOG 2002): a 128-bin histogram
 * of distances between random surface points of the unit-sphere-normalised mesh, square-rooted so that cosine
 * similarity is the Bhattacharyya coefficient. Training-free: the shallow baseline.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { Rng } from '../../core/rng.js';
import { d2Histogram } from '../../geometry/descriptors.js';
import type { PreparedShape } from '../../geometry/descriptors-features.js';
import { decodeTensors, encodeTensors } from '../../nn/index.js';
import { type FitReport, mergeConfig, type ShapeEncoder, type ShapeInput, toPrepared } from './encoder.js';

export interface D2Config {
  /** Histogram bins (default 128). */
  bins: number;
  /** Random point pairs per shape (default 40,000). */
  pairs: number;
  /** Seed of the pair sampling (default 1). */
  seed: number;
}

export const D2_DEFAULTS: D2Config = { bins: 128, pairs: 40_000, seed: 1 };

export class D2Encoder implements ShapeEncoder {
  readonly name = 'd2' as const;
  readonly learned = false;
  readonly config: D2Config;

  constructor(config: Partial<D2Config> = {}) {
    this.config = mergeConfig('d2', D2_DEFAULTS, config);
  }

  get dim(): number {
    return this.config.bins;
  }

  fit(shapes: readonly ShapeInput[]): FitReport {
    void shapes;
    return { seconds: 0, epochs: 0, losses: [] };
  }

  embedShape(shape: PreparedShape): Float32Array {
    const h = d2Histogram(shape.cloud, {
      bins: this.config.bins,
      samples: this.config.pairs,
      rng: new Rng(this.config.seed),
    });
    for (let i = 0; i < h.length; i++) h[i] = Math.sqrt(h[i]!);
    return h;
  }

  embed(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array {
    return this.embedShape(toPrepared(mesh));
  }

  save(): Uint8Array {
    return encodeTensors([], { encoder: this.name, config: JSON.stringify(this.config) });
  }

  static load(bytes: Uint8Array): D2Encoder {
    const { metadata } = decodeTensors(bytes);
    if (metadata.encoder !== 'd2')
      throw new LayerwiseError('invalid_argument', `not a d2 checkpoint (encoder "${metadata.encoder}")`);
    return new D2Encoder(JSON.parse(metadata.config ?? '{}') as Partial<D2Config>);
  }
}
