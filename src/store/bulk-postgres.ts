/**
 * The PostgreSQL bulk path of `addEvents`: one transaction that `COPY`s the batch (pg-copy-streams, text format)
 * into a temporary staging table without indexes, creates the missing users and stub items (or finds the rows whose
 * item is unknown, in `reject` mode) with set-based statements over the batch's distinct ids, and moves the rows into `events` with
 * `insert … select … on conflict do nothing` — the unique index drops exact duplicates, within the batch too, so a
 * killed import re-run ends with exactly the rows of an uninterrupted one. New users and stub items are inserted in id
 * order, so two imports' transactions running at once take their locks in the same order (a deadlock between
 * events of the two is still possible and retried as a transient error).
 */
import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type AddEventsOptions, type AddEventsResult, EVENT_TYPES, type EventBatch } from './ports.js';

/** Escapes a value for COPY's text format (backslash, tab, newline, carriage return). */
export function copyText(s: string): string {
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESC[c]!) : s;
}
const COPY_ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const STAGING = `create temporary table if not exists events_staging (
  ord integer not null, user_id text not null, item_id text not null, type text not null,
  weight double precision not null, value double precision, ts bigint not null, recommendation_id text)
  on commit delete rows`;

async function copyRows(client: pg.PoolClient, b: EventBatch): Promise<void> {
  const stream = client.query(
    copyFrom('copy events_staging (ord, user_id, item_id, type, weight, value, ts, recommendation_id) from stdin'),
  );
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  // Each distinct id is escaped once per batch, not once per row.
  const users = b.userIds.map(copyText);
  const items = b.itemIds.map(copyText);
  const recs = b.recommendationId;
  let buf = '';
  for (let i = 0; i < b.length; i++) {
    const v = b.value[i]!;
    const r = recs?.[i];
    buf += `${i}\t${users[b.user[i]!]}\t${items[b.item[i]!]}\t${EVENT_TYPES[b.type[i]!]}\t${b.weight[i]}\t${
      Number.isNaN(v) ? '\\N' : v
    }\t${Math.round(b.timestamp[i]!)}\t${r == null ? '\\N' : copyText(r)}\n`;
    if (buf.length >= 1 << 18) {
      if (!stream.write(buf)) await once(stream, 'drain');
      buf = '';
    }
  }
  stream.end(buf);
  await done;
}

/** The ids of `table` that `index` refers to, each once. */
function usedIds(table: readonly string[], index: ArrayLike<number>): string[] {
  const used = new Uint8Array(table.length);
  for (let i = 0; i < index.length; i++) used[index[i]!] = 1;
  return table.filter((_, k) => used[k] === 1);
}

/** Inserts a validated batch through COPY + staging in one transaction on a client of its own. */
export async function addEventBatchPostgres(
  pool: pg.Pool,
  events: EventBatch,
  options: AddEventsOptions,
  now: number,
): Promise<AddEventsResult> {
  const client = await pool.connect();
  let ok = false;
  try {
    // One round trip; `set local` ends with the transaction, so the pooled connection keeps its settings.
    await client.query(
      `begin; ${options.asyncCommit ? 'set local synchronous_commit = off; ' : ''}set local work_mem = '64MB'; ${STAGING}`,
    );
    await copyRows(client, events);
    // The batch's distinct ids (those its rows use) go as arrays: the id lookups probe the primary keys once per
    // distinct id instead of hashing the whole catalogue and user table for every batch.
    const userIds = usedIds(events.userIds, events.user);
    const itemIds = usedIds(events.itemIds, events.item);
    if ((options.unknownItems ?? 'stub') === 'stub') {
      await client.query(
        `insert into items (id, status, tags, ingested_at, updated_at)
         select x, 'stub', '[]', $2::bigint, $2::bigint from unnest($1::text[]) x
         where not exists (select 1 from items i where i.id = x) order by 1 on conflict (id) do nothing`,
        [itemIds, now],
      );
    }
    // Removed (unpublished) items never take new events; unknown ones (reject mode) neither.
    const bad = await client.query<{ id: string }>(
      `select x as id from unnest($1::text[]) x
       where not exists (select 1 from items i where i.id = x and i.status <> 'removed')`,
      [itemIds],
    );
    const rejected: number[] = [];
    if (bad.rows.length > 0) {
      const badIds = new Set(bad.rows.map((r) => r.id));
      for (let i = 0; i < events.length; i++) if (badIds.has(events.itemIds[events.item[i]!]!)) rejected.push(i);
      await client.query('delete from events_staging where item_id = any($1::text[])', [[...badIds]]);
    }
    await client.query(
      `insert into users (id, created_at)
       select x, $2::bigint from unnest($1::text[]) x
       where not exists (select 1 from users u where u.id = x) order by 1 on conflict (id) do nothing`,
      [userIds, now],
    );
    const ins = await client.query(
      `insert into events (user_id, item_id, type, weight, value, ts, recommendation_id)
       select user_id, item_id, type, weight, value, ts, recommendation_id from events_staging order by ord
       on conflict do nothing`,
    );
    await client.query('commit');
    ok = true;
    const inserted = ins.rowCount ?? 0;
    return { inserted, duplicates: events.length - rejected.length - inserted, rejected };
  } finally {
    // On failure the connection is discarded below, so a failing rollback has nothing left to clean up.
    if (!ok) await client.query('rollback').catch(() => undefined);
    // A failed connection must not go back to the pool.
    client.release(!ok);
  }
}
