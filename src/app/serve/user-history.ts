/**
 * Users' histories, read from the store when needed instead of held for every user: a user's most recent events
 * (`historyLimit`, through the per-user index) and saved printer become a `UserState` — catalogue index → summed
 * weight, strongest event type per item, recent events, dislikes — kept in a bounded cache (second-chance / CLOCK
 * replacement). An event stored for a user replaces their cached state with a fresh read (serve/state.ts
 * `syncEvents`), so the next recommendation folds it in; a read in flight when the user's events change is
 * discarded rather than cached.
 */
import { tieKey } from '../../models/sequential.js';
import { EVENT_TYPES, type Store, type StoredEvent } from '../../store/ports.js';
import type { Catalog } from './catalog.js';

export interface UserState {
  id: string;
  /** Catalogue index → summed event weight. */
  items: Map<number, number>;
  /**
   * What a recommendation folds in: catalogue index → summed weight over the most recent `foldIn` events only — the
   * same map as `items` when the history is no longer. A fold-in costs O(history × factors²), so a long history
   * would make every recommendation of a heavy user slower; `items` still excludes everything they have seen.
   */
  foldIn: Map<number, number>;
  /** Counts by type over the events read (at most the history limit). */
  byType: Record<string, number>;
  /** Events read (at most the history limit): 0 means no history. */
  events: number;
  lastActive: number;
  /**
   * Catalogue index → the type of the strongest single event on it (for "because you printed X"); the strings are
   * the shared EVENT_TYPES constants (a cached user holds one entry per item, so no object or string per entry).
   */
  strongest: Map<number, string>;
  /**
   * Catalogue indices with a positive summed weight, in the order of each one's latest event (oldest first; equal
   * times by `tieKey`, as training orders them): what a sequential model reads ("print next").
   */
  sequence: Int32Array;
  /** Newest last, at most RECENT_MAX. */
  recent: { item: number; type: string; weight: number; timestamp: number }[];
  /** Catalogue indices the user disliked, most recent last (absent until the first dislike). */
  disliked?: number[];
  /** Printer profile id saved for the user (`attrs.printer`), or null. */
  printer: string | null;
  /** True when the read returned fewer events than the limit: the history is complete. */
  complete: boolean;
}

const RECENT_MAX = 20;
/** The shared copy of each event type string (rows read from the store carry a fresh copy each). */
const TYPES = new Map<string, string>(EVENT_TYPES.map((t) => [t, t]));
const DISLIKES_MAX = 100;

export interface HistoryOptions {
  /** Most recent events read per user (default 1,000). */
  limit: number;
  /** Users whose state is cached (default 50,000). */
  capacity: number;
  /** Weight of a stored event as serving counts it (bounded). */
  weight: (e: StoredEvent) => number;
  /** Most recent events folded into a recommendation (default: all that were read). */
  foldIn?: number;
}

/** Builds a user's state from their events, newest first (as `Store.userHistory` returns them). */
export function userStateFrom(
  id: string,
  newestFirst: readonly StoredEvent[],
  catalog: Catalog,
  weight: (e: StoredEvent) => number,
  printer: string | null,
  complete: boolean,
  foldIn = Number.POSITIVE_INFINITY,
): UserState {
  const capped = newestFirst.length > foldIn;
  const items = new Map<number, number>();
  const u: UserState = {
    id,
    items,
    foldIn: capped ? new Map() : items,
    strongest: new Map(),
    byType: {},
    events: 0,
    lastActive: 0,
    recent: [],
    sequence: new Int32Array(0),
    printer,
    complete,
  };
  const latest = new Map<number, number>();
  const strongestWeight = new Map<number, number>();
  for (let k = newestFirst.length - 1; k >= 0; k--) {
    const e = newestFirst[k]!;
    const item = catalog.index(e.itemId);
    if (item === undefined) continue; // removed from the catalogue
    const w = weight(e);
    const type = TYPES.get(e.type) ?? e.type;
    u.items.set(item, (u.items.get(item) ?? 0) + w);
    if (capped && k < foldIn) u.foldIn.set(item, (u.foldIn.get(item) ?? 0) + w);
    if (!(w <= (strongestWeight.get(item) ?? Number.NEGATIVE_INFINITY))) {
      strongestWeight.set(item, w);
      u.strongest.set(item, type);
    }
    u.byType[type] = (u.byType[type] ?? 0) + 1;
    u.events++;
    if (e.timestamp > u.lastActive) u.lastActive = e.timestamp;
    if (!(e.timestamp <= (latest.get(item) ?? Number.NEGATIVE_INFINITY))) latest.set(item, e.timestamp);
    u.recent.push({ item, type, weight: w, timestamp: e.timestamp });
    if (e.type === 'dislike') {
      const d = (u.disliked ??= []);
      const at = d.indexOf(item);
      if (at >= 0) d.splice(at, 1);
      d.push(item);
    }
  }
  if (u.recent.length > RECENT_MAX) u.recent = u.recent.slice(-RECENT_MAX);
  u.sequence = orderByLatest(id, latest, u.items, catalog);
  if (u.disliked && u.disliked.length > DISLIKES_MAX) u.disliked = u.disliked.slice(-DISLIKES_MAX);
  return u;
}

/** Items with a positive weight by their latest event time, ties by tieKey (the order training reads). */
function orderByLatest(
  user: string,
  latest: Map<number, number>,
  weights: Map<number, number>,
  catalog: Catalog,
): Int32Array {
  const rows: { item: number; t: number; key: number }[] = [];
  for (const [item, t] of latest) {
    if (!((weights.get(item) ?? 0) > 0)) continue;
    rows.push({ item, t, key: 0 });
  }
  rows.sort((a, b) => a.t - b.t);
  // equal times only are ordered by tieKey (a hash of user and item id): computed for the ties alone
  for (let i = 0; i < rows.length; ) {
    let j = i + 1;
    while (j < rows.length && rows[j]!.t === rows[i]!.t) j++;
    if (j - i > 1) {
      const run = rows.slice(i, j);
      for (const r of run) r.key = tieKey(user, catalog.items[r.item]!.id);
      run.sort((a, b) => a.key - b.key);
      for (let k = 0; k < run.length; k++) rows[i + k] = run[k]!;
    }
    i = j;
  }
  return Int32Array.from(rows, (r) => r.item);
}

interface Slot {
  state: UserState;
  hot: boolean;
}

export class UserHistories {
  private readonly cache = new Map<string, Slot>();
  /** Reads in flight, by user; `stale` is set when the user's events change meanwhile. */
  private readonly pending = new Map<string, { promise: Promise<UserState>; stale: boolean }>();
  /** Reads from the store (cache misses and refreshes). */
  reads = 0;

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    readonly options: HistoryOptions,
  ) {}

  get size(): number {
    return this.cache.size;
  }

  /** The cached state, without reading (undefined on a miss). */
  cached(id: string): UserState | undefined {
    const slot = this.cache.get(id);
    if (slot === undefined) return undefined;
    slot.hot = true;
    return slot.state;
  }

  /** The user's state: cached, or read from the store (concurrent callers share one read). */
  get(id: string): UserState | Promise<UserState> {
    return this.cached(id) ?? this.load(id);
  }

  /** Reads the user's recent events and saved printer; the raw events come back too (newest first). */
  async read(id: string): Promise<{ state: UserState; events: StoredEvent[] }> {
    this.reads++;
    const limit = this.options.limit;
    const [events, user] = await Promise.all([
      this.store.userHistory(id, { limit, lean: true }),
      this.store.getUser(id),
    ]);
    const printer = typeof user?.attrs?.printer === 'string' ? user.attrs.printer : null;
    const state = this.stateFrom(id, events, printer);
    return { state, events };
  }

  /** The state of a user from their recent events (newest first, as the store returns them). */
  stateFrom(id: string, events: StoredEvent[], printer: string | null): UserState {
    const complete = events.length < this.options.limit;
    return userStateFrom(id, events, this.catalog, this.options.weight, printer, complete, this.options.foldIn);
  }

  private load(id: string): Promise<UserState> {
    const inflight = this.pending.get(id);
    if (inflight !== undefined && !inflight.stale) return inflight.promise;
    const entry = { promise: Promise.resolve(null as unknown as UserState), stale: false };
    entry.promise = this.read(id).then(
      ({ state }) => {
        if (this.pending.get(id) === entry) this.pending.delete(id);
        if (!entry.stale) this.put(id, state);
        return state;
      },
      (e: unknown) => {
        if (this.pending.get(id) === entry) this.pending.delete(id);
        throw e;
      },
    );
    this.pending.set(id, entry);
    return entry.promise;
  }

  /** Caches a fresh state (a refresh after new events); replaces what was there. */
  put(id: string, state: UserState): void {
    const slot = this.cache.get(id);
    if (slot !== undefined) {
      slot.state = state;
      slot.hot = true;
      return;
    }
    this.cache.set(id, { state, hot: true });
    if (this.cache.size > this.options.capacity) this.evictOne();
  }

  /** The user's events changed: drop the cached state and mark a read in flight as stale. */
  invalidate(id: string): void {
    this.cache.delete(id);
    const p = this.pending.get(id);
    if (p !== undefined) p.stale = true;
  }

  /** Drops every cached state (an item left the catalogue: histories are re-read without it). */
  clear(): void {
    this.cache.clear();
    for (const p of this.pending.values()) p.stale = true;
  }

  private evictOne(): void {
    for (const [key, slot] of this.cache) {
      this.cache.delete(key);
      if (!slot.hot) return;
      slot.hot = false;
      this.cache.set(key, slot);
    }
  }
}
