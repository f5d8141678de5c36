/**
 * The hand-crafted baseline: the concatenated low-level features (D2, A3, D3, extents/moments, silhouette views;
 * geometry/descriptors-features.ts) standardised per dimension with equal weight per descriptor family, then
 * projected on their top principal components (unsupervised, fitted on the library). Classic "shallow" retrieval
 * in the spirit of Funkhouser & Kazhdan's descriptor comparisons (Shilane et al., "The Princeton Shape Benchmark",
 * SMI 2004).
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import type { PreparedShape } from '../../geometry/descriptors-features.js';
import { decodeTensors, encodeTensors, Tensor } from '../../nn/index.js';
import {
  type FitReport,
  mergeConfig,
  requireFitted,
  type ShapeEncoder,
  type ShapeInput,
  toPrepared,
} from './encoder.js';
import { pca, project } from './pca.js';
import { Standardizer } from './standardize.js';

export interface DescriptorsConfig {
  /** Embedding length: principal components kept (default 160). */
  dim: number;
}

export const DESCRIPTORS_DEFAULTS: DescriptorsConfig = { dim: 160 };

export class DescriptorEncoder implements ShapeEncoder {
  readonly name = 'descriptors' as const;
  readonly learned = false;
  readonly config: DescriptorsConfig;
  private std: Standardizer | null = null;
  private pcaMean: Float32Array | null = null;
  private components: Float32Array | null = null;

  constructor(config: Partial<DescriptorsConfig> = {}) {
    this.config = mergeConfig('descriptors', DESCRIPTORS_DEFAULTS, config);
  }

  get dim(): number {
    return this.config.dim;
  }

  fit(shapes: readonly ShapeInput[]): FitReport {
    const t0 = performance.now();
    if (shapes.length < 2)
      throw new LayerwiseError('fit_failed', `descriptors encoder: needs at least 2 shapes, got ${shapes.length}`);
    const rows = shapes.map((s) => toPrepared(s).features);
    this.std = Standardizer.fit(rows);
    const z = rows.map((r) => this.std!.apply(r));
    const p = pca(z, this.config.dim);
    this.pcaMean = p.mean;
    this.components = p.components;
    return { seconds: (performance.now() - t0) / 1000, epochs: 0, losses: [] };
  }

  embedShape(shape: PreparedShape): Float32Array {
    requireFitted(this.std !== null, this.name);
    return project(this.std!.apply(shape.features), this.pcaMean!, this.components!, this.config.dim);
  }

  embed(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array {
    return this.embedShape(toPrepared(mesh));
  }

  save(): Uint8Array {
    requireFitted(this.std !== null, this.name);
    const d = this.std!.mean.length;
    return encodeTensors(
      [
        ['std.mean', new Tensor(this.std!.mean, [d])],
        ['std.scale', new Tensor(this.std!.scale, [d])],
        ['pca.mean', new Tensor(this.pcaMean!, [d])],
        ['pca.components', new Tensor(this.components!, [this.config.dim, d])],
      ],
      { encoder: this.name, config: JSON.stringify(this.config) },
    );
  }

  static load(bytes: Uint8Array): DescriptorEncoder {
    const { tensors, metadata } = decodeTensors(bytes);
    if (metadata.encoder !== 'descriptors') {
      throw new LayerwiseError('invalid_argument', `not a descriptors checkpoint (encoder "${metadata.encoder}")`);
    }
    const e = new DescriptorEncoder(JSON.parse(metadata.config ?? '{}') as Partial<DescriptorsConfig>);
    const get = (k: string): Float32Array => {
      const t = tensors.get(k);
      if (!t) throw new LayerwiseError('parse_error', `descriptors checkpoint: missing tensor "${k}"`);
      return t.data;
    };
    e.std = new Standardizer(get('std.mean'), get('std.scale'));
    e.pcaMean = get('pca.mean');
    e.components = get('pca.components');
    return e;
  }
}
