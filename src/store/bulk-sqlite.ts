/**
 * The SQLite bulk path of `addEvents` / `addEventBatch`: better-sqlite3 prepared statements run synchronously in one
 * transaction, events inserted 250 rows per statement with `insert or ignore`, bound straight from the batch's
 * columns. The unique index `events_exact` (user, ts, item, type, weight) stays in place — it is what drops exact
 * duplicates and what makes a killed import safe to re-run — and since event files are usually grouped or ordered by
 * user or time, its inserts land on a few hot B-tree pages. Each distinct item of a batch (its string table) is
 * looked up once (removed items never take new events; unknown ones become stubs or are rejected) and each distinct
 * user is created with `insert or ignore`. Items found live are remembered per connection across batches (a 1 M-item
 * catalogue does not fit SQLite's page cache, and ~25 k random item lookups per 50,000-row batch were most of an
 * import's time at that size); each batch first reads the `removals` log past the last entry it saw, inside its
 * own transaction, so an item unpublished by another process is refused from the next batch on, as before.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { type AddEventsOptions, type AddEventsResult, EVENT_TYPES, type EventBatch } from './ports.js';

const ROWS = 250;
const COLS = '(user_id,item_id,type,weight,value,ts,recommendation_id)';
const W = 7;

interface Statements {
  many: BetterSqlite3.Statement;
  one: BetterSqlite3.Statement;
  itemStatus: BetterSqlite3.Statement;
  stubItem: BetterSqlite3.Statement;
  user: BetterSqlite3.Statement;
  removalsSince: BetterSqlite3.Statement;
  lastRemoval: BetterSqlite3.Statement;
}

/** Ids of items seen live on this connection, valid as of removal-log entry `seq`. */
interface LiveItems {
  ids: Set<string>;
  seq: number;
}

/** Remembered ids per connection at most (then forgotten and found again). */
const LIVE_ITEMS_CAP = 2_000_000;
const liveItems = new WeakMap<BetterSqlite3.Database, LiveItems>();

/** The connection's live-item set, with every item removed since it was last used dropped (call in the batch's transaction). */
function currentLiveItems(db: BetterSqlite3.Database, s: Statements): LiveItems {
  let live = liveItems.get(db);
  if (live === undefined || live.ids.size > LIVE_ITEMS_CAP) {
    live = { ids: new Set(), seq: s.lastRemoval.get() as number };
    liveItems.set(db, live);
    return live;
  }
  for (const r of s.removalsSince.all(live.seq) as { seq: number; kind: string; id: string }[]) {
    live.seq = r.seq;
    if (r.kind === 'item') live.ids.delete(r.id);
  }
  return live;
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
      removalsSince: db.prepare('select seq, kind, id from removals where seq > ? order by seq'),
      lastRemoval: db.prepare('select coalesce(max(seq), 0) from removals').pluck(),
    };
    prepared.set(db, s);
  }
  return s;
}

/** Inserts a validated batch in one transaction (the caller holds the connection). */
export function addEventBatchSqlite(
  db: BetterSqlite3.Database,
  b: EventBatch,
  options: AddEventsOptions,
  now: number,
): AddEventsResult {
  const s = statements(db);
  const mode = options.unknownItems ?? 'stub';
  const rejected: number[] = [];
  const run = db.transaction((): number => {
    // Items of the batch's table that take no events: removed (unpublished) ones, and unknown ones in reject mode.
    const refused = new Uint8Array(b.itemIds.length);
    let anyRefused = false;
    const live = currentLiveItems(db, s);
    for (let k = 0; k < b.itemIds.length; k++) {
      const id = b.itemIds[k]!;
      if (live.ids.has(id)) continue;
      const status = s.itemStatus.get(id) as string | undefined;
      if (status === 'removed' || (status === undefined && mode !== 'stub')) {
        refused[k] = 1;
        anyRefused = true;
        continue;
      }
      if (status === undefined) s.stubItem.run(id, now, now);
      live.ids.add(id);
    }
    let rows: Int32Array | null = null;
    let n = b.length;
    if (anyRefused) {
      rows = new Int32Array(b.length);
      n = 0;
      for (let i = 0; i < b.length; i++) {
        if (refused[b.item[i]!]) rejected.push(i);
        else rows[n++] = i;
      }
    }
    const userUsed = new Uint8Array(b.userIds.length);
    for (let j = 0; j < n; j++) {
      const u = b.user[rows ? rows[j]! : j]!;
      if (userUsed[u]) continue;
      userUsed[u] = 1;
      s.user.run(b.userIds[u], now);
    }
    const recs = b.recommendationId;
    const bind = (params: unknown[], o: number, i: number) => {
      params[o] = b.userIds[b.user[i]!];
      params[o + 1] = b.itemIds[b.item[i]!];
      params[o + 2] = EVENT_TYPES[b.type[i]!];
      params[o + 3] = b.weight[i];
      const v = b.value[i]!;
      params[o + 4] = Number.isNaN(v) ? null : v;
      params[o + 5] = Math.round(b.timestamp[i]!);
      params[o + 6] = recs?.[i] ?? null;
    };
    let inserted = 0;
    const params: unknown[] = new Array(ROWS * W);
    let j = 0;
    for (; j + ROWS <= n; j += ROWS) {
      for (let r = 0; r < ROWS; r++) bind(params, r * W, rows ? rows[j + r]! : j + r);
      inserted += s.many.run(params).changes;
    }
    const one: unknown[] = new Array(W);
    for (; j < n; j++) {
      bind(one, 0, rows ? rows[j]! : j);
      inserted += s.one.run(one).changes;
    }
    return inserted;
  });
  let inserted: number;
  try {
    inserted = run();
  } catch (e) {
    liveItems.delete(db); // stubs it remembered were rolled back
    throw e;
  }
  return { inserted, duplicates: b.length - rejected.length - inserted, rejected };
}
