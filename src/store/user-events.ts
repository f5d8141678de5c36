/**
 * Per-user event reads for serving at scale: `scanEventsByUser` walks the per-user index (`events_exact`: user_id,
 * ts, item_id, type, weight — unique, so its order is total) in keyset pages that never split a user, so a consumer
 * can aggregate per user (capped popularity) with memory for one user at a time; `userEventSummaries` counts a page
 * of users' events by type; `maxEventSeq` is the high-water mark a snapshot of aggregates is taken through.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { ScanEventsByUserOptions, UserEventColumns, UserEventSummary } from './ports.js';
import { chunks, num } from './rows.js';
import type { Database } from './schema.js';

type Row = [string, string, string, number, number];

function columns(rows: Row[], end: number): UserEventColumns {
  const c: UserEventColumns = {
    users: new Array(end),
    items: new Array(end),
    types: new Array(end),
    weights: new Float32Array(end),
    timestamps: new Float64Array(end),
  };
  for (let i = 0; i < end; i++) {
    const r = rows[i]!;
    c.users[i] = r[0];
    c.items[i] = r[1];
    c.types[i] = r[2];
    c.weights[i] = r[3];
    c.timestamps[i] = r[4];
  }
  return c;
}

/**
 * Keyset paging by user id: each page is `user_id > after` in index order; a full page whose last user may continue
 * is cut before that user (who starts the next page), and a single user larger than a page doubles the page.
 */
async function* pages(
  fetch: (after: string, limit: number) => Promise<Row[]> | Row[],
  size: number,
): AsyncIterable<UserEventColumns> {
  let after = '';
  let limit = size;
  for (;;) {
    const rows = await fetch(after, limit);
    if (rows.length === 0) return;
    let end = rows.length;
    if (rows.length === limit) {
      const last = rows[end - 1]![0];
      while (end > 0 && rows[end - 1]![0] === last) end--;
      if (end === 0) {
        limit *= 2;
        continue;
      }
    }
    yield columns(rows, end);
    if (rows.length < limit) return;
    after = rows[end - 1]![0];
    limit = size;
  }
}

const ORDER = 'order by user_id, ts, item_id, type, weight';

export function scanByUserSqlite(
  db: BetterSqlite3.Database,
  o: ScanEventsByUserOptions = {},
): AsyncIterable<UserEventColumns> {
  const through = o.throughSeq ?? Number.MAX_SAFE_INTEGER;
  const stmt = db
    .prepare(`select user_id, item_id, type, weight, ts from events where user_id > ? and seq <= ? ${ORDER} limit ?`)
    .raw(true);
  return pages((after, limit) => stmt.all(after, through, limit) as Row[], o.chunkSize ?? 65_536);
}

export function scanByUserPaged(
  db: Kysely<Database>,
  o: ScanEventsByUserOptions = {},
): AsyncIterable<UserEventColumns> {
  const through = o.throughSeq ?? Number.MAX_SAFE_INTEGER;
  return pages(async (after, limit) => {
    const rows = await db
      .selectFrom('events')
      .select(['user_id', 'item_id', 'type', 'weight', 'ts'])
      .where('user_id', '>', after)
      .where('seq', '<=', through)
      .orderBy('user_id')
      .orderBy('ts')
      .orderBy('item_id')
      .orderBy('type')
      .orderBy('weight')
      .limit(limit)
      .execute();
    return rows.map((r): Row => [r.user_id, r.item_id, r.type, num(r.weight), num(r.ts)]);
  }, o.chunkSize ?? 65_536);
}

export async function userEventSummaries(
  db: Kysely<Database>,
  userIds: string[],
): Promise<Map<string, UserEventSummary>> {
  const out = new Map<string, UserEventSummary>();
  for (const part of chunks([...new Set(userIds)], 500)) {
    const rows = await db
      .selectFrom('events')
      .select((eb) => ['user_id', 'type', eb.fn.countAll().as('n'), eb.fn.max('ts').as('last')])
      .where('user_id', 'in', part)
      .groupBy(['user_id', 'type'])
      .execute();
    for (const r of rows) {
      let s = out.get(r.user_id);
      if (s === undefined) out.set(r.user_id, (s = { events: 0, lastActive: 0, byType: {} }));
      const n = num(r.n);
      s.events += n;
      s.byType[r.type] = n;
      s.lastActive = Math.max(s.lastActive, num(r.last));
    }
  }
  return out;
}

export async function maxEventSeq(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('seq').as('m'))
    .executeTakeFirst();
  return r?.m == null ? 0 : num(r.m);
}
