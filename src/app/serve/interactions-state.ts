/**
 * The online interaction state: each user's history (catalogue index → summed weight, per-type counts, recent
 * events) and each item's popularity (weighted all-time count, per-type counts, and a recency-decayed "trending"
 * score). Loaded from the stored events at start-up, then updated by every accepted event — this is what makes the
 * next recommendation reflect an event without retraining (the model folds the history in).
 */

export interface UserState {
  id: string;
  /** Catalogue index → summed event weight. */
  items: Map<number, number>;
  byType: Record<string, number>;
  events: number;
  lastActive: number;
  /** Catalogue index → the type of the strongest single event on it (for "because you printed X"). */
  strongest: Map<number, { type: string; weight: number }>;
  /** Newest last, at most RECENT_MAX. */
  recent: { item: number; type: string; weight: number; timestamp: number }[];
  /** Bumped on every change: cached scores for an older version are stale. */
  version: number;
  /** Catalogue indices the user disliked, most recent last (absent until the first dislike). */
  disliked?: number[];
}

export interface AppliedEvent {
  userId: string;
  item: number;
  type: string;
  weight: number;
  timestamp: number;
}

const RECENT_MAX = 20;
const DISLIKES_MAX = 100;
const DAY_MS = 86_400_000;

export class InteractionState {
  readonly users = new Map<string, UserState>();
  /** Users in first-seen order (for paging). */
  readonly userOrder: string[] = [];
  popularity: Float64Array;
  trending: Float64Array;
  readonly itemTypeCounts: Map<number, Record<string, number>> = new Map();
  /** Timestamp (ms) trending is measured against; the newest event at load time. */
  private refTime = 0;
  newestEventTime = 0;
  applied = 0;

  constructor(
    nItems: number,
    private readonly halfLifeDays = 14,
    /** Most of one user's summed weight on one item that counts toward its popularity and trending score. */
    private readonly perUserItemCap = Number.POSITIVE_INFINITY,
  ) {
    this.popularity = new Float64Array(nItems);
    this.trending = new Float64Array(nItems);
  }

  /** Grows the item arrays after catalogue uploads. */
  ensureItems(n: number): void {
    if (n <= this.popularity.length) return;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(Math.max(n, a.length * 2));
      b.set(a);
      return b;
    };
    this.popularity = grow(this.popularity);
    this.trending = grow(this.trending);
  }

  /** Sets the trending reference time (call once before the initial bulk load with the newest timestamp). */
  setReferenceTime(t: number): void {
    this.refTime = t;
  }

  private decay(timestamp: number): number {
    const ageDays = (this.refTime - timestamp) / DAY_MS;
    return 2 ** (-Math.max(-30, ageDays) / this.halfLifeDays);
  }

  /**
   * Forgets a user (erasure): their history and their share of item popularity. Trending loses their positive
   * weight decayed from their last activity — exact after the next restart, which rebuilds it from the store.
   */
  removeUser(id: string): boolean {
    const u = this.users.get(id);
    if (u === undefined) return false;
    const decay = this.decay(u.lastActive);
    for (const [item, w] of u.items) {
      if (!(w > 0)) continue;
      this.popularity[item] = Math.max(0, this.popularity[item]! - w);
      this.trending[item] = Math.max(0, this.trending[item]! - w * decay);
    }
    this.users.delete(id);
    const at = this.userOrder.indexOf(id);
    if (at >= 0) this.userOrder.splice(at, 1);
    return true;
  }

  apply(e: AppliedEvent): void {
    let u = this.users.get(e.userId);
    if (u === undefined) {
      u = {
        id: e.userId,
        items: new Map(),
        strongest: new Map(),
        byType: {},
        events: 0,
        lastActive: 0,
        recent: [],
        version: 0,
      };
      this.users.set(e.userId, u);
      this.userOrder.push(e.userId);
    }
    const prior = u.items.get(e.item) ?? 0;
    u.items.set(e.item, prior + e.weight);
    // what this event adds to the item's popularity: the user's contributions to one item are capped in total
    const counted = Math.max(0, Math.min(e.weight, this.perUserItemCap - prior));
    const best = u.strongest.get(e.item);
    if (best === undefined || e.weight > best.weight) u.strongest.set(e.item, { type: e.type, weight: e.weight });
    u.byType[e.type] = (u.byType[e.type] ?? 0) + 1;
    u.events++;
    if (e.timestamp > u.lastActive) u.lastActive = e.timestamp;
    u.recent.push({ item: e.item, type: e.type, weight: e.weight, timestamp: e.timestamp });
    if (u.recent.length > RECENT_MAX) u.recent.shift();
    u.version++;
    if (e.type === 'dislike') {
      const d = (u.disliked ??= []);
      const at = d.indexOf(e.item);
      if (at >= 0) d.splice(at, 1);
      d.push(e.item);
      if (d.length > DISLIKES_MAX) d.shift();
    }

    this.ensureItems(e.item + 1);
    // negative feedback (weight ≤ 0) never counts towards popularity or trending
    if (counted > 0) {
      this.popularity[e.item]! += counted;
      this.trending[e.item]! += counted * this.decay(e.timestamp);
    }
    let counts = this.itemTypeCounts.get(e.item);
    if (counts === undefined) this.itemTypeCounts.set(e.item, (counts = {}));
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    if (e.timestamp > this.newestEventTime) this.newestEventTime = e.timestamp;
    this.applied++;
  }
}
