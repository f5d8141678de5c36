/**
 * Migrations of issue 17 (layerwise as a cluster): the blob store's PostgreSQL/SQLite tables (bytes in 1 MiB
 * chunks), where each item's bytes are (`item_blobs`), a commit-ordered event cursor on PostgreSQL (the inserting
 * transaction's id, `xid8`), visible job records, cluster-wide settings, and each user's batch-scored top-k.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from './schema.js';

type Db = Kysely<unknown>;

function blobs(dialect: Dialect): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Db) {
      await db.schema
        .createTable('blobs')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('chunks', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('blob_chunks')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addColumn('data', blob, (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_chunks_pk', ['key', 'n'])
        .execute();
      await db.schema
        .createTable('item_blobs')
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('item_blobs_pk', ['item_id', 'kind'])
        .execute();
    },
  };
}

/**
 * PostgreSQL assigns `seq` at insert time but transactions commit in any order, so `seq > last` skips an event whose
 * transaction commits after a later one's. The inserting transaction's id plus snapshot visibility gives a cursor
 * in commit order (src/store/event-feed.ts). SQLite has one writer at a time: `seq` order is commit order there.
 */
function eventTxid(dialect: Dialect): Migration {
  return {
    async up(db: Db) {
      if (dialect !== 'postgres') return;
      await sql`alter table events add column txid xid8 not null default pg_current_xact_id()`.execute(db);
      await sql`create index events_txid on events (txid, seq)`.execute(db);
    },
  };
}

function jobRecords(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('job_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('progress', 'real', (c) => c.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('error', 'text')
        .addColumn('data', 'text')
        .addColumn('result', 'text')
        .addColumn('worker', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .execute();
      await db.schema.createIndex('job_records_updated').on('job_records').columns(['updated_at']).execute();
    },
  };
}

/** Cluster-wide settings (e.g. which model an admin chose to serve), so every replica reads the same choice. */
function settings(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}

/** Each user's top-k as the last batch-scoring job computed it (one row per user, overwritten by the next run). */
function userScores(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('user_scores')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('model', 'text')
        .addColumn('k', 'integer', (c) => c.notNull())
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('cold_start', 'integer', (c) => c.notNull())
        .addColumn('job_id', 'text')
        .addColumn('scored_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}

export function migrations17(dialect: Dialect): Record<string, Migration> {
  return {
    '0017_a_blobs': blobs(dialect),
    '0017_b_event_txid': eventTxid(dialect),
    '0017_c_job_records': jobRecords(),
    '0017_d_settings': settings(),
    '0017_e_user_scores': userScores(),
  };
}
