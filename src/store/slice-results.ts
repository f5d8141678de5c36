/** The slicer's cached results (`slice_results`): one row per item, printer and orientation, replaced when stale. */
import type { Kysely } from 'kysely';
import type { SliceRecord } from './ports.js';
import { num, parseJson } from './rows.js';
import type { Database } from './schema.js';

export async function getSliceResult(
  db: Kysely<Database>,
  itemId: string,
  printer: string,
  orientation: string,
): Promise<SliceRecord | null> {
  const row = await db
    .selectFrom('slice_results')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('printer', '=', printer)
    .where('orientation', '=', orientation)
    .executeTakeFirst();
  if (!row) return null;
  return {
    itemId: row.item_id,
    printer: row.printer,
    orientation: row.orientation,
    sourceKey: row.source_key,
    result: parseJson<unknown>(row.result),
    createdAt: num(row.created_at),
  };
}

export async function putSliceResult(db: Kysely<Database>, r: SliceRecord): Promise<void> {
  const values = {
    item_id: r.itemId,
    printer: r.printer,
    orientation: r.orientation,
    source_key: r.sourceKey,
    result: JSON.stringify(r.result ?? null),
    created_at: r.createdAt,
  };
  await db
    .insertInto('slice_results')
    .values(values)
    .onConflict((oc) =>
      oc
        .columns(['item_id', 'printer', 'orientation'])
        .doUpdateSet({ source_key: values.source_key, result: values.result, created_at: values.created_at }),
    )
    .execute();
}
