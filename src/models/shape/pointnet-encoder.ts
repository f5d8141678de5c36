/**
 * A PointNet encoder trained self-supervised. Network: a shared per-point MLP over [x, y, z, nx, ny, nz] followed by
 * max-pooling into a global feature (Qi, Su, Mo & Guibas, "PointNet: Deep Learning on Point Sets for 3D
 * Classification and Segmentation", CVPR 2017). Training: two augmented views of every shape in a batch (augment.ts)
 * go through the network and a projection head; the symmetric InfoNCE loss pulls views of one shape together and
 * pushes other shapes away (van den Oord et al., arXiv:1807.03748; SimCLR, Chen et al., ICML 2020). The embedding
 * is the pooled global feature, averaged over a few rotations about z at inference, centred on the library mean and
 * scaled to unit length. Views are stretched vertically (augment.ts `stretchZ`) so the network sees shapes with their
 * height/width ratio removed, and the embedding appends two small proportion-aware invariants (geometry/symmetry.ts),
 * centred on the library mean and weighted: the azimuthal symmetry spectrum of the normals (an n-sided prism peaks
 * at multiples of n whatever its proportions) and the log stretch that the network no longer sees. Cosine over the
 * whole vector ranks shapes; the learned part carries most of the weight.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { Rng } from '../../core/rng.js';
import type { PreparedShape } from '../../geometry/descriptors-features.js';
import { azimuthSpectrum, logStretch } from '../../geometry/symmetry.js';
import {
  AdamW,
  decodeTensors,
  encodeTensors,
  infoNce,
  l2Normalize,
  Mlp,
  maxPool,
  noGrad,
  Tensor,
} from '../../nn/index.js';
import { writeView } from './augment.js';
import {
  type FitOptions,
  type FitReport,
  mergeConfig,
  requireFitted,
  type ShapeEncoder,
  type ShapeInput,
  toPrepared,
} from './encoder.js';
import { checkLoss, miniBatches, tensorOf } from './train-util.js';

export interface PointNetConfig {
  /** Widths of the shared per-point MLP; the last is the learned part of the embedding (default [64, 128, 192]). */
  widths: number[];
  /** Projection head output size for the contrastive loss (default 96). */
  projection: number;
  /** Points per view while training (default 64) and at inference (default 512). */
  trainPoints: number;
  embedPoints: number;
  /** Rotations about z averaged at inference (default 4). */
  testRotations: number;
  /**
   * Canonical yaw (augment.ts) before the network, in training and inference (default `quarter`: with the 4 test
   * rotations the embedding is invariant to any rotation about z).
   */
  canonicalYaw: 'none' | 'quarter' | 'axis';
  /**
   * Augmentation: per-axis scale range [1/s, s] (default 1.6: parametric variants stretch; with `stretchZ` 1 only the
   * horizontal aspect survives it) and jitter std (default 0.01).
   */
  scale: number;
  jitter: number;
  /** Vertical stretch strength of every view: 1 makes height and width spreads match, 0 disables (augment.ts). */
  stretchZ: number;
  /** Harmonics of the azimuthal symmetry spectrum appended to the embedding (default 12; 0 disables). */
  symmetryHarmonics: number;
  /** Weight of the spectrum against the unit-length learned part (default 1). */
  symmetryWeight: number;
  /** Weight of the log stretch, appended when > 0 (default 0.2). */
  stretchWeight: number;
  temperature: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  seed: number;
}

export const POINTNET_DEFAULTS: PointNetConfig = {
  widths: [64, 128, 192],
  projection: 96,
  trainPoints: 64,
  embedPoints: 512,
  testRotations: 4,
  canonicalYaw: 'quarter',
  scale: 1.6,
  jitter: 0.01,
  stretchZ: 1,
  symmetryHarmonics: 12,
  symmetryWeight: 1,
  stretchWeight: 0.2,
  temperature: 0.1,
  epochs: 20,
  batchSize: 48,
  learningRate: 2e-3,
  weightDecay: 1e-4,
  seed: 11,
};

/** What checkpoints written before the proportion-aware settings existed were trained with. */
const LEGACY: Partial<PointNetConfig> = { stretchZ: 0, symmetryHarmonics: 0, symmetryWeight: 0, stretchWeight: 0 };

export class PointNetEncoder implements ShapeEncoder {
  readonly name = 'pointnet' as const;
  readonly learned = true;
  readonly config: PointNetConfig;
  private trunk: Mlp | null = null;
  private head: Mlp | null = null;
  /** Mean pooled feature of the library, subtracted so that cosine scores spread over [−1, 1] (max-pooled ReLUs are ≥ 0). */
  private center: Float32Array | null = null;
  /** Library mean of the appended invariants (spectrum, then log stretch). */
  private extrasCenter: Float32Array | null = null;

  constructor(config: Partial<PointNetConfig> = {}) {
    this.config = mergeConfig('pointnet', POINTNET_DEFAULTS, config);
    if (this.config.widths.length < 1 || this.config.widths.some((w) => !(Number.isInteger(w) && w > 0))) {
      throw new LayerwiseError(
        'invalid_argument',
        `pointnet: widths must be positive integers, got [${this.config.widths.join(', ')}]`,
      );
    }
    const h = this.config.symmetryHarmonics;
    if (!(Number.isInteger(h) && h >= 0 && h <= 64)) {
      throw new LayerwiseError('invalid_argument', `pointnet: symmetryHarmonics must be an integer in 0..64, got ${h}`);
    }
  }

  /** Length of the learned part of the embedding. */
  private get learnedDim(): number {
    return this.config.widths.at(-1)!;
  }

  /** Length of the appended invariants. */
  private get extrasDim(): number {
    return this.config.symmetryHarmonics + (this.config.stretchWeight > 0 ? 1 : 0);
  }

  get dim(): number {
    return this.learnedDim + this.extrasDim;
  }

  /** The raw appended invariants of a shape (not centred or weighted). */
  private extras(shape: PreparedShape): Float32Array {
    const out = new Float32Array(this.extrasDim);
    if (this.config.symmetryHarmonics > 0) out.set(azimuthSpectrum(shape.cloud, this.config.symmetryHarmonics));
    if (this.config.stretchWeight > 0) out[this.extrasDim - 1] = logStretch(shape.cloud);
    return out;
  }

  private build(rng: Rng): void {
    const w = this.config.widths;
    this.trunk = new Mlp([6, ...w], rng, { activation: 'relu', finalActivation: 'relu' });
    this.head = new Mlp([w.at(-1)!, w.at(-1)!, this.config.projection], rng, { activation: 'relu' });
  }

  /** Global features [shapes, dim] of `shapes` stacked views of `points` points each. */
  private globalFeatures(views: Float32Array, shapes: number, points: number): Tensor {
    const x = new Tensor(views, [shapes * points, 6]);
    return maxPool(this.trunk!.forward(x), points);
  }

  fit(inputs: readonly ShapeInput[], options: FitOptions = {}): FitReport {
    const t0 = performance.now();
    if (inputs.length < 2)
      throw new LayerwiseError('fit_failed', `pointnet: needs at least 2 shapes, got ${inputs.length}`);
    const shapes = inputs.map(toPrepared);
    const cfg = this.config;
    const rng = new Rng(options.seed ?? cfg.seed);
    this.build(rng);
    this.center = null;
    this.extrasCenter = null;
    const params = [...this.trunk!.parameters(), ...this.head!.parameters()];
    const opt = new AdamW(params, { lr: cfg.learningRate, weightDecay: cfg.weightDecay, clipNorm: 5 });
    const aug = {
      points: cfg.trainPoints,
      rotate: true,
      scale: cfg.scale,
      jitter: cfg.jitter,
      canonicalYaw: cfg.canonicalYaw,
      stretchZ: cfg.stretchZ,
    };
    const epochs = options.epochs ?? cfg.epochs;
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      // cosine learning-rate schedule
      opt.lr = cfg.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs));
      let sum = 0;
      let count = 0;
      for (const batch of miniBatches(shapes.length, cfg.batchSize, rng)) {
        const b = batch.length;
        const viewsA = new Float32Array(b * cfg.trainPoints * 6);
        const viewsB = new Float32Array(b * cfg.trainPoints * 6);
        batch.forEach((s, i) => {
          writeView(shapes[s]!.cloud, viewsA, i * cfg.trainPoints, aug, rng);
          writeView(shapes[s]!.cloud, viewsB, i * cfg.trainPoints, aug, rng);
        });
        opt.zeroGrad();
        const project = (v: Float32Array): Tensor =>
          l2Normalize(this.head!.forward(this.globalFeatures(v, b, cfg.trainPoints)));
        const loss = infoNce(project(viewsA), project(viewsB), { temperature: cfg.temperature });
        loss.backward();
        opt.step();
        sum += loss.item() * b;
        count += b;
      }
      const mean = sum / count;
      checkLoss('pointnet', epoch, mean);
      losses.push(mean);
      options.onEpoch?.(epoch, mean);
    }
    const center = new Float32Array(this.learnedDim);
    const extrasCenter = new Float32Array(this.extrasDim);
    for (const s of shapes) {
      const g = this.pooled(s);
      for (let j = 0; j < g.length; j++) center[j] += g[j]! / shapes.length;
      const x = this.extras(s);
      for (let j = 0; j < x.length; j++) extrasCenter[j] += x[j]! / shapes.length;
    }
    this.center = center;
    this.extrasCenter = extrasCenter;
    return { seconds: (performance.now() - t0) / 1000, epochs, losses };
  }

  /** The pooled learned feature averaged over the test rotations (not centred). */
  private pooled(shape: PreparedShape): Float32Array {
    const cfg = this.config;
    const n = Math.min(cfg.embedPoints, shape.cloud.count);
    const r = Math.max(1, cfg.testRotations);
    const views = new Float32Array(r * n * 6);
    const aug = {
      points: n,
      rotate: false,
      scale: 1,
      jitter: 0,
      canonicalYaw: cfg.canonicalYaw,
      stretchZ: cfg.stretchZ,
    };
    for (let k = 0; k < r; k++) writeView(shape.cloud, views, k * n, aug, null, (2 * Math.PI * k) / r);
    const g = noGrad(() => this.globalFeatures(views, r, n));
    const d = this.learnedDim;
    const out = new Float32Array(d);
    for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) out[j] += g.data[k * d + j]! / r;
    return out;
  }

  embedShape(shape: PreparedShape): Float32Array {
    requireFitted(this.trunk !== null && this.center !== null, this.name);
    const cfg = this.config;
    const g = this.pooled(shape);
    const d = this.learnedDim;
    const out = new Float32Array(this.dim);
    for (let j = 0; j < d; j++) out[j] = g[j]! - this.center![j]!;
    if (this.extrasDim === 0) return out; // legacy checkpoints: centred feature, not rescaled
    let norm = 0;
    for (let j = 0; j < d; j++) norm += out[j]! * out[j]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) out[j] = out[j]! * inv;
    const x = this.extras(shape);
    const c = this.extrasCenter!;
    for (let j = 0; j < cfg.symmetryHarmonics; j++) out[d + j] = cfg.symmetryWeight * (x[j]! - c[j]!);
    if (cfg.stretchWeight > 0) out[this.dim - 1] = cfg.stretchWeight * (x.at(-1)! - c.at(-1)!);
    return out;
  }

  embed(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array {
    return this.embedShape(toPrepared(mesh));
  }

  save(): Uint8Array {
    requireFitted(this.trunk !== null && this.center !== null, this.name);
    const named: [string, Tensor][] = [
      ...this.trunk!.namedParameters('trunk'),
      ...this.head!.namedParameters('head'),
      ['center', new Tensor(this.center!, [this.learnedDim])],
    ];
    if (this.extrasDim > 0) named.push(['extras.center', new Tensor(this.extrasCenter!, [this.extrasDim])]);
    return encodeTensors(named, {
      encoder: this.name,
      config: JSON.stringify(this.config),
    });
  }

  static load(bytes: Uint8Array): PointNetEncoder {
    const { tensors, metadata } = decodeTensors(bytes);
    if (metadata.encoder !== 'pointnet') {
      throw new LayerwiseError('invalid_argument', `not a pointnet checkpoint (encoder "${metadata.encoder}")`);
    }
    const saved = JSON.parse(metadata.config ?? '{}') as Partial<PointNetConfig>;
    const e = new PointNetEncoder({ ...LEGACY, ...saved });
    e.build(new Rng(0));
    for (const [name, p] of [...e.trunk!.namedParameters('trunk'), ...e.head!.namedParameters('head')]) {
      p.data.set(tensorOf(tensors, name, 'pointnet').data);
    }
    e.center = tensorOf(tensors, 'center', 'pointnet').data;
    if (e.extrasDim > 0) e.extrasCenter = tensorOf(tensors, 'extras.center', 'pointnet').data;
    return e;
  }
}
