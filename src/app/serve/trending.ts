/**
 * The cold-start ranking: catalogue items by recency-decayed popularity ("trending", ties by all-time popularity),
 * plus the top-decile thresholds used for popularity reasons — both from the item statistics (item-stats.ts), never
 * from events. Only the head of the order is kept (`HEAD` items, chosen in one pass); a request whose filters reject
 * the whole head asks for the full order (`view(true)`), sorted then and kept until the next rebuild. Rebuilt at
 * most once a second while events arrive — less often when a rebuild is slow (a large catalogue), so rebuilding
 * never takes more than ~2 % of the event loop.
 */
import type { ServingState } from './state.js';
import { TopN } from './top-n.js';

const REFRESH_MS = 1000;
/** Items kept in the head of the order. */
const HEAD = 2000;

export interface TrendingOrder {
  items: Int32Array;
  scores: Float32Array;
  /** True when every catalogue item is in the order. */
  complete: boolean;
}

/** The value at quantile position `k` (0 = largest) of `a`, by selection (O(n) expected; reorders `a`). */
export function kthLargest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

export class TrendingView {
  private order: TrendingOrder = { items: new Int32Array(0), scores: new Float32Array(0), complete: true };
  private limits = { popular: Number.POSITIVE_INFINITY, trending: Number.POSITIVE_INFINITY };
  private builtAt = -Infinity;
  private builtApplied = -1;
  private builtSize = -1;
  private interval = REFRESH_MS;
  private readonly top = new TopN();
  private key = new Float32Array(0);

  constructor(private readonly state: ServingState) {}

  private refresh(full: boolean): void {
    const stats = this.state.stats;
    const n = this.state.catalog.size;
    const stale = stats.applied !== this.builtApplied || n !== this.builtSize;
    const fresh = !stale || (Date.now() - this.builtAt < this.interval && this.builtSize === n);
    if (fresh && (!full || this.order.complete)) return;
    const t0 = performance.now();
    const trend = stats.trending;
    const pop = stats.popularity;
    const removed = this.state.catalog.items;
    // one float key per item: trending, ties by popularity (scaled below trending's resolution), removed items last
    if (this.key.length !== n) this.key = new Float32Array(n);
    const key = this.key;
    for (let i = 0; i < n; i++) key[i] = removed[i]!.removed ? -1 : (trend[i] ?? 0) + (pop[i] ?? 0) * 1e-9;
    let idx: number[];
    if (full || n <= HEAD) {
      idx = Array.from({ length: n }, (_, i) => i);
      idx.sort((a, b) => (trend[b] ?? 0) - (trend[a] ?? 0) || (pop[b] ?? 0) - (pop[a] ?? 0) || a - b);
    } else {
      idx = this.top.select(key, HEAD, null).order;
      idx.sort((a, b) => (trend[b] ?? 0) - (trend[a] ?? 0) || (pop[b] ?? 0) - (pop[a] ?? 0) || a - b);
    }
    const m = idx.length;
    const items = Int32Array.from(idx);
    // scores strictly decreasing along the order, so the ranker's early stop stays exact
    const scores = new Float32Array(m);
    for (let r = 0; r < m; r++) scores[r] = (trend[idx[r]!] ?? 0) + (n - r) * 1e-9;
    this.order = { items, scores, complete: m === n };
    this.limits = { popular: decile(pop, n), trending: decile(trend, n) };
    this.builtAt = Date.now();
    this.builtApplied = stats.applied;
    this.builtSize = n;
    this.interval = Math.max(REFRESH_MS, 50 * (performance.now() - t0));
  }

  /** The trending order: its head, or (`full`) every item. */
  view(full = false): TrendingOrder {
    this.refresh(full);
    return this.order;
  }

  thresholds(): { popular: number; trending: number } {
    this.refresh(false);
    return this.limits;
  }
}

/** The top-decile threshold of the positive values among the first n of `a` (+∞ when none is positive). */
function decile(a: Float64Array, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (a[i]! > 0) count++;
  if (count === 0) return Number.POSITIVE_INFINITY;
  const vals = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < n; i++) if (a[i]! > 0) vals[j++] = a[i]!;
  return kthLargest(vals, Math.floor(count * 0.1));
}
