/**
 * Versioned schema migrations, applied in order by Kysely's Migrator on open. Never edit a released migration:
 * append a new one. Each migration gets the dialect so the few type differences (auto-increment keys, blobs,
 * floats) stay in one place.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { migrations17 } from './migrations-17.js';
import { migrations18 } from './migrations-18.js';
import { migrations20 } from './migrations-20.js';
import { migrations21 } from './migrations-21.js';
import type { Dialect } from './schema.js';

type Db = Kysely<unknown>;

function types(dialect: Dialect) {
  return {
    serial: dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const),
    blob: dialect === 'postgres' ? ('bytea' as const) : ('blob' as const),
    float: dialect === 'postgres' ? ('double precision' as const) : ('real' as const),
  };
}

function init(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: Db) {
      await db.schema
        .createTable('items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('file_hash', 'text')
        .addColumn('path', 'text')
        .addColumn('format', 'text')
        .addColumn('size_bytes', 'bigint')
        .addColumn('report', 'text')
        .addColumn('error', 'text')
        .addColumn('title', 'text')
        .addColumn('description', 'text')
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('license', 'text')
        .addColumn('creator', 'text')
        .addColumn('category', 'text')
        .addColumn('remix_of', 'text')
        .addColumn('created_at', 'bigint')
        .addColumn('ingested_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('items_file_hash').on('items').column('file_hash').execute();
      await db.schema.createIndex('items_path').on('items').column('path').execute();
      await db.schema.createIndex('items_category').on('items').columns(['category', 'id']).execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('attrs', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('events')
        .addColumn('seq', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('weight', t.float, (c) => c.notNull())
        .addColumn('value', t.float)
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .execute();
      // One index does both jobs: exact-duplicate detection and a user's history in time order.
      await db.schema
        .createIndex('events_exact')
        .on('events')
        .columns(['user_id', 'ts', 'item_id', 'type', 'weight'])
        .unique()
        .execute();

      await db.schema
        .createTable('embeddings')
        .addColumn('encoder', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('dim', 'integer', (c) => c.notNull())
        .addColumn('vector', t.blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('embeddings_pk', ['encoder', 'item_id'])
        .execute();

      await db.schema
        .createTable('models')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('config_hash', 'text', (c) => c.notNull())
        .addColumn('metrics', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('payload_path', 'text')
        .addColumn('payload', t.blob)
        .addPrimaryKeyConstraint('models_pk', ['name', 'version'])
        .execute();

      await db.schema
        .createTable('ingest_jobs')
        .addColumn('id', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('params', 'text')
        .addColumn('summary', 'text')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema
        .createTable('ingest_outcomes')
        .addColumn('id', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('job_id', 'bigint', (c) => c.notNull())
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text')
        .addColumn('code', 'text')
        .addColumn('message', 'text')
        .execute();
      await db.schema.createIndex('ingest_outcomes_job').on('ingest_outcomes').columns(['job_id', 'outcome']).execute();
    },
  };
}

/**
 * All migrations, keyed so that lexical order is application order. Keys are `00NN_name`, where NN is the number of
 * the issue that added the migration (one block of keys per piece of work, so parallel branches never collide);
 * unordered application is allowed for the same reason (a store may have seen a later key before an earlier one).
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_init': init(dialect),
    ...migrations21(dialect),
    ...migrations20(),
    ...migrations17(dialect),
    ...migrations18(),
  };
}

/** Brings the schema up to date; throws `internal` with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator(
    schema === undefined
      ? { db, provider, allowUnorderedMigrations: true }
      : { db, provider, migrationTableSchema: schema, allowUnorderedMigrations: true },
  );
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new LayerwiseError('internal', `store migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
