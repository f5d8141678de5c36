/**
 * Top-n selection for the hot path: one pass with a bounded min-heap on typed arrays (no closures, no per-element
 * garbage), then a sort of the n survivors — O(length + replacements · log n). Ties keep the lower index.
 */

export class TopN {
  private hv = new Float32Array(0);
  private hi = new Int32Array(0);

  /**
   * Indices of the n largest finite-or-+∞ values of `values[0..length)` whose `blocked[i]` is 0 (all when blocked is
   * null), best first; −∞ and NaN never qualify. `eligible` reports how many values qualified at all.
   */
  select(
    values: Float32Array,
    n: number,
    blocked: Uint8Array | null,
    length = values.length,
  ): { order: number[]; eligible: number } {
    if (this.hv.length < n) {
      this.hv = new Float32Array(n);
      this.hi = new Int32Array(n);
    }
    const hv = this.hv;
    const hi = this.hi;
    let size = 0;
    let eligible = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i]!;
      if ((blocked !== null && blocked[i] === 1) || !(v > Number.NEGATIVE_INFINITY)) continue;
      eligible++;
      if (size < n) {
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (hv[p]! <= v) break;
          hv[c] = hv[p]!;
          hi[c] = hi[p]!;
          c = p;
        }
        hv[c] = v;
        hi[c] = i;
      } else if (v > hv[0]!) {
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= size) break;
          const r = l + 1;
          const m = r < size && hv[r]! < hv[l]! ? r : l;
          if (hv[m]! >= v) break;
          hv[c] = hv[m]!;
          hi[c] = hi[m]!;
          c = m;
        }
        hv[c] = v;
        hi[c] = i;
      }
    }
    const order = Array.from(hi.subarray(0, size)).sort((a, b) => values[b]! - values[a]! || a - b);
    return { order, eligible };
  }
}
