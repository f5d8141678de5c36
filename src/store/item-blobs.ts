/**
 * Where each item's bytes are (mesh file, thumbnail): a blob key or a `file:` URL per (item, kind), written by
 * ingest and read by embedding, thumbnails and `mesh.stl` — no stage finds an item's file by guessing folders.
 */
import type { Kysely } from 'kysely';
import type { ItemBlobKind } from './ports.js';
import { chunks } from './rows.js';
import type { Database } from './schema.js';

export async function setItemBlobs(
  db: Kysely<Database>,
  rows: { itemId: string; kind: ItemBlobKind; location: string }[],
  now = Date.now(),
): Promise<void> {
  for (const part of chunks(rows, 500)) {
    await db
      .insertInto('item_blobs')
      .values(part.map((r) => ({ item_id: r.itemId, kind: r.kind, location: r.location, updated_at: now })))
      .onConflict((oc) =>
        oc.columns(['item_id', 'kind']).doUpdateSet((eb) => ({
          location: eb.ref('excluded.location'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function itemBlobs(
  db: Kysely<Database>,
  itemIds: string[],
  kind: ItemBlobKind,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(itemIds)], 900)) {
    const rows = await db
      .selectFrom('item_blobs')
      .select(['item_id', 'location'])
      .where('kind', '=', kind)
      .where('item_id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.item_id, r.location);
  }
  return out;
}
