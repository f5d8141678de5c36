/**
 * Step-scoped buffer reuse for training loops. Inside `pool.run(fn)`, the ops' output buffers and the gradients of
 * intermediate tensors (`floats(n)`) come from the buffers the previous `run` took, so a loop that repeats similar
 * shapes step after step stops allocating (and the garbage collector stops freeing) tens of megabytes per step —
 * PyTorch's caching allocator does the same. A request is served by the smallest free buffer of at least its
 * length (and at most twice it), as a view of its first n values: batches whose row counts differ step to step
 * (the rows that have a target) still find a buffer.
 *
 * The contract: nothing computed inside `run` may be used after it returns (read `loss.item()` inside). Parameter
 * data and parameter gradients are never pooled. Outside a `run`, `floats` is `new Float32Array`.
 */

/** Buffers smaller than this are left to the allocator (pooling them saves nothing). */
const MIN_POOLED = 4096;

let active: BufferPool | null = null;

export class BufferPool {
  /** Free buffers: those the previous run took. */
  private free: Float32Array[] = [];
  private used: Float32Array[] = [];

  /** Runs one step; afterwards every buffer it took is free for the next run (and older free ones are dropped). */
  run<T>(fn: () => T): T {
    const prev = active;
    active = this;
    try {
      return fn();
    } finally {
      active = prev;
      this.free = this.used;
      this.used = [];
    }
  }

  /** A buffer of length n, zeroed when `zero` (else its contents are arbitrary: the caller writes every value). */
  take(n: number, zero: boolean): Float32Array {
    const free = this.free;
    let best = -1;
    for (let i = 0; i < free.length; i++) {
      const len = free[i]!.length;
      if (len >= n && len <= 2 * n && (best < 0 || len < free[best]!.length)) best = i;
    }
    if (best < 0) {
      const b = new Float32Array(n);
      this.used.push(b);
      return b;
    }
    const b = free[best]!;
    free[best] = free[free.length - 1]!;
    free.pop();
    this.used.push(b);
    const out = b.length === n ? b : b.subarray(0, n);
    if (zero) out.fill(0);
    return out;
  }
}

/**
 * A Float32Array of length n: from the active pool inside `BufferPool.run`, otherwise a new one. Zeroed unless
 * `zero` is false — then only for callers that overwrite every value.
 */
export function floats(n: number, zero = true): Float32Array {
  return active && n >= MIN_POOLED ? active.take(n, zero) : new Float32Array(n);
}
