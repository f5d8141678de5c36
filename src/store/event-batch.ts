/**
 * `EventBatch` helpers: objects ↔ columns (the online `addEvents` path and the fallback dialect go through the same
 * bulk code as the importer) and validation of a batch at the store's door.
 */
import { LayerwiseError } from '../core/errors.js';
import { EVENT_TYPES, type EventBatch, type EventInput, type EventType } from './ports.js';

const TYPE_INDEX = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

/** Columns of `events` (already checked by `checkEvent`). */
export function toEventBatch(events: EventInput[]): EventBatch {
  const n = events.length;
  const b: EventBatch = {
    length: n,
    userIds: [],
    user: new Int32Array(n),
    itemIds: [],
    item: new Int32Array(n),
    type: new Uint8Array(n),
    weight: new Float64Array(n),
    value: new Float64Array(n),
    timestamp: new Float64Array(n),
  };
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  let recs: (string | null)[] | undefined;
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    let u = users.get(e.userId);
    if (u === undefined) {
      u = b.userIds.push(e.userId) - 1;
      users.set(e.userId, u);
    }
    let it = items.get(e.itemId);
    if (it === undefined) {
      it = b.itemIds.push(e.itemId) - 1;
      items.set(e.itemId, it);
    }
    b.user[i] = u;
    b.item[i] = it;
    b.type[i] = TYPE_INDEX.get(e.type)!;
    b.weight[i] = e.weight;
    b.value[i] = e.value ?? Number.NaN;
    b.timestamp[i] = e.timestamp;
    if (e.recommendationId != null) {
      recs ??= new Array<string | null>(n).fill(null);
      recs[i] = e.recommendationId;
    }
  }
  if (recs) b.recommendationId = recs;
  return b;
}

/** Row `i` of a batch as an object. */
export function batchEvent(b: EventBatch, i: number): EventInput {
  const v = b.value[i]!;
  return {
    userId: b.userIds[b.user[i]!]!,
    itemId: b.itemIds[b.item[i]!]!,
    type: EVENT_TYPES[b.type[i]!] as EventType,
    weight: b.weight[i]!,
    value: Number.isNaN(v) ? null : v,
    timestamp: b.timestamp[i]!,
    recommendationId: b.recommendationId?.[i] ?? null,
  };
}

/** Throws `invalid_argument` for a malformed batch (the typed-array twin of `checkEvent`). */
export function checkEventBatch(b: EventBatch): void {
  const n = b.length;
  const bad = (what: string, details: Record<string, unknown> = {}) =>
    new LayerwiseError('invalid_argument', `event batch: ${what}`, { details });
  if (!Number.isInteger(n) || n < 0) throw bad(`length must be a non-negative integer, got ${n}`);
  for (const k of ['user', 'item', 'type', 'weight', 'value', 'timestamp'] as const) {
    if (b[k].length !== n) throw bad(`${k} has ${b[k].length} entries for ${n} rows`);
  }
  if (b.recommendationId && b.recommendationId.length !== n) throw bad('recommendationId must have one entry per row');
  for (const [name, table] of [
    ['userId', b.userIds],
    ['itemId', b.itemIds],
  ] as const) {
    for (const s of table) if (typeof s !== 'string' || s === '') throw bad(`${name} must be a non-empty string`);
  }
  const nu = b.userIds.length;
  const ni = b.itemIds.length;
  const nt = EVENT_TYPES.length;
  for (let i = 0; i < n; i++) {
    const u = b.user[i]!;
    const it = b.item[i]!;
    if (u < 0 || u >= nu || it < 0 || it >= ni || b.type[i]! >= nt) {
      throw bad(`event ${i}: user, item or type index out of range`, { index: i });
    }
    if (!Number.isFinite(b.weight[i]!)) throw bad(`event ${i}: weight must be a finite number`, { index: i });
    if (!Number.isFinite(b.timestamp[i]!)) throw bad(`event ${i}: timestamp must be a finite number`, { index: i });
    const r = b.recommendationId?.[i];
    if (r != null && (typeof r !== 'string' || r.length > 200)) {
      throw bad(`event ${i}: recommendationId must be a string of at most 200 characters`, { index: i });
    }
  }
}
