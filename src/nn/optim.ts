/**
 * Optimisers over a list of parameter tensors: SGD (momentum, L2 weight decay), Adam (Kingma & Ba, 2015,
 * arXiv:1412.6980; L2 weight decay added to the gradient) and AdamW (Loshchilov & Hutter, 2019, arXiv:1711.05101;
 * decoupled weight decay). All take `clipNorm` to clip the global gradient L2 norm before the step. The Adam update
 * runs as one fused backend kernel per parameter.
 */
import { LayerwiseError } from '../core/errors.js';
import { backend } from './backend/index.js';
import type { Tensor } from './tensor.js';

export interface OptimizerOptions {
  /** Learning rate (> 0). */
  lr: number;
  /** Weight decay (L2 for SGD/Adam, decoupled for AdamW); default 0 (AdamW: 0.01). */
  weightDecay?: number;
  /** When set, rescales gradients so their global L2 norm is at most this. */
  clipNorm?: number;
}

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface SgdOptions extends OptimizerOptions {
  momentum?: number;
}

/** Global L2 norm of the gradients; when it exceeds maxNorm, scales them down to maxNorm. Returns the norm before. */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  let s = 0;
  for (const p of params) if (p.grad) for (let i = 0; i < p.grad.length; i++) s += p.grad[i]! * p.grad[i]!;
  const norm = Math.sqrt(s);
  if (norm > maxNorm && norm > 0) {
    const f = maxNorm / norm;
    for (const p of params) if (p.grad) for (let i = 0; i < p.grad.length; i++) p.grad[i] = p.grad[i]! * f;
  }
  return norm;
}

export abstract class Optimizer {
  readonly params: readonly Tensor[];
  lr: number;
  protected readonly weightDecay: number;
  protected readonly clipNorm: number | undefined;
  /** Number of steps taken. */
  stepCount = 0;

  constructor(params: readonly Tensor[], opts: OptimizerOptions, defaultDecay = 0) {
    if (!(opts.lr > 0)) throw new LayerwiseError('invalid_argument', `optimizer: lr must be > 0, got ${opts.lr}`);
    const bad = params.find((p) => !p.requiresGrad);
    if (bad)
      throw new LayerwiseError(
        'invalid_argument',
        `optimizer: parameter ${bad.name ?? '(unnamed)'} has requiresGrad=false`,
      );
    this.params = params;
    this.lr = opts.lr;
    this.weightDecay = opts.weightDecay ?? defaultDecay;
    this.clipNorm = opts.clipNorm;
  }

  /** Clears all parameter gradients (call before each backward). */
  zeroGrad(): void {
    for (const p of this.params) p.grad?.fill(0);
  }

  /** Applies one update from the current gradients (parameters without a gradient are skipped). */
  step(): void {
    this.stepCount++;
    if (this.clipNorm !== undefined) clipGradNorm(this.params, this.clipNorm);
    this.params.forEach((p, i) => {
      if (p.grad) this.update(p, p.grad, i);
    });
  }

  protected abstract update(p: Tensor, g: Float32Array, index: number): void;
}

export class Sgd extends Optimizer {
  private readonly momentum: number;
  private readonly velocity: (Float32Array | undefined)[] = [];

  constructor(params: readonly Tensor[], opts: SgdOptions) {
    super(params, opts);
    this.momentum = opts.momentum ?? 0;
  }

  protected update(p: Tensor, g: Float32Array, index: number): void {
    const wd = this.weightDecay;
    const lr = this.lr;
    const d = p.data;
    if (this.momentum === 0) {
      for (let i = 0; i < d.length; i++) d[i] = d[i]! - lr * (g[i]! + wd * d[i]!);
      return;
    }
    let v = this.velocity[index];
    if (!v) v = this.velocity[index] = new Float32Array(d.length);
    const mom = this.momentum;
    for (let i = 0; i < d.length; i++) {
      v[i] = mom * v[i]! + g[i]! + wd * d[i]!;
      d[i] = d[i]! - lr * v[i]!;
    }
  }
}

export class Adam extends Optimizer {
  protected readonly beta1: number;
  protected readonly beta2: number;
  protected readonly eps: number;
  protected decoupled = false;
  private readonly m: (Float32Array | undefined)[] = [];
  private readonly v: (Float32Array | undefined)[] = [];

  constructor(params: readonly Tensor[], opts: AdamOptions, defaultDecay = 0) {
    super(params, opts, defaultDecay);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
  }

  protected update(p: Tensor, g: Float32Array, index: number): void {
    let m = this.m[index];
    let v = this.v[index];
    if (!m || !v) {
      m = this.m[index] = new Float32Array(p.size);
      v = this.v[index] = new Float32Array(p.size);
    }
    backend().adam(
      p.data,
      g,
      m,
      v,
      this.lr,
      this.beta1,
      this.beta2,
      this.eps,
      this.weightDecay,
      this.decoupled,
      this.stepCount,
    );
  }
}

export class AdamW extends Adam {
  constructor(params: readonly Tensor[], opts: AdamOptions) {
    super(params, opts, 0.01);
    this.decoupled = true;
  }
}
