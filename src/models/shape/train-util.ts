/** Small helpers shared by the trainable shape encoders: mini-batches, divergence checks, tensor lookup. */
import { LayerwiseError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import type { Tensor } from '../../nn/index.js';

/** Shuffled mini-batches of indices 0..n-1 (the last batch may be smaller, but never below 2 when n ≥ 2). */
export function miniBatches(n: number, size: number, rng: Rng): number[][] {
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const out: number[][] = [];
  for (let i = 0; i < n; i += size) out.push(order.slice(i, i + size));
  if (out.length > 1 && out.at(-1)!.length < 2) out.at(-2)!.push(...out.pop()!);
  return out;
}

/** Throws `fit_failed` when a loss is not finite. */
export function checkLoss(name: string, epoch: number, loss: number): void {
  if (!Number.isFinite(loss)) {
    throw new LayerwiseError(
      'fit_failed',
      `${name}: training diverged at epoch ${epoch} (loss ${loss}); lower the learning rate`,
    );
  }
}

/** A named tensor from a checkpoint, or `parse_error`. */
export function tensorOf(tensors: Map<string, Tensor>, key: string, what: string): Tensor {
  const t = tensors.get(key);
  if (!t) throw new LayerwiseError('parse_error', `${what} checkpoint: missing tensor "${key}"`);
  return t;
}
