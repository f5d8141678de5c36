/**
 * Tensor: a dense row-major Float32Array with a shape, and reverse-mode automatic differentiation. Every op run
 * while gradients are enabled records its inputs and a backward closure on the output (a tape spread over the
 * graph); `loss.backward()` orders the graph topologically and replays the closures in reverse, accumulating into
 * `.grad` of every tensor with `requiresGrad`. After `backward()` the intermediate graph is released.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { floats } from './pool.js';

let gradEnabled = true;

/** Runs `fn` without recording the graph (inference, evaluation, optimiser updates). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(shape: readonly number[], where: string): void {
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0)
      throw new LayerwiseError(
        'invalid_argument',
        `${where}: shape [${shape.join(', ')}] must hold non-negative integers`,
      );
}

export class Tensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
  /** Gradient of the last `backward()` (same length as data); null until one flows here. */
  grad: Float32Array | null = null;
  /** True for parameters and for every op output that depends on one (while grad is enabled). */
  requiresGrad: boolean;
  /** Optional name (parameters: used by save/load). */
  name: string | undefined;
  /** @internal inputs of the op that made this tensor. */
  parents: readonly Tensor[] = [];
  /** @internal propagates this.grad into the parents' grads. */
  backwardFn: (() => void) | null = null;

  constructor(data: Float32Array, shape: readonly number[], requiresGrad = false) {
    checkShape(shape, 'Tensor');
    if (data.length !== sizeOf(shape))
      throw new LayerwiseError(
        'invalid_argument',
        `Tensor: data has ${data.length} values but shape [${shape.join(', ')}] needs ${sizeOf(shape)}`,
      );
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
  }

  static zeros(shape: readonly number[], requiresGrad = false): Tensor {
    checkShape(shape, 'Tensor.zeros');
    return new Tensor(new Float32Array(sizeOf(shape)), shape, requiresGrad);
  }

  static full(shape: readonly number[], value: number, requiresGrad = false): Tensor {
    const t = Tensor.zeros(shape, requiresGrad);
    t.data.fill(value);
    return t;
  }

  static ones(shape: readonly number[], requiresGrad = false): Tensor {
    return Tensor.full(shape, 1, requiresGrad);
  }

  /** From numbers or a typed array (copied into Float32). */
  static from(values: ArrayLike<number>, shape: readonly number[] = [values.length], requiresGrad = false): Tensor {
    return new Tensor(Float32Array.from(values as ArrayLike<number>), shape, requiresGrad);
  }

  static scalar(v: number): Tensor {
    return new Tensor(Float32Array.of(v), []);
  }

  /** Normal(0, std²) entries drawn from `rng`. */
  static randn(shape: readonly number[], rng: Rng, std = 1, requiresGrad = false): Tensor {
    const t = Tensor.zeros(shape, requiresGrad);
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.normal(0, std);
    return t;
  }

  /** Uniform[lo, hi) entries drawn from `rng`. */
  static uniform(shape: readonly number[], rng: Rng, lo: number, hi: number, requiresGrad = false): Tensor {
    const t = Tensor.zeros(shape, requiresGrad);
    for (let i = 0; i < t.data.length; i++) t.data[i] = rng.uniform(lo, hi);
    return t;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1)
      throw new LayerwiseError('invalid_argument', `item(): tensor has ${this.data.length} values, expected 1`);
    return this.data[0]!;
  }

  /** The same values without graph history. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** A copy of the values (fresh buffer, no history). */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  toArray(): number[] {
    return Array.from(this.data);
  }

  /**
   * Returns (allocating zeros when absent) the gradient buffer. Used by op backward closures. An op output's
   * gradient (released after backward) comes from the active BufferPool; a leaf's (a parameter's) never does.
   */
  ensureGrad(): Float32Array {
    if (!this.grad) this.grad = this.backwardFn ? floats(this.data.length) : new Float32Array(this.data.length);
    return this.grad;
  }

  zeroGrad(): void {
    this.grad = null;
  }

  /**
   * Back-propagates from this tensor. Without `seed` the tensor must be a scalar (seeded with 1). Gradients add to
   * existing `.grad` buffers of leaves (call the optimiser's `zeroGrad()` between steps); the graph and the
   * gradients of intermediate tensors are released afterwards, so call it once per forward pass.
   */
  backward(seed?: Float32Array): void {
    if (!seed && this.data.length !== 1)
      throw new LayerwiseError(
        'invalid_argument',
        `backward(): called on a tensor of shape [${this.shape.join(', ')}]; reduce to a scalar loss or pass a seed gradient`,
      );
    const order = topoOrder(this);
    const g = this.ensureGrad();
    if (seed) for (let i = 0; i < g.length; i++) g[i] = g[i]! + seed[i]!;
    else g[0] = g[0]! + 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      if (t.backwardFn && t.grad) t.backwardFn();
    }
    for (const t of order) {
      if (t.backwardFn) {
        t.backwardFn = null;
        t.parents = [];
        if (t !== this) t.grad = null;
      }
    }
  }
}

/** Tensors reachable from `root` that need gradients, parents before children. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    if (i < t.parents.length) {
      top[1] = i + 1;
      const p = t.parents[i]!;
      if (p.requiresGrad && !seen.has(p)) {
        seen.add(p);
        stack.push([p, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Creates an op's output and, when any input needs gradients (and grad is enabled), attaches the backward closure.
 * `backward` receives the output's gradient and must add into the inputs' `ensureGrad()` buffers.
 */
export function makeResult(
  data: Float32Array,
  shape: readonly number[],
  inputs: readonly Tensor[],
  backward: (gy: Float32Array, out: Tensor) => void,
): Tensor {
  const needs = gradEnabled && inputs.some((t) => t.requiresGrad);
  const out = new Tensor(data, shape, needs);
  if (needs) {
    out.parents = inputs;
    out.backwardFn = () => backward(out.grad!, out);
  }
  return out;
}

/** A trainable tensor (requiresGrad, named). */
export function parameter(t: Tensor, name?: string): Tensor {
  const p = new Tensor(t.data, t.shape, true);
  if (name !== undefined) p.name = name;
  return p;
}
