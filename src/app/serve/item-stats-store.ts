/**
 * Item statistics at rest: computed by one pass over the store's events grouped by user (`scanEventsByUser`: memory
 * for one user's items at a time, never the log), saved as the `serving-stats` artifact (item ids + typed arrays +
 * the event sequence number it covers) by `layerwise train` and by `serve` when it had to compute them, and loaded at
 * start-up in time proportional to the catalogue. The artifact records the settings it was computed with; other
 * settings mean a recomputation.
 */
import { createHash } from 'node:crypto';
import { LayerwiseError } from '../../core/errors.js';
import { EVENT_TYPES, type Store } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import { boundedWeight } from './event-bounds.js';
import { ItemStats, type ItemStatsSettings } from './item-stats.js';

/** Artifact name of the item statistics (not a recommender: never served as a model). */
export const STATS_ARTIFACT = 'serving-stats';
const HALF_LIFE_DAYS = 14;
const DAY_MS = 86_400_000;
const MAGIC = 'LWS1';
/** Versions of the artifact kept (older ones are deleted after a save). */
const KEEP = 2;

type Bounds = Pick<ServerConfig, 'eventWeights' | 'eventBounds'>;

export function statsSettings(config: Bounds): ItemStatsSettings {
  return { halfLifeDays: HALF_LIFE_DAYS, perUserItemCap: config.eventBounds.perUserItemCap };
}

/** Hash of everything the numbers depend on: weights, bounds, half-life, event types. */
function settingsHash(config: Bounds): string {
  const key = JSON.stringify([config.eventWeights, config.eventBounds, HALF_LIFE_DAYS, EVENT_TYPES]);
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * One pass over every event through the store's current high-water mark, grouped by user: each event's weight is
 * bounded as serving bounds it, one user's summed weight on an item counts up to the cap, trending decays against
 * the newest event time. `itemIndex` maps item ids to indices (unknown items are skipped).
 */
export async function computeItemStats(
  store: Store,
  config: Bounds,
  itemIndex: (id: string) => number | undefined,
  nItems: number,
  onProgress?: (events: number) => void,
): Promise<ItemStats> {
  const stats = new ItemStats(nItems, statsSettings(config));
  stats.throughSeq = await store.maxEventSeq();
  const hl = HALF_LIFE_DAYS * DAY_MS;
  // trending accumulates Σ c·2^((t − anchor)/hl) and is rescaled to the newest event time at the end
  let anchor = Number.NaN;
  let newest = 0;
  const prior = new Map<number, number>();
  let user = '';
  let seen = 0;
  const T = EVENT_TYPES.length;
  const typeIndex = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));
  for await (const c of store.scanEventsByUser({ throughSeq: stats.throughSeq })) {
    for (let i = 0; i < c.users.length; i++) {
      if (c.users[i] !== user) {
        user = c.users[i]!;
        prior.clear();
      }
      const item = itemIndex(c.items[i]!);
      if (item === undefined) continue;
      stats.ensureItems(item + 1);
      const type = c.types[i]!;
      const ts = c.timestamps[i]!;
      const w = boundedWeight(config, type, c.weights[i]!);
      const p = prior.get(item) ?? 0;
      prior.set(item, p + w);
      const counted = stats.counted(w, p);
      if (Number.isNaN(anchor)) anchor = ts;
      if ((ts - anchor) / hl > 500) {
        // keep the exponent in range: move the anchor forward, scaling what is summed so far
        const shift = (ts - anchor) / hl - 250;
        const f = 2 ** -shift;
        for (let j = 0; j < stats.trending.length; j++) stats.trending[j]! *= f;
        anchor += shift * hl;
      }
      if (counted > 0) {
        stats.popularity[item]! += counted;
        stats.trending[item]! += counted * 2 ** ((ts - anchor) / hl);
      }
      const t = typeIndex.get(type);
      if (t !== undefined) stats.counts[item * T + t]!++;
      if (ts > newest) newest = ts;
    }
    seen += c.users.length;
    onProgress?.(seen);
  }
  if (!Number.isNaN(anchor)) {
    const f = 2 ** ((anchor - newest) / hl);
    for (let j = 0; j < stats.trending.length; j++) stats.trending[j]! *= f;
  }
  stats.refTime = newest || Date.now();
  stats.newestEventTime = newest;
  return stats;
}

interface Header {
  format: typeof MAGIC;
  n: number;
  types: readonly string[];
  refTime: number;
  newestEventTime: number;
  throughSeq: number;
  settings: ItemStatsSettings;
  ids: string[];
}

export function encodeItemStats(stats: ItemStats, ids: readonly string[]): Uint8Array {
  const n = ids.length;
  const header: Header = {
    format: MAGIC,
    n,
    types: EVENT_TYPES,
    refTime: stats.refTime,
    newestEventTime: stats.newestEventTime,
    throughSeq: stats.throughSeq,
    settings: stats.settings,
    ids: [...ids],
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const base = Math.ceil((4 + json.length) / 8) * 8;
  const T = EVENT_TYPES.length;
  const out = new Uint8Array(base + n * 16 + Math.ceil((n * T * 4) / 8) * 8);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  const bytes = (a: Float64Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  out.set(bytes(stats.popularity.subarray(0, n)), base);
  out.set(bytes(stats.trending.subarray(0, n)), base + n * 8);
  out.set(bytes(stats.counts.subarray(0, n * T)), base + n * 16);
  return out;
}

/** Decodes a saved snapshot into the current catalogue's index space (`itemIndex`; unknown ids are dropped). */
export function decodeItemStats(
  bytes: Uint8Array,
  itemIndex: (id: string) => number | undefined,
  nItems: number,
): ItemStats {
  const bad = (what: string) => new LayerwiseError('parse_error', `serving-stats artifact: ${what}`);
  if (bytes.length < 8) throw bad('truncated');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  let h: Header;
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + len))) as Header;
  } catch (e) {
    throw new LayerwiseError('parse_error', 'serving-stats artifact: header is not JSON', { cause: e });
  }
  if (h.format !== MAGIC || JSON.stringify(h.types) !== JSON.stringify(EVENT_TYPES)) throw bad('unknown format');
  const n = h.n;
  const T = EVENT_TYPES.length;
  const base = Math.ceil((4 + len) / 8) * 8;
  if (bytes.length < base + n * 16 + n * T * 4) throw bad('truncated');
  const copy = bytes.slice(base, base + n * 16 + n * T * 4);
  const saved = new ItemStats(0, h.settings);
  saved.popularity = new Float64Array(copy.buffer, 0, n);
  saved.trending = new Float64Array(copy.buffer, n * 8, n);
  saved.counts = new Uint32Array(copy.buffer, n * 16, n * T);
  const stats = new ItemStats(nItems, h.settings);
  for (let r = 0; r < n; r++) {
    const i = itemIndex(h.ids[r]!);
    if (i !== undefined) stats.copyItem(saved, r, i);
  }
  stats.refTime = h.refTime;
  stats.newestEventTime = h.newestEventTime;
  stats.throughSeq = h.throughSeq;
  return stats;
}

/** Saves a snapshot (ids by index) as the next `serving-stats` version; older versions beyond KEEP are deleted. */
export async function saveItemStats(store: Store, stats: ItemStats, ids: readonly string[], config: Bounds) {
  const payload = encodeItemStats(stats, ids);
  const row = await store.saveModel({
    name: STATS_ARTIFACT,
    config: { throughSeq: stats.throughSeq, refTime: stats.refTime, items: ids.length, settings: settingsHash(config) },
    configHash: settingsHash(config),
    metrics: {},
    payload,
  });
  for (const old of await store.listModels(STATS_ARTIFACT)) {
    if (old.version <= row.version - KEEP) await store.deleteModel(STATS_ARTIFACT, old.version);
  }
  return row;
}

/** The newest saved snapshot computed with these settings, mapped onto the catalogue; null when there is none. */
export async function loadItemStats(
  store: Store,
  config: Bounds,
  itemIndex: (id: string) => number | undefined,
  nItems: number,
  readPayload: (path: string) => Promise<Uint8Array>,
): Promise<ItemStats | null> {
  const a = await store.getModel(STATS_ARTIFACT);
  if (a === null || a.configHash !== settingsHash(config)) return null;
  const bytes = a.payload ?? (a.payloadPath ? await readPayload(a.payloadPath) : null);
  if (bytes === null) return null;
  return decodeItemStats(bytes, itemIndex, nItems);
}
