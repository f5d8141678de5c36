/** Event queries of the shared Kysely layer: batched idempotent inserts, paging for training, user history. */
import type BetterSqlite3 from 'better-sqlite3';
import { type Kysely, type Selectable, sql } from 'kysely';
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
  type User,
  type UserHistoriesOptions,
  type UserHistoryOptions,
} from './ports.js';
import { chunks, num, userFromRow } from './rows.js';
import type { Database, Dialect, EventsTable, UsersTable } from './schema.js';

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

/** Users per query in `userHistories`. */
const HISTORIES_CHUNK = 200;

/** Groups rows (ordered by user, newest first) by user, at most `limit` per user. */
function groupHistories(rows: Selectable<EventsTable>[], limit: number, out: Map<string, StoredEvent[]>): void {
  for (const r of rows) {
    const list = out.get(r.user_id);
    if (list === undefined) out.set(r.user_id, [eventFromRow(r)]);
    else if (list.length < limit) list.push(eventFromRow(r));
  }
}

function historiesArgs(userIds: string[], options: UserHistoriesOptions) {
  const limit = pageLimit(options.limit, 100, 10_000);
  const itemIds = options.itemIds === undefined ? undefined : [...new Set(options.itemIds)];
  if (itemIds !== undefined && itemIds.length > 1000) {
    throw new LayerwiseError('invalid_argument', `itemIds takes at most 1000 items, got ${itemIds.length}`);
  }
  return { limit, itemIds, parts: chunks([...new Set(userIds)], HISTORIES_CHUNK) };
}

/**
 * Several users' most recent events (newest first, at most `limit` each) in one query per 200 users, through the
 * per-user index, instead of one query per user: applying a batch of events for 100 users costs one round trip.
 * Without `itemIds` a `row_number()` window keeps each user's newest `limit`; with it, the few rows on those items.
 */
export async function userHistories(
  db: Kysely<Database>,
  userIds: string[],
  options: UserHistoriesOptions = {},
): Promise<Map<string, StoredEvent[]>> {
  const { limit, itemIds, parts } = historiesArgs(userIds, options);
  const out = new Map<string, StoredEvent[]>();
  if (itemIds?.length === 0) return out;
  for (const part of parts) {
    let q = db.selectFrom('events').selectAll().where('user_id', 'in', part);
    if (itemIds !== undefined) q = q.where('item_id', 'in', itemIds);
    const rows =
      itemIds !== undefined
        ? await q.orderBy('user_id').orderBy('ts', 'desc').orderBy('seq', 'desc').execute()
        : await db
            .selectFrom(
              q
                .select(sql<number>`row_number() over (partition by user_id order by ts desc, seq desc)`.as('rn'))
                .as('h'),
            )
            .selectAll()
            .where('rn', '<=', limit)
            .orderBy('user_id')
            .orderBy('ts', 'desc')
            .orderBy('seq', 'desc')
            .execute();
    groupHistories(rows, limit, out);
  }
  return out;
}

const leanStatements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/** `userHistory(…, { lean: true })` on better-sqlite3 with a statement prepared once per connection. */
export function leanHistorySqlite(db: BetterSqlite3.Database, userId: string, limit?: number): StoredEvent[] {
  let st = leanStatements.get(db);
  if (st === undefined) {
    st = db.prepare(
      'select seq, user_id, item_id, type, weight, null as value, ts, null as recommendation_id from events ' +
        'where user_id = ? order by ts desc, seq desc limit ?',
    );
    leanStatements.set(db, st);
  }
  const rows = st.all(userId, pageLimit(limit, 100, 10_000)) as Selectable<EventsTable>[];
  return rows.map(eventFromRow);
}

const userStatements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

/** `getUser` on better-sqlite3 with a statement prepared once per connection (serving reads it with each history). */
export function getUserSqlite(db: BetterSqlite3.Database, userId: string): User | null {
  let st = userStatements.get(db);
  if (st === undefined) {
    st = db.prepare('select id, attrs, created_at from users where id = ?');
    userStatements.set(db, st);
  }
  const row = st.get(userId) as Selectable<UsersTable> | undefined;
  return row ? userFromRow(row) : null;
}

/** `userHistories` on better-sqlite3 directly (the same SQL; Kysely's compile of a 200-parameter query cost ~10×). */
export function userHistoriesSqlite(
  db: BetterSqlite3.Database,
  userIds: string[],
  options: UserHistoriesOptions = {},
): Map<string, StoredEvent[]> {
  const { limit, itemIds, parts } = historiesArgs(userIds, options);
  const out = new Map<string, StoredEvent[]>();
  if (itemIds?.length === 0) return out;
  const order = 'order by user_id, ts desc, seq desc';
  for (const part of parts) {
    const users = `user_id in (${part.map(() => '?').join(',')})`;
    const rows =
      itemIds !== undefined
        ? db
            .prepare(
              `select * from events where ${users} and item_id in (${itemIds.map(() => '?').join(',')}) ${order}`,
            )
            .all(...part, ...itemIds)
        : db
            .prepare(
              'select * from (select *, row_number() over (partition by user_id order by ts desc, seq desc) as rn ' +
                `from events where ${users}) where rn <= ? ${order}`,
            )
            .all(...part, limit);
    groupHistories(rows as Selectable<EventsTable>[], limit, out);
  }
  return out;
}

export async function userHistory(
  db: Kysely<Database>,
  userId: string,
  options: UserHistoryOptions = {},
): Promise<StoredEvent[]> {
  const limit = pageLimit(options.limit, 100, 10_000);
  let q = options.lean
    ? db
        .selectFrom('events')
        .select(['seq', 'user_id', 'item_id', 'type', 'weight', 'ts'])
        .select([sql<null>`null`.as('value'), sql<null>`null`.as('recommendation_id')])
    : db.selectFrom('events').selectAll();
  q = q.where('user_id', '=', userId);
  if (options.types && options.types.length > 0) q = q.where('type', 'in', options.types);
  const rows = await q.orderBy('ts', 'desc').orderBy('seq', 'desc').limit(limit).execute();
  return rows.map(eventFromRow);
}
