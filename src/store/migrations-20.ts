/**
 * Migration of issue 20 (printability a maker can trust): the slicer's results, one row per item, printer and orientation, so a
 * `POST /v1/items/:id/slice` answered once is answered from the store after a restart and on every replica.
 */
import type { Kysely, Migration } from 'kysely';

type Db = Kysely<unknown>;

export function migrations20(): Record<string, Migration> {
  return {
    '0020_a_slice_results': {
      async up(db: Db) {
        await db.schema
          .createTable('slice_results')
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('printer', 'text', (c) => c.notNull())
          .addColumn('orientation', 'text', (c) => c.notNull())
          // What the result was computed from (file hash, profile settings, rotation): a new key recomputes.
          .addColumn('source_key', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('slice_results_pk', ['item_id', 'printer', 'orientation'])
          .execute();
      },
    },
  };
}
