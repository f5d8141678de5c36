/** Event queries of the shared Kysely layer: batched idempotent inserts, paging for training, user history. */
import type { Kysely, Selectable } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
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
import type { Database, EventsTable } from './schema.js';
import { pageLimit } from './items.js';

/** Rows per multi-row insert: 6 parameters each. */
const EVENT_CHUNK = 1000;
const ID_CHUNK = 900;
const TYPES = new Set<string>(EVENT_TYPES);

function check(e: EventInput, i: number): void {
  const bad = (what: string) =>
    new LayerwiseError('invalid_argument', `event ${i}: ${what}, got ${JSON.stringify(e)}`, { details: { index: i } });
  if (typeof e.userId !== 'string' || e.userId === '') throw bad('userId must be a non-empty string');
  if (typeof e.itemId !== 'string' || e.itemId === '') throw bad('itemId must be a non-empty string');
  if (!TYPES.has(e.type)) throw bad(`type must be one of ${EVENT_TYPES.join(', ')}`);
  if (!Number.isFinite(e.weight)) throw bad('weight must be a finite number');
  if (!Number.isFinite(e.timestamp)) throw bad('timestamp must be a finite number (ms since epoch)');
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
  };
}

/** Call inside a transaction: creates users, stub items (or rejects), inserts events ignoring exact duplicates. */
export async function addEvents(
  db: Kysely<Database>,
  events: EventInput[],
  options: AddEventsOptions = {},
  now = Date.now(),
): Promise<AddEventsResult> {
  events.forEach(check);
  const mode = options.unknownItems ?? 'stub';
  const itemIds = [...new Set(events.map((e) => e.itemId))];
  const known = new Set<string>();
  for (const part of chunks(itemIds, ID_CHUNK)) {
    for (const r of await db.selectFrom('items').select('id').where('id', 'in', part).execute()) known.add(r.id);
  }
  const unknown = itemIds.filter((id) => !known.has(id));
  const rejected: number[] = [];
  let accepted = events;
  if (mode === 'reject' && unknown.length > 0) {
    accepted = [];
    events.forEach((e, i) => {
      if (known.has(e.itemId)) accepted.push(e);
      else rejected.push(i);
    });
  } else if (unknown.length > 0) {
    for (const part of chunks(unknown, ID_CHUNK)) {
      await db
        .insertInto('items')
        .values(part.map((id) => ({ id, status: 'stub', tags: '[]', ingested_at: now, updated_at: now })))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }
  const userIds = [...new Set(accepted.map((e) => e.userId))];
  for (const part of chunks(userIds, ID_CHUNK)) {
    await db
      .insertInto('users')
      .values(part.map((id) => ({ id, attrs: null, created_at: now })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  let inserted = 0;
  for (const part of chunks(accepted, EVENT_CHUNK)) {
    const res = await db
      .insertInto('events')
      .values(
        part.map((e) => ({
          user_id: e.userId,
          item_id: e.itemId,
          type: e.type,
          weight: e.weight,
          value: e.value ?? null,
          ts: Math.round(e.timestamp),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    inserted += Number(res.numInsertedOrUpdatedRows ?? 0n);
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
