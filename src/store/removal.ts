/**
 * Removal in the shared Kysely layer: unpublishing an item (tombstone status `removed`, embeddings dropped, events
 * optionally purged) and erasing a user (events, impressions and the user row deleted). Each is one transaction and
 * appends to the `removals` log, which serving processes poll to drop what they hold in memory.
 */
import type { Kysely } from 'kysely';
import type { EraseUserResult, Removal, RemovalKind, RemoveItemResult } from './live-ports.js';
import { num } from './rows.js';
import type { Database } from './schema.js';

async function log(db: Kysely<Database>, kind: RemovalKind, id: string): Promise<void> {
  await db.insertInto('removals').values({ kind, id, at: Date.now() }).execute();
}

/** Call inside a transaction. */
export async function removeItem(
  db: Kysely<Database>,
  id: string,
  o: { purgeEvents?: boolean } = {},
): Promise<RemoveItemResult> {
  const row = await db.selectFrom('items').select('status').where('id', '=', id).executeTakeFirst();
  if (!row) return { removed: false, events: 0 };
  const already = row.status === 'removed';
  if (already && !o.purgeEvents) return { removed: false, events: 0 };
  const now = Date.now();
  await db.updateTable('items').set({ status: 'removed', updated_at: now }).where('id', '=', id).execute();
  await db.deleteFrom('embeddings').where('item_id', '=', id).execute();
  await db.deleteFrom('slice_results').where('item_id', '=', id).execute();
  let events = 0;
  if (o.purgeEvents) {
    const r = await db.deleteFrom('events').where('item_id', '=', id).executeTakeFirst();
    events = Number(r.numDeletedRows);
  }
  await log(db, 'item', id);
  return { removed: !already, events };
}

/** Call inside a transaction. */
export async function eraseUser(db: Kysely<Database>, id: string): Promise<EraseUserResult> {
  const ev = await db.deleteFrom('events').where('user_id', '=', id).executeTakeFirst();
  const imp = await db.deleteFrom('impressions').where('user_id', '=', id).executeTakeFirst();
  const user = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  await db.deleteFrom('user_scores').where('user_id', '=', id).execute(); // batch-scored lists are about them too
  const events = Number(ev.numDeletedRows);
  const impressions = Number(imp.numDeletedRows);
  const erased = Number(user.numDeletedRows) > 0 || events > 0 || impressions > 0;
  if (erased) await log(db, 'user', id);
  return { erased, events, impressions };
}

export async function removals(db: Kysely<Database>, afterSeq = 0): Promise<Removal[]> {
  const rows = await db.selectFrom('removals').selectAll().where('seq', '>', afterSeq).orderBy('seq').execute();
  return rows.map((r) => ({ seq: num(r.seq), kind: r.kind as RemovalKind, id: r.id, at: num(r.at) }));
}
