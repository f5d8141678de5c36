/**
 * A one-entry memo keyed by a history's contents (items, weights and one extra number such as the user index):
 * explaining a page of items for one history computes the history's share of the work — a factored fold-in system,
 * the hidden activations, the neighbour users — once instead of once per item. The key is copied, so a caller that
 * reuses its buffers never gets a stale value.
 */
export class HistoryMemo {
  private items: Int32Array | undefined;
  private weights: Float32Array | undefined;
  private extra = 0;
  private value: unknown;

  get<T>(items: Int32Array, weights: Float32Array, extra: number, compute: () => T): T {
    if (
      this.items !== undefined &&
      this.extra === extra &&
      sameValues(this.items, items) &&
      sameValues(this.weights!, weights)
    ) {
      return this.value as T;
    }
    const value = compute();
    this.items = items.slice();
    this.weights = weights.slice();
    this.extra = extra;
    this.value = value;
    return value;
  }

  /** Forgets the entry (the model's parameters changed). */
  clear(): void {
    this.items = undefined;
    this.weights = undefined;
    this.value = undefined;
  }
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
