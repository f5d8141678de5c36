/**
 * Stacked denoising autoencoder over the low-level shape features — the seed's recipe for learning high-level
 * features from low-level ones: Vincent, Larochelle, Lajoie, Bengio & Manzagol, "Stacked Denoising Autoencoders:
 * Learning Useful Representations in a Deep Network with a Local Denoising Criterion", JMLR 11, 2010. Each layer is
 * pre-trained greedily as a denoising autoencoder (masking + Gaussian noise, MSE reconstruction of the clean input),
 * then the whole stack is fine-tuned end to end as one deep denoising autoencoder. The code of the top layer is the
 * embedding. Inputs are the standardised, block-balanced features (standardize.ts).
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { Rng } from '../../core/rng.js';
import { FEATURE_LENGTH, type PreparedShape } from '../../geometry/descriptors-features.js';
import { Adam, decodeTensors, encodeTensors, Linear, mse, noGrad, Tensor, tanh } from '../../nn/index.js';
import {
  type FitOptions,
  type FitReport,
  mergeConfig,
  requireFitted,
  type ShapeEncoder,
  type ShapeInput,
  toPrepared,
} from './encoder.js';
import { Standardizer } from './standardize.js';
import { checkLoss, miniBatches, tensorOf } from './train-util.js';

export interface SdaConfig {
  /** Hidden sizes; the last is the embedding length (default [256, 128]). */
  layers: number[];
  /** Fraction of inputs zeroed by the masking noise (default 0.2). */
  maskProbability: number;
  /** Std of the additive Gaussian noise on standardised inputs (default 0.1). */
  noiseStd: number;
  /** Epochs of greedy pre-training per layer (default 40) and of fine-tuning (default 60). */
  pretrainEpochs: number;
  finetuneEpochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export const SDA_DEFAULTS: SdaConfig = {
  layers: [256, 128],
  maskProbability: 0.2,
  noiseStd: 0.1,
  pretrainEpochs: 40,
  finetuneEpochs: 60,
  batchSize: 32,
  learningRate: 1e-3,
  seed: 7,
};

export class SdaEncoder implements ShapeEncoder {
  readonly name = 'sda' as const;
  readonly learned = true;
  readonly config: SdaConfig;
  private std: Standardizer | null = null;
  private encoders: Linear[] = [];
  private decoders: Linear[] = [];

  constructor(config: Partial<SdaConfig> = {}) {
    this.config = mergeConfig('sda', SDA_DEFAULTS, config);
    if (this.config.layers.length < 1 || this.config.layers.some((s) => !(Number.isInteger(s) && s > 0))) {
      throw new LayerwiseError(
        'invalid_argument',
        `sda: layers must be positive integers, got [${this.config.layers.join(', ')}]`,
      );
    }
  }

  get dim(): number {
    return this.config.layers.at(-1)!;
  }

  private build(rng: Rng): void {
    const sizes = [FEATURE_LENGTH, ...this.config.layers];
    this.encoders = sizes.slice(1).map((out, i) => new Linear(sizes[i]!, out, rng));
    this.decoders = sizes.slice(1).map((out, i) => new Linear(out, sizes[i]!, rng));
  }

  private corrupt(x: Float32Array, rng: Rng): Float32Array {
    const { maskProbability: p, noiseStd: s } = this.config;
    return x.map((v) => (rng.next() < p ? 0 : v + s * rng.normal()));
  }

  /** Encodes through the first `depth` layers. */
  private encode(x: Tensor, depth: number): Tensor {
    let h = x;
    for (let i = 0; i < depth; i++) h = tanh(this.encoders[i]!.forward(h));
    return h;
  }

  /** Decodes from layer `depth` down to layer `to` (linear output at the input layer, tanh between). */
  private decode(h: Tensor, depth: number, to: number): Tensor {
    let y = h;
    for (let i = depth - 1; i >= to; i--) {
      y = this.decoders[i]!.forward(y);
      if (i > 0) y = tanh(y);
    }
    return y;
  }

  fit(shapes: readonly ShapeInput[], options: FitOptions = {}): FitReport {
    const t0 = performance.now();
    if (shapes.length < 2) throw new LayerwiseError('fit_failed', `sda: needs at least 2 shapes, got ${shapes.length}`);
    const rng = new Rng(options.seed ?? this.config.seed);
    const rows = shapes.map((s) => toPrepared(s).features);
    this.std = Standardizer.fit(rows);
    const x = rows.map((r) => this.std!.apply(r));
    this.build(rng);
    const losses: number[] = [];
    const { batchSize, learningRate: lr } = this.config;
    const epochsPer = options.epochs ?? this.config.pretrainEpochs;
    const d = FEATURE_LENGTH;
    let epoch = 0;
    const run = (params: Tensor[], epochs: number, step: (clean: Tensor, noisy: Tensor) => Tensor): void => {
      const opt = new Adam(params, { lr });
      for (let e = 0; e < epochs; e++) {
        let sum = 0;
        let count = 0;
        for (const batch of miniBatches(x.length, batchSize, rng)) {
          const clean = new Float32Array(batch.length * d);
          const noisy = new Float32Array(batch.length * d);
          batch.forEach((i, r) => {
            clean.set(x[i]!, r * d);
            noisy.set(this.corrupt(x[i]!, rng), r * d);
          });
          opt.zeroGrad();
          const loss = step(new Tensor(clean, [batch.length, d]), new Tensor(noisy, [batch.length, d]));
          loss.backward();
          opt.step();
          sum += loss.item() * batch.length;
          count += batch.length;
        }
        const mean = sum / count;
        checkLoss('sda', epoch, mean);
        losses.push(mean);
        options.onEpoch?.(epoch, mean);
        epoch++;
      }
    };
    // greedy layer-wise pre-training: layer k reconstructs the (clean) code of layer k−1 from its corrupted version
    for (let k = 0; k < this.encoders.length; k++) {
      const params = [...this.encoders[k]!.parameters(), ...this.decoders[k]!.parameters()];
      run(params, epochsPer, (clean, noisy) => {
        const below = (t: Tensor): Tensor => noGrad(() => this.encode(t, k));
        const target = below(clean);
        const input = k === 0 ? noisy : below(noisy);
        const code = tanh(this.encoders[k]!.forward(input));
        let recon = this.decoders[k]!.forward(code);
        if (k > 0) recon = tanh(recon);
        return mse(recon, target);
      });
    }
    // fine-tuning of the whole stack as one deep denoising autoencoder
    const all = [...this.encoders, ...this.decoders].flatMap((l) => l.parameters());
    const depth = this.encoders.length;
    run(all, options.epochs ?? this.config.finetuneEpochs, (clean, noisy) =>
      mse(this.decode(this.encode(noisy, depth), depth, 0), clean),
    );
    return { seconds: (performance.now() - t0) / 1000, epochs: epoch, losses };
  }

  embedShape(shape: PreparedShape): Float32Array {
    requireFitted(this.std !== null, this.name);
    const z = this.std!.apply(shape.features);
    return noGrad(() => this.encode(new Tensor(z, [1, z.length]), this.encoders.length)).data.slice();
  }

  embed(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array {
    return this.embedShape(toPrepared(mesh));
  }

  save(): Uint8Array {
    requireFitted(this.std !== null, this.name);
    const named: [string, Tensor][] = [
      ['std.mean', new Tensor(this.std!.mean, [FEATURE_LENGTH])],
      ['std.scale', new Tensor(this.std!.scale, [FEATURE_LENGTH])],
      ...this.encoders.flatMap((l, i) => l.namedParameters(`enc.${i}`)),
      ...this.decoders.flatMap((l, i) => l.namedParameters(`dec.${i}`)),
    ];
    return encodeTensors(named, {
      encoder: this.name,
      config: JSON.stringify(this.config),
      features: String(FEATURE_LENGTH),
    });
  }

  static load(bytes: Uint8Array): SdaEncoder {
    const { tensors, metadata } = decodeTensors(bytes);
    if (metadata.encoder !== 'sda')
      throw new LayerwiseError('invalid_argument', `not an sda checkpoint (encoder "${metadata.encoder}")`);
    if (Number(metadata.features) !== FEATURE_LENGTH) {
      throw new LayerwiseError(
        'conflict',
        `sda checkpoint was trained on ${metadata.features} features, this build has ${FEATURE_LENGTH}: refit`,
      );
    }
    const e = new SdaEncoder(JSON.parse(metadata.config ?? '{}') as Partial<SdaConfig>);
    e.build(new Rng(0));
    e.std = new Standardizer(tensorOf(tensors, 'std.mean', 'sda').data, tensorOf(tensors, 'std.scale', 'sda').data);
    const layers: [string, Linear][] = [
      ...e.encoders.map((l, i) => [`enc.${i}`, l] as [string, Linear]),
      ...e.decoders.map((l, i) => [`dec.${i}`, l] as [string, Linear]),
    ];
    for (const [prefix, l] of layers)
      for (const [name, p] of l.namedParameters(prefix)) p.data.set(tensorOf(tensors, name, 'sda').data);
    return e;
  }
}
