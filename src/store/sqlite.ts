/**
 * The SQLite adapter (default): better-sqlite3 v12 in WAL mode under Kysely. Opening migrates the schema to the
 * latest version. Use `:memory:` for a throwaway store.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { Database as Schema } from './schema.js';

export interface SqliteStoreOptions {
  /** Milliseconds to wait for another process' write lock (default 10 s). */
  busyTimeoutMs?: number;
}

export async function openSqliteStore(file: string, options: SqliteStoreOptions = {}): Promise<KyselyStore> {
  let sqlite: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file);
  } catch (e) {
    throw new LayerwiseError(
      'io_error',
      `cannot open SQLite store at ${file}: ${(e as Error).message}; check --data-dir`,
      {
        cause: e,
      },
    );
  }
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as Kysely<unknown>, 'sqlite');
  return new KyselyStore(db, 'sqlite', { sqlite });
}
