/**
 * `scanEvents`: every stored event as columnar chunks (user ids, item ids, weights, times) for training — no object
 * per event. Both dialects page by sequence number with only the needed columns selected; SQLite through a raw
 * prepared statement (no Kysely row objects), PostgreSQL through Kysely.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { EventColumns, ScanEventsOptions } from './ports.js';
import { num } from './rows.js';
import type { Database } from './schema.js';

function empty(n: number): EventColumns {
  return { users: new Array(n), items: new Array(n), weights: new Float32Array(n), timestamps: new Float64Array(n) };
}

/** Pages by `seq` with a raw prepared statement: no statement stays open between chunks, so callers may query. */
export async function* scanSqlite(db: BetterSqlite3.Database, o: ScanEventsOptions = {}): AsyncIterable<EventColumns> {
  const size = o.chunkSize ?? 65_536;
  const types = o.types && o.types.length > 0 ? o.types : [];
  const where = types.length > 0 ? `and type in (${types.map(() => '?').join(',')})` : '';
  const stmt = db
    .prepare(`select seq, user_id, item_id, weight, ts from events where seq > ? ${where} order by seq limit ?`)
    .raw(true);
  let after = 0;
  for (;;) {
    const rows = stmt.all(after, ...types, size) as [number, string, string, number, number][];
    if (rows.length === 0) return;
    const c = empty(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      c.users[i] = r[1];
      c.items[i] = r[2];
      c.weights[i] = r[3];
      c.timestamps[i] = r[4];
    }
    after = rows[rows.length - 1]![0];
    yield c;
    if (rows.length < size) return;
  }
}

export async function* scanPaged(db: Kysely<Database>, o: ScanEventsOptions = {}): AsyncIterable<EventColumns> {
  const size = o.chunkSize ?? 65_536;
  let after = 0;
  for (;;) {
    let q = db.selectFrom('events').select(['seq', 'user_id', 'item_id', 'weight', 'ts']).where('seq', '>', after);
    if (o.types && o.types.length > 0) q = q.where('type', 'in', o.types);
    const rows = await q.orderBy('seq').limit(size).execute();
    if (rows.length === 0) return;
    const c = empty(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      c.users[i] = r.user_id;
      c.items[i] = r.item_id;
      c.weights[i] = num(r.weight);
      c.timestamps[i] = num(r.ts);
    }
    after = num(rows[rows.length - 1]!.seq);
    yield c;
    if (rows.length < size) return;
  }
}
