/**
 * Migration of issue 18 (content in the served ranking): an index on `items.updated_at`, so a running server finds
 * items another process ingested (`layerwise ingest …` beside `layerwise serve`) with one indexed range query per
 * poll instead of listing the catalogue.
 */
import type { Kysely, Migration } from 'kysely';

type Db = Kysely<unknown>;

export function migrations18(): Record<string, Migration> {
  return {
    '0018_a_items_updated_at': {
      async up(db: Db) {
        await db.schema.createIndex('items_updated_at').on('items').columns(['updated_at', 'id']).execute();
      },
    },
  };
}
