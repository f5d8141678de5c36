/**
 * The cold-start ranking: catalogue items sorted by recency-decayed popularity ("trending", ties by all-time
 * popularity), plus the top-decile thresholds used for popularity reasons. Re-sorted at most once a second while
 * events arrive, so a burst of events costs one sort, not one per request.
 */
import type { ServingState } from './state.js';

const REFRESH_MS = 1000;

export interface TrendingOrder {
  items: Int32Array;
  scores: Float32Array;
}

export class TrendingView {
  private order: TrendingOrder = { items: new Int32Array(0), scores: new Float32Array(0) };
  private limits = { popular: Number.POSITIVE_INFINITY, trending: Number.POSITIVE_INFINITY };
  private builtAt = -Infinity;
  private builtApplied = -1;
  private builtSize = -1;

  constructor(private readonly state: ServingState) {}

  private refresh(): void {
    const inter = this.state.interactions;
    const n = this.state.catalog.size;
    const stale = inter.applied !== this.builtApplied || n !== this.builtSize;
    if (!stale || (Date.now() - this.builtAt < REFRESH_MS && this.builtSize === n)) return;
    const trend = inter.trending;
    const pop = inter.popularity;
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => (trend[b] ?? 0) - (trend[a] ?? 0) || (pop[b] ?? 0) - (pop[a] ?? 0) || a - b);
    const items = Int32Array.from(idx);
    // scores strictly decreasing along the order, so the ranker's early stop stays exact
    const scores = new Float32Array(n);
    for (let r = 0; r < n; r++) scores[r] = (trend[idx[r]!] ?? 0) + (n - r) * 1e-9;
    this.order = { items, scores };
    const decile = (a: Float64Array): number => {
      const vals = Array.from(a.subarray(0, n))
        .filter((v) => v > 0)
        .sort((x, y) => y - x);
      return vals.length === 0 ? Number.POSITIVE_INFINITY : vals[Math.floor(vals.length * 0.1)]!;
    };
    this.limits = { popular: decile(pop), trending: decile(trend) };
    this.builtAt = Date.now();
    this.builtApplied = inter.applied;
    this.builtSize = n;
  }

  view(): TrendingOrder {
    this.refresh();
    return this.order;
  }

  thresholds(): { popular: number; trending: number } {
    this.refresh();
    return this.limits;
  }
}
