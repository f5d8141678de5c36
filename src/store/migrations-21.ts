/**
 * Migrations of issue 21 (learning from live traffic): impressions, experiments, the model-change log, the removal
 * log, and the `recommendation_id` an event may carry back from the response that showed its item.
 */
import { type ColumnDefinitionBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from './schema.js';

type Db = Kysely<unknown>;

export function migrations21(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const);
  const key = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());
  return {
    '0021_a_live': {
      async up(db: Db) {
        await db.schema.alterTable('events').addColumn('recommendation_id', 'text').execute();
        await db.schema
          .createIndex('events_recommendation')
          .on('events')
          .column('recommendation_id')
          .where(sql.ref('recommendation_id'), 'is not', null)
          .execute();

        await db.schema
          .createTable('impressions')
          .addColumn('id', serial, key)
          .addColumn('recommendation_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('item_id', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('model', 'text')
          .addColumn('experiment', 'text')
          .addColumn('arm', 'text')
          .addColumn('ts', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('impressions_recommendation')
          .on('impressions')
          .columns(['recommendation_id', 'item_id'])
          .execute();
        await db.schema.createIndex('impressions_user').on('impressions').column('user_id').execute();
        await db.schema
          .createIndex('impressions_experiment')
          .on('impressions')
          .columns(['experiment', 'arm', 'ts'])
          .execute();

        await db.schema
          .createTable('experiments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('arms', 'text', (c) => c.notNull())
          .addColumn('settings', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('started_at', 'bigint')
          .addColumn('stopped_at', 'bigint')
          .execute();

        await db.schema
          .createTable('model_changes')
          .addColumn('seq', serial, key)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('previous', 'integer')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('details', 'text')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('removals')
          .addColumn('seq', serial, key)
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
  };
}
