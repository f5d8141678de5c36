/**
 * The event feed: "every event committed since my cursor", in commit order, never skipping one. Serving replicas
 * follow it to apply events written by any other process.
 *
 * SQLite has one writer at a time, so `seq` order is commit order and the cursor is the last `seq`.
 *
 * PostgreSQL assigns `seq` at insert but transactions commit in any order: `seq > last` skips forever an event whose
 * transaction commits after a later `seq` was read. Each event row carries its transaction's id (`txid`, xid8), and
 * the cursor is a *frontier* `low` — every transaction below it has ended, and all its events were delivered — plus
 * `seen`, the events of transactions at or above `low` delivered already (transactions that committed while an older
 * one was still open). A pass takes a snapshot S, reads the rows with `txid >= low` visible in S in (txid, seq)
 * order, delivers those not in `seen`, and ends with `low = xmin(S)` (the oldest transaction open at S: nothing
 * below it can still commit) and `seen` = the rows it read at or above that. A long pass is paged: the cursor then
 * also carries S and the keyset position, so a page boundary never changes what the pass sees.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { eventFromRow } from './events.js';
import type { EventFeedPage } from './ports.js';
import { num } from './rows.js';
import type { Database, Dialect, EventsTable } from './schema.js';

interface SqliteCursor {
  d: 'sqlite';
  seq: number;
}

interface PgCursor {
  d: 'postgres';
  /** Frontier transaction id (decimal xid8). */
  low: string;
  /** Event seqs with txid >= low already delivered. */
  seen: number[];
  /** A pass in progress: its snapshot, its xmin, keyset position, and the seqs read so far at or above xmin. */
  pass?: { snap: string; xmin: string; txid: string; seq: number; next: number[] };
}

type Cursor = SqliteCursor | PgCursor;

function encode(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decode(text: string | null, dialect: Dialect): Cursor {
  if (text === null || text === '')
    return dialect === 'sqlite' ? { d: 'sqlite', seq: 0 } : { d: 'postgres', low: '0', seen: [] };
  let c: Cursor;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch (e) {
    throw new LayerwiseError(
      'invalid_argument',
      `event feed cursor is not one this store wrote: ${text.slice(0, 40)}`,
      {
        cause: e,
      },
    );
  }
  if (c?.d !== dialect) {
    throw new LayerwiseError(
      'invalid_argument',
      `event feed cursor is for a ${String(c?.d)} store, this one is ${dialect}`,
    );
  }
  return c;
}

export async function readEventFeed(
  db: Kysely<Database>,
  dialect: Dialect,
  cursorText: string | null,
  limit = 10_000,
): Promise<EventFeedPage> {
  const c = decode(cursorText, dialect);
  const n = Math.max(1, Math.min(1_000_000, Math.floor(limit)));
  if (c.d === 'sqlite') {
    const rows = await db.selectFrom('events').selectAll().where('seq', '>', c.seq).orderBy('seq').limit(n).execute();
    const events = rows.map(eventFromRow);
    const last = events[events.length - 1];
    return { events, cursor: encode({ d: 'sqlite', seq: last ? last.seq : c.seq }), more: rows.length === n };
  }
  return readPg(db, c, n);
}

type PgRow = Selectable<EventsTable> & { txid: string; late: boolean };

async function readPg(db: Kysely<Database>, c: PgCursor, n: number): Promise<EventFeedPage> {
  let pass = c.pass;
  if (pass === undefined) {
    const s = await sql<{ snap: string; xmin: string }>`
      select s::text as snap, pg_snapshot_xmin(s)::text as xmin from pg_current_snapshot() as s`.execute(db);
    const { snap, xmin } = s.rows[0]!;
    pass = { snap, xmin, txid: c.low, seq: 0, next: [] };
  }
  const rows = (
    await sql<PgRow>`
      select seq, user_id, item_id, type, weight, value, ts, recommendation_id, txid::text as txid,
        txid >= ${pass.xmin}::xid8 as late
      from events
      where txid >= ${c.low}::xid8 and (txid, seq) > (${pass.txid}::xid8, ${pass.seq})
        and pg_visible_in_snapshot(txid, ${pass.snap}::pg_snapshot)
      order by txid, seq limit ${n}`.execute(db)
  ).rows;
  const seen = new Set(c.seen);
  const events = [];
  const next = [...pass.next];
  for (const r of rows) {
    const seq = num(r.seq);
    if (r.late) next.push(seq);
    if (!seen.has(seq)) events.push(eventFromRow(r));
  }
  if (rows.length === n) {
    const last = rows[rows.length - 1]!;
    const cursor: PgCursor = {
      d: 'postgres',
      low: c.low,
      // Rows delivered in this pass lie behind the keyset position: they need no entry in `seen`.
      seen: c.seen,
      pass: { ...pass, txid: last.txid, seq: num(last.seq), next },
    };
    return { events, cursor: encode(cursor), more: true };
  }
  return { events, cursor: encode({ d: 'postgres', low: pass.xmin, seen: next }), more: false };
}

/** A cursor at "now": every event committed so far counts as delivered. */
export async function eventFeedHead(db: Kysely<Database>, dialect: Dialect): Promise<string> {
  if (dialect === 'sqlite') {
    const r = await db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    return encode({ d: 'sqlite', seq: r?.m == null ? 0 : num(r.m) });
  }
  const s = await sql<{ snap: string; xmin: string }>`
    select s::text as snap, pg_snapshot_xmin(s)::text as xmin from pg_current_snapshot() as s`.execute(db);
  const { snap, xmin } = s.rows[0]!;
  const late = await sql<{ seq: number }>`
    select seq from events where txid >= ${xmin}::xid8 and pg_visible_in_snapshot(txid, ${snap}::pg_snapshot)`.execute(
    db,
  );
  return encode({ d: 'postgres', low: xmin, seen: late.rows.map((r) => num(r.seq)) });
}
