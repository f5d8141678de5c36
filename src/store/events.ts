/** Event queries of the shared Kysely layer: batched idempotent inserts, paging for training, user history. */
import type { Kysely, Selectable } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { insertIgnore } from './bulk.js';
import { pageLimit } from './items.js';
import {
  type AddEventsOptions,
  type AddEventsResult,
  EVENT_TYPES,
  type EventInput,
  type EventType,
  type IterateEventsOptions,
  type StoredEvent,
  type UserHistoryOptions,
} from './ports.js';
import { chunks, num } from './rows.js';
import type { Database, Dialect, EventsTable } from './schema.js';

/** Rows per multi-row insert: 7 parameters each. */
const EVENT_CHUNK = 1000;
const ID_CHUNK = 900;
const TYPES = new Set<string>(EVENT_TYPES);

export function checkEvent(e: EventInput, i: number): void {
  const bad = (what: string) =>
    new LayerwiseError('invalid_argument', `event ${i}: ${what}, got ${JSON.stringify(e)}`, { details: { index: i } });
  if (typeof e.userId !== 'string' || e.userId === '') throw bad('userId must be a non-empty string');
  if (typeof e.itemId !== 'string' || e.itemId === '') throw bad('itemId must be a non-empty string');
  if (!TYPES.has(e.type)) throw bad(`type must be one of ${EVENT_TYPES.join(', ')}`);
  if (!Number.isFinite(e.weight)) throw bad('weight must be a finite number');
  if (!Number.isFinite(e.timestamp)) throw bad('timestamp must be a finite number (ms since epoch)');
  if (e.recommendationId != null && (typeof e.recommendationId !== 'string' || e.recommendationId.length > 200)) {
    throw bad('recommendationId must be a string of at most 200 characters');
  }
}

export function eventFromRow(r: Selectable<EventsTable>): StoredEvent {
  return {
    seq: num(r.seq),
    userId: r.user_id,
    itemId: r.item_id,
    type: r.type as EventType,
    weight: num(r.weight),
    value: r.value === null ? null : num(r.value),
    timestamp: num(r.ts),
    recommendationId: r.recommendation_id ?? null,
  };
}

/** Call inside a transaction: creates users, stub items (or rejects), inserts events ignoring exact duplicates. */
export async function addEvents(
  db: Kysely<Database>,
  dialect: Dialect,
  events: EventInput[],
  options: AddEventsOptions = {},
  now = Date.now(),
): Promise<AddEventsResult> {
  events.forEach(checkEvent);
  const mode = options.unknownItems ?? 'stub';
  const itemIds = [...new Set(events.map((e) => e.itemId))];
  const known = new Set<string>();
  const removed = new Set<string>();
  for (const part of chunks(itemIds, ID_CHUNK)) {
    for (const r of await db.selectFrom('items').select(['id', 'status']).where('id', 'in', part).execute()) {
      if (r.status === 'removed') removed.add(r.id);
      else known.add(r.id);
    }
  }
  const unknown = itemIds.filter((id) => !known.has(id) && !removed.has(id));
  const rejected: number[] = [];
  let accepted = events;
  // Removed (unpublished) items never take new events; unknown ones only when the caller asks to reject them.
  if (removed.size > 0 || (mode === 'reject' && unknown.length > 0)) {
    accepted = [];
    events.forEach((e, i) => {
      if (known.has(e.itemId) || (mode === 'stub' && !removed.has(e.itemId))) accepted.push(e);
      else rejected.push(i);
    });
  }
  if (mode === 'stub' && unknown.length > 0) {
    const cols = ['id', 'status', 'tags', 'ingested_at', 'updated_at'];
    for (const part of chunks(unknown, ID_CHUNK)) {
      await insertIgnore(
        db,
        dialect,
        'items',
        cols,
        part.map((id) => [id, 'stub', '[]', now, now]),
        '(id)',
      );
    }
  }
  const userIds = [...new Set(accepted.map((e) => e.userId))];
  for (const part of chunks(userIds, ID_CHUNK)) {
    await insertIgnore(
      db,
      dialect,
      'users',
      ['id', 'created_at'],
      part.map((id) => [id, now]),
      '(id)',
    );
  }
  let inserted = 0;
  const cols = ['user_id', 'item_id', 'type', 'weight', 'value', 'ts', 'recommendation_id'];
  for (const part of chunks(accepted, EVENT_CHUNK)) {
    const rows = part.map((e) => [
      e.userId,
      e.itemId,
      e.type,
      e.weight,
      e.value ?? null,
      Math.round(e.timestamp),
      e.recommendationId ?? null,
    ]);
    inserted += await insertIgnore(db, dialect, 'events', cols, rows);
  }
  return { inserted, duplicates: accepted.length - inserted, rejected };
}

export async function* iterateEvents(
  db: Kysely<Database>,
  options: IterateEventsOptions = {},
): AsyncIterable<StoredEvent[]> {
  const pageSize = pageLimit(options.pageSize, 10_000, 1_000_000);
  let after = options.afterSeq ?? 0;
  for (;;) {
    let q = db.selectFrom('events').selectAll().where('seq', '>', after);
    if (options.types && options.types.length > 0) q = q.where('type', 'in', options.types);
    const rows = await q.orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) return;
    const page = rows.map(eventFromRow);
    after = page[page.length - 1]!.seq;
    yield page;
    if (rows.length < pageSize) return;
  }
}

export async function userHistory(
  db: Kysely<Database>,
  userId: string,
  options: UserHistoryOptions = {},
): Promise<StoredEvent[]> {
  const limit = pageLimit(options.limit, 100, 10_000);
  let q = db.selectFrom('events').selectAll().where('user_id', '=', userId);
  if (options.types && options.types.length > 0) q = q.where('type', 'in', options.types);
  const rows = await q.orderBy('ts', 'desc').orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(eventFromRow);
}
