/** Item queries of the shared Kysely layer: batch upsert, lookups and cursor-paged listing with filters. */
import { type Kysely, sql } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import type { Item, ItemInput, ItemStatus, ListItemsQuery, Page } from './ports.js';
import { chunks, itemColumns, itemFromRow, newItemRow } from './rows.js';
import type { Database, ItemsTable } from './schema.js';

/** Rows per multi-row statement (19 columns keeps well under SQLite's 32,766 and Postgres' 65,535 parameters). */
const ITEM_CHUNK = 500;
const LOOKUP_CHUNK = 900;

/**
 * Inserts new items and updates existing ones (only the fields each input defines). Inputs are grouped by the set of
 * defined fields so each group is one multi-row `insert … on conflict (id) do update` per chunk.
 */
export async function upsertItems(
  db: Kysely<Database>,
  items: ItemInput[],
  now = Date.now(),
): Promise<{ inserted: number; updated: number }> {
  if (items.length === 0) return { inserted: 0, updated: 0 };
  const byId = new Map<string, ItemInput>();
  for (const it of items) {
    if (typeof it.id !== 'string' || it.id.length === 0) {
      throw new LayerwiseError('invalid_argument', `item id must be a non-empty string, got ${JSON.stringify(it.id)}`);
    }
    const prev = byId.get(it.id);
    byId.set(it.id, prev ? { ...prev, ...it } : it);
  }
  const ids = [...byId.keys()];
  const existing = new Set<string>();
  for (const part of chunks(ids, LOOKUP_CHUNK)) {
    const rows = await db.selectFrom('items').select('id').where('id', 'in', part).execute();
    for (const r of rows) existing.add(r.id);
  }
  const groups = new Map<string, ItemInput[]>();
  for (const it of byId.values()) {
    const key = Object.keys(itemColumns(it)).sort().join(',');
    const g = groups.get(key);
    if (g) g.push(it);
    else groups.set(key, [it]);
  }
  for (const [key, group] of groups) {
    const cols = (key ? key.split(',') : []) as (keyof ItemsTable)[];
    for (const part of chunks(group, ITEM_CHUNK)) {
      const rows = part.map((it) => newItemRow(it, now));
      await db
        .insertInto('items')
        .values(rows)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => {
            const set: Record<string, unknown> = { updated_at: eb.ref('excluded.updated_at') };
            for (const c of cols) set[c] = eb.ref(`excluded.${c}`);
            return set as never;
          }),
        )
        .execute();
    }
  }
  return { inserted: ids.length - existing.size, updated: existing.size };
}

export async function getItems(db: Kysely<Database>, ids: string[]): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  for (const part of chunks([...new Set(ids)], LOOKUP_CHUNK)) {
    const rows = await db.selectFrom('items').selectAll().where('id', 'in', part).execute();
    for (const r of rows) out.set(r.id, itemFromRow(r));
  }
  return out;
}

export async function findItemsBy(
  db: Kysely<Database>,
  column: 'file_hash' | 'path',
  values: string[],
): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  for (const part of chunks([...new Set(values)], LOOKUP_CHUNK)) {
    const rows = await db.selectFrom('items').selectAll().where(column, 'in', part).orderBy('id').execute();
    for (const r of rows) {
      const k = r[column];
      if (k !== null && !out.has(k)) out.set(k, itemFromRow(r));
    }
  }
  return out;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * A page cursor back to the id it stands for. Strict: it must be exactly what `encodeCursor` produced (re-encoding
 * the decoded id gives the same text), so a mangled or foreign cursor is a 400 everywhere instead of silently
 * restarting at page one.
 */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (id.length === 0 || encodeCursor(id) !== cursor) {
    throw new LayerwiseError(
      'invalid_argument',
      `bad cursor ${JSON.stringify(cursor.slice(0, 64))}: pass nextCursor from a previous page`,
      { details: { cursor: cursor.slice(0, 64) } },
    );
  }
  return id;
}

export function pageLimit(limit: number | undefined, def: number, max: number): number {
  if (limit === undefined) return def;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new LayerwiseError('invalid_argument', `limit must be an integer in 1..${max}, got ${limit}`);
  }
  return limit;
}

/** Items whose row changed at or after `since`, oldest change first (see the port). */
export async function itemsChangedSince(
  db: Kysely<Database>,
  since: number,
  afterId?: string,
  limit = 1000,
): Promise<Item[]> {
  const n = pageLimit(limit, 1000, 1000);
  if (!Number.isFinite(since)) throw new LayerwiseError('invalid_argument', `since must be a number, got ${since}`);
  const t = Math.floor(since);
  const rows = await db
    .selectFrom('items')
    .selectAll()
    .where((eb) =>
      afterId === undefined
        ? eb('updated_at', '>=', t)
        : eb.or([eb('updated_at', '>', t), eb.and([eb('updated_at', '=', t), eb('id', '>', afterId)])]),
    )
    .orderBy('updated_at')
    .orderBy('id')
    .limit(n)
    .execute();
  return rows.map(itemFromRow);
}

export async function listItems(db: Kysely<Database>, q: ListItemsQuery = {}): Promise<Page<Item>> {
  const limit = pageLimit(q.limit, 100, 1000);
  const statuses: ItemStatus[] =
    q.status === undefined ? ['ready', 'stub'] : Array.isArray(q.status) ? q.status : [q.status];
  let query = db.selectFrom('items').selectAll().where('status', 'in', statuses);
  if (q.cursor !== undefined) query = query.where('id', '>', decodeCursor(q.cursor));
  if (q.category !== undefined) query = query.where('category', '=', q.category);
  if (q.format !== undefined) query = query.where('format', '=', q.format);
  if (q.tag !== undefined) {
    const pattern = `%${likeEscape(JSON.stringify(q.tag))}%`;
    query = query.where(sql<boolean>`tags like ${pattern} escape '\\'`);
  }
  if (q.query !== undefined && q.query.trim() !== '') {
    const pattern = `%${likeEscape(q.query.trim().toLowerCase())}%`;
    query = query.where(
      sql<boolean>`lower(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || tags) like ${pattern} escape '\\'`,
    );
  }
  const rows = await query
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map(itemFromRow);
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!.id) : null };
}
