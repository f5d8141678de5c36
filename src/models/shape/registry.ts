/** The shape-encoder registry: names → constructors and checkpoint loaders. A new encoder is one file + one entry. */
import { LayerwiseError } from '../../core/errors.js';
import { decodeTensors } from '../../nn/index.js';
import { D2Encoder } from './d2-encoder.js';
import { DescriptorEncoder } from './descriptor-encoder.js';
import type { ShapeEncoder, ShapeEncoderName } from './encoder.js';
import { PointNetEncoder } from './pointnet-encoder.js';
import { SdaEncoder } from './sda-encoder.js';

interface Entry {
  create(config?: Record<string, unknown>): ShapeEncoder;
  load(bytes: Uint8Array): ShapeEncoder;
  description: string;
}

const REGISTRY: Record<ShapeEncoderName, Entry> = {
  d2: {
    create: (c) => new D2Encoder(c),
    load: (b) => D2Encoder.load(b),
    description: 'D2 shape distribution (Osada et al. 2002), training-free baseline',
  },
  descriptors: {
    create: (c) => new DescriptorEncoder(c),
    load: (b) => DescriptorEncoder.load(b),
    description: 'D2+A3+D3, moments, silhouette views, SH shells, cylinder histogram; standardised + PCA',
  },
  sda: {
    create: (c) => new SdaEncoder(c),
    load: (b) => SdaEncoder.load(b),
    description: 'stacked denoising autoencoder over the descriptors (Vincent et al. 2010)',
  },
  pointnet: {
    create: (c) => new PointNetEncoder(c),
    load: (b) => PointNetEncoder.load(b),
    description: 'PointNet (Qi et al. 2017) trained self-supervised with InfoNCE over augmented views',
  },
};

/** Every encoder name, cheapest first. */
export const SHAPE_ENCODERS: readonly ShapeEncoderName[] = ['d2', 'descriptors', 'sda', 'pointnet'];

/** The default encoder for search (best retrieval quality in bench/QUALITY.md). */
export const DEFAULT_SHAPE_ENCODER: ShapeEncoderName = 'pointnet';

export function isShapeEncoderName(name: string): name is ShapeEncoderName {
  return (SHAPE_ENCODERS as readonly string[]).includes(name);
}

function entry(name: string): Entry {
  if (!isShapeEncoderName(name)) {
    throw new LayerwiseError(
      'invalid_argument',
      `unknown shape encoder "${name}" (known: ${SHAPE_ENCODERS.join(', ')})`,
    );
  }
  return REGISTRY[name];
}

/** A new, unfitted encoder; `config` keys are checked against the encoder's defaults. */
export function createShapeEncoder(name: string, config?: Record<string, unknown>): ShapeEncoder {
  return entry(name).create(config);
}

/** Rebuilds an encoder from `save()` bytes (the checkpoint names its encoder). */
export function loadShapeEncoder(bytes: Uint8Array): ShapeEncoder {
  const { metadata } = decodeTensors(bytes);
  return entry(metadata.encoder ?? '(none)').load(bytes);
}

export function describeShapeEncoder(name: ShapeEncoderName): string {
  return REGISTRY[name].description;
}
