/**
 * The SQLite bulk path of `addEvents`: better-sqlite3 prepared statements run synchronously in one transaction,
 * events inserted 100 rows per statement with `insert or ignore`. The unique index `events_exact` (user, ts, item,
 * type, weight) stays in place — it is what drops exact duplicates and what makes a killed import safe to re-run —
 * and since event files are usually grouped or ordered by user or time, its inserts land on a few hot B-tree pages.
 * Each distinct item of a batch is looked up once (removed items never take new events; unknown ones become stubs or
 * are rejected) and each distinct user is created with `insert or ignore` — nothing is cached across batches, so
 * removals and erasures by another process are always seen.
 *
 * Measured (bench/scale): ~400 k rows/s for the insert alone on a warm cache (the file parser is the other half).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { AddEventsOptions, AddEventsResult, EventInput } from './ports.js';

const ROWS = 100;
const COLS = '(user_id,item_id,type,weight,value,ts,recommendation_id)';
const W = 7;

interface Statements {
  many: BetterSqlite3.Statement;
  one: BetterSqlite3.Statement;
  itemStatus: BetterSqlite3.Statement;
  stubItem: BetterSqlite3.Statement;
  user: BetterSqlite3.Statement;
}

const prepared = new WeakMap<BetterSqlite3.Database, Statements>();

function statements(db: BetterSqlite3.Database): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      many: db.prepare(
        `insert or ignore into events ${COLS} values ${new Array(ROWS).fill('(?,?,?,?,?,?,?)').join(',')}`,
      ),
      one: db.prepare(`insert or ignore into events ${COLS} values (?,?,?,?,?,?,?)`),
      itemStatus: db.prepare('select status from items where id = ?').pluck(),
      stubItem: db.prepare(
        `insert or ignore into items (id, status, tags, ingested_at, updated_at) values (?, 'stub', '[]', ?, ?)`,
      ),
      user: db.prepare('insert or ignore into users (id, created_at) values (?, ?)'),
    };
    prepared.set(db, s);
  }
  return s;
}

/** Inserts validated events in one transaction (the caller holds the connection). */
export function addEventsSqlite(
  db: BetterSqlite3.Database,
  events: EventInput[],
  options: AddEventsOptions,
  now: number,
): AddEventsResult {
  const s = statements(db);
  const mode = options.unknownItems ?? 'stub';
  const rejected: number[] = [];
  const run = db.transaction((): number => {
    const refused = new Set<string>();
    const seenItems = new Set<string>();
    for (const e of events) {
      const id = e.itemId;
      if (seenItems.has(id)) continue;
      seenItems.add(id);
      const status = s.itemStatus.get(id) as string | undefined;
      // Removed (unpublished) items never take new events; unknown ones only when the caller asks to reject them.
      if (status === 'removed') refused.add(id);
      else if (status === undefined) {
        if (mode === 'stub') s.stubItem.run(id, now, now);
        else refused.add(id);
      }
    }
    const accepted: EventInput[] = refused.size === 0 ? events : [];
    if (refused.size > 0) {
      events.forEach((e, i) => {
        if (refused.has(e.itemId)) rejected.push(i);
        else accepted.push(e);
      });
    }
    const seenUsers = new Set<string>();
    for (const e of accepted) {
      if (seenUsers.has(e.userId)) continue;
      seenUsers.add(e.userId);
      s.user.run(e.userId, now);
    }
    let inserted = 0;
    const params: unknown[] = new Array(ROWS * W);
    let i = 0;
    for (; i + ROWS <= accepted.length; i += ROWS) {
      for (let j = 0; j < ROWS; j++) {
        const e = accepted[i + j]!;
        const o = j * W;
        params[o] = e.userId;
        params[o + 1] = e.itemId;
        params[o + 2] = e.type;
        params[o + 3] = e.weight;
        params[o + 4] = e.value ?? null;
        params[o + 5] = Math.round(e.timestamp);
        params[o + 6] = e.recommendationId ?? null;
      }
      inserted += s.many.run(params).changes;
    }
    for (; i < accepted.length; i++) {
      const e = accepted[i]!;
      const row = [e.userId, e.itemId, e.type, e.weight, e.value ?? null, Math.round(e.timestamp)];
      inserted += s.one.run(...row, e.recommendationId ?? null).changes;
    }
    return inserted;
  });
  const inserted = run();
  return { inserted, duplicates: events.length - rejected.length - inserted, rejected };
}
