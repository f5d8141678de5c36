/**
 * Layers: Linear, Embedding and MLP. A layer owns named parameter tensors (`namedParameters()` gives stable names
 * such as `0.weight` used by save/load) and a `forward`. Initialisation is seeded through `Rng`: Linear weights use
 * Glorot/Xavier uniform (Glorot & Bengio, 2010) and zero biases; Embedding uses N(0, std²).
 */
import { LayerwiseError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { linear } from './ops/matmul.js';
import { dropout, embedding } from './ops/sampling.js';
import { gelu, relu, sigmoid, tanh } from './ops/unary.js';
import { parameter, Tensor } from './tensor.js';

export interface Module {
  /** Parameters with stable dotted names (prefix included when given). */
  namedParameters(prefix?: string): [string, Tensor][];
  parameters(): Tensor[];
}

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'gelu' | 'none';

export function activate(x: Tensor, a: Activation): Tensor {
  switch (a) {
    case 'relu':
      return relu(x);
    case 'tanh':
      return tanh(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'gelu':
      return gelu(x);
    case 'none':
      return x;
  }
}

const join = (prefix: string | undefined, name: string): string => (prefix ? `${prefix}.${name}` : name);

/** y = x·W + b, W [in, out] (Xavier uniform), b [out] (zeros). */
export class Linear implements Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    rng: Rng,
    opts: { bias?: boolean } = {},
  ) {
    if (!(Number.isInteger(inFeatures) && inFeatures > 0 && Number.isInteger(outFeatures) && outFeatures > 0))
      throw new LayerwiseError(
        'invalid_argument',
        `Linear: sizes must be positive integers, got ${inFeatures}→${outFeatures}`,
      );
    const limit = Math.sqrt(6 / (inFeatures + outFeatures));
    this.weight = parameter(Tensor.uniform([inFeatures, outFeatures], rng, -limit, limit), 'weight');
    this.bias = opts.bias === false ? undefined : parameter(Tensor.zeros([outFeatures]), 'bias');
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  namedParameters(prefix?: string): [string, Tensor][] {
    const out: [string, Tensor][] = [[join(prefix, 'weight'), this.weight]];
    if (this.bias) out.push([join(prefix, 'bias'), this.bias]);
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }
}

/** A lookup table of `count` vectors of size `dim`, initialised N(0, std²) (default std 0.1). */
export class Embedding implements Module {
  readonly weight: Tensor;

  constructor(count: number, dim: number, rng: Rng, opts: { std?: number } = {}) {
    this.weight = parameter(Tensor.randn([count, dim], rng, opts.std ?? 0.1), 'weight');
  }

  forward(indices: ArrayLike<number>): Tensor {
    return embedding(this.weight, indices);
  }

  namedParameters(prefix?: string): [string, Tensor][] {
    return [[join(prefix, 'weight'), this.weight]];
  }

  parameters(): Tensor[] {
    return [this.weight];
  }
}

export interface MlpOptions {
  /** Hidden-layer activation (default relu). */
  activation?: Activation;
  /** Activation after the last layer (default none). */
  finalActivation?: Activation;
  /** Dropout probability after each hidden activation (default 0); needs `rng` in forward when > 0. */
  dropout?: number;
}

/** A stack of Linear layers: sizes [in, h1, …, out]. Parameters are named `<layer>.weight`, `<layer>.bias`. */
export class Mlp implements Module {
  readonly layers: Linear[];
  private readonly opts: Required<MlpOptions>;

  constructor(sizes: readonly number[], rng: Rng, opts: MlpOptions = {}) {
    if (sizes.length < 2)
      throw new LayerwiseError('invalid_argument', `Mlp: needs at least [in, out] sizes, got [${sizes.join(', ')}]`);
    this.layers = sizes.slice(1).map((out, i) => new Linear(sizes[i]!, out, rng));
    this.opts = { activation: 'relu', finalActivation: 'none', dropout: 0, ...opts };
  }

  /** Forward pass; pass `{ training: true, rng }` to apply dropout. */
  forward(x: Tensor, ctx: { training?: boolean; rng?: Rng } = {}): Tensor {
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.forward(h);
      const last = i === this.layers.length - 1;
      h = activate(h, last ? this.opts.finalActivation : this.opts.activation);
      if (!last && this.opts.dropout > 0 && ctx.training) {
        if (!ctx.rng) throw new LayerwiseError('invalid_argument', 'Mlp.forward: dropout in training needs ctx.rng');
        h = dropout(h, this.opts.dropout, ctx.rng, true);
      }
    });
    return h;
  }

  namedParameters(prefix?: string): [string, Tensor][] {
    return this.layers.flatMap((l, i) => l.namedParameters(join(prefix, String(i))));
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }
}
