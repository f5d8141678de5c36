/**
 * The SQLite path of `addImpressions`: one prepared single-row insert run for every row inside one `BEGIN
 * IMMEDIATE` transaction (better-sqlite3, synchronous). Building a multi-row statement per flush costs a fresh
 * prepare of thousands of parameters each time; the prepared statement is compiled once per connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ImpressionInput } from './live-ports.js';

const prepared = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Transaction<(rows: ImpressionInput[]) => number>>();

function writer(db: BetterSqlite3.Database): BetterSqlite3.Transaction<(rows: ImpressionInput[]) => number> {
  let w = prepared.get(db);
  if (w === undefined) {
    const insert = db.prepare(
      'insert or ignore into impressions (recommendation_id, user_id, item_id, position, model, experiment, arm, ts) ' +
        'values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    w = db.transaction((rows: ImpressionInput[]): number => {
      let n = 0;
      for (const r of rows) {
        n += insert.run(
          r.recommendationId,
          r.userId,
          r.itemId,
          r.position,
          r.model,
          r.experiment,
          r.arm,
          Math.round(r.timestamp),
        ).changes;
      }
      return n;
    });
    prepared.set(db, w);
  }
  return w;
}

/**
 * Inserts impressions in one immediate transaction (the caller holds the connection); returns rows written.
 * Committed with `synchronous = NORMAL` whatever the store's level: impressions are telemetry, and under FULL every
 * small flush would fsync the WAL (~3 ms on this machine's disk, blocking the event loop each time). In WAL mode a
 * NORMAL commit is still atomic and survives a process crash; only a power loss may drop the last flushes — and the
 * next FULL commit (any event write) makes them durable too.
 */
export function addImpressionsSqlite(db: BetterSqlite3.Database, rows: ImpressionInput[]): number {
  const level = db.pragma('synchronous', { simple: true }) as number;
  if (level > 1) db.pragma('synchronous = NORMAL');
  try {
    return writer(db).immediate(rows);
  } finally {
    if (level > 1) db.pragma(`synchronous = ${level}`);
  }
}
