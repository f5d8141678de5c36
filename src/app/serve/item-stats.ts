/**
 * The item side of the event log, all serving keeps of it: per catalogue item a weighted all-time count
 * (popularity), a recency-decayed count (trending, half-life 14 days against a reference time) and event counts by
 * type — O(items) memory whatever the number of events. One user's summed weight on one item counts at most
 * `perUserItemCap` (so one user cannot rig the ranking); negative feedback (weight ≤ 0) never counts.
 *
 * Built by a pass over the store grouped by user (item-stats-store.ts), saved as the `serving-stats` artifact with
 * the event sequence number it covers, and advanced online by each new event given the user's prior weight on the
 * item (read from the user's history, serve/user-history.ts).
 */
import { EVENT_TYPES } from '../../store/ports.js';

const DAY_MS = 86_400_000;
const TYPE_INDEX = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

export interface ItemStatsSettings {
  halfLifeDays: number;
  perUserItemCap: number;
}

export class ItemStats {
  popularity: Float64Array;
  trending: Float64Array;
  /** Event counts, EVENT_TYPES.length per item (item-major). */
  counts: Uint32Array;
  /** Time (ms) trending decays against; `rebase` moves it forward. */
  refTime = 0;
  /** Newest event time seen. */
  newestEventTime = 0;
  /** The highest event sequence number included. */
  throughSeq = 0;
  /** Events applied since this process loaded the stats. */
  applied = 0;

  constructor(
    n: number,
    readonly settings: ItemStatsSettings,
  ) {
    this.popularity = new Float64Array(Math.max(1, n));
    this.trending = new Float64Array(Math.max(1, n));
    this.counts = new Uint32Array(Math.max(1, n) * EVENT_TYPES.length);
  }

  get size(): number {
    return this.popularity.length;
  }

  /** Grows the arrays after catalogue uploads. */
  ensureItems(n: number): void {
    if (n <= this.popularity.length) return;
    const size = Math.max(n, this.popularity.length * 2);
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.popularity = grow(this.popularity);
    this.trending = grow(this.trending);
    const counts = new Uint32Array(size * EVENT_TYPES.length);
    counts.set(this.counts);
    this.counts = counts;
  }

  decay(timestamp: number): number {
    const ageDays = (this.refTime - timestamp) / DAY_MS;
    return 2 ** (-Math.max(-30, ageDays) / this.settings.halfLifeDays);
  }

  /** What an event of `weight` adds to popularity after the user's `prior` summed weight on the item. */
  counted(weight: number, prior: number): number {
    return Math.max(0, Math.min(weight, this.settings.perUserItemCap - prior));
  }

  /** Applies one event (weight already bounded) given the user's summed weight on the item before it. */
  add(item: number, type: string, weight: number, prior: number, timestamp: number): void {
    this.ensureItems(item + 1);
    // an event more than a day past the reference moves it (at most once a day: O(items) each time)
    if (timestamp - this.refTime > DAY_MS) this.rebase(timestamp);
    const c = this.counted(weight, prior);
    if (c > 0) {
      this.popularity[item]! += c;
      this.trending[item]! += c * this.decay(timestamp);
    }
    const t = TYPE_INDEX.get(type);
    if (t !== undefined) this.counts[item * EVENT_TYPES.length + t]!++;
    if (timestamp > this.newestEventTime) this.newestEventTime = timestamp;
    this.applied++;
  }

  /** Takes back what `add` gave for the same event (a user's erasure); never below zero. */
  subtract(item: number, type: string, weight: number, prior: number, timestamp: number): void {
    if (item >= this.popularity.length) return;
    const c = this.counted(weight, prior);
    if (c > 0) {
      this.popularity[item] = Math.max(0, this.popularity[item]! - c);
      this.trending[item] = Math.max(0, this.trending[item]! - c * this.decay(timestamp));
    }
    const t = TYPE_INDEX.get(type);
    const at = item * EVENT_TYPES.length + (t ?? 0);
    if (t !== undefined && this.counts[at]! > 0) this.counts[at]!--;
  }

  /** An unpublished item counts for nothing. */
  clearItem(item: number): void {
    if (item >= this.popularity.length) return;
    this.popularity[item] = 0;
    this.trending[item] = 0;
  }

  /**
   * Moves the trending reference to `t` (when newer): every score is multiplied by the decay over the gap, so scores
   * stay comparable to events measured against the new reference. Exact for events up to 30 days past the old one.
   */
  rebase(t: number): void {
    if (!(t > this.refTime)) return;
    if (this.refTime > 0) {
      const f = 2 ** (-(t - this.refTime) / DAY_MS / this.settings.halfLifeDays);
      for (let i = 0; i < this.trending.length; i++) this.trending[i]! *= f;
    }
    this.refTime = t;
  }

  /** Event counts by type of one item (types with none left out). */
  typeCounts(item: number): Record<string, number> {
    const out: Record<string, number> = {};
    if (item >= this.popularity.length) return out;
    for (let t = 0; t < EVENT_TYPES.length; t++) {
      const n = this.counts[item * EVENT_TYPES.length + t]!;
      if (n > 0) out[EVENT_TYPES[t]!] = n;
    }
    return out;
  }

  /** Copies item `from` of `other` (a saved snapshot in another index space) into item `to`. */
  copyItem(other: ItemStats, from: number, to: number): void {
    this.ensureItems(to + 1);
    this.popularity[to] = other.popularity[from]!;
    this.trending[to] = other.trending[from]!;
    const k = EVENT_TYPES.length;
    this.counts.set(other.counts.subarray(from * k, (from + 1) * k), to * k);
  }
}
