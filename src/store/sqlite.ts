/**
 * The SQLite adapter (default): better-sqlite3 v12 in WAL mode under Kysely. Opening migrates the schema to the
 * latest version. Use `:memory:` for a throwaway store.
 *
 * Durability: `synchronous = FULL` by default, so a write the store has acknowledged (an API 2xx) survives a power
 * loss or OS crash, not only a process crash (NORMAL in WAL mode may lose the last commits on power loss; pass
 * `synchronous: 'normal'` for bulk work where a re-run is cheap). Concurrent writers: see sqlite-write.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { ImpressionThread } from './impressions-thread.js';
import { KyselyStore, type RawHandles } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import type { Database as Schema } from './schema.js';
import { ImmediateSqliteDialect, retryBusy, type WriteRetryOptions } from './sqlite-write.js';

export interface SqliteStoreOptions {
  /**
   * Milliseconds SQLite's own (synchronous, loop-blocking) busy handler waits for another process' lock before the
   * store retries asynchronously (default 25).
   */
  busyTimeoutMs?: number;
  /** How long a write keeps retrying for the lock before failing with `unavailable` (default 30 s). */
  writeRetry?: WriteRetryOptions;
  /** `full` (default): acknowledged commits survive power loss; `normal`: only process crashes. */
  synchronous?: 'full' | 'normal';
  /**
   * SQLite page cache of this connection in KiB (default 65,536 = 64 MiB). A connection that only appends (the
   * server's event-commit thread) needs little: pages it never reads again only add resident memory.
   */
  cacheKiB?: number;
  /** Write impressions from a worker thread with its own connection (default true for a file; impressions-thread.ts). */
  impressionThread?: boolean;
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
  sqlite.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 25))}`);
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma(`cache_size = -${Math.max(64, Math.round(options.cacheKiB ?? 65_536))}`);
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect(sqlite) });
  const write = <T>(fn: () => Promise<T>) => retryBusy(fn, options.writeRetry);
  await write(() => migrateToLatest(db as Kysely<unknown>, 'sqlite'));
  const raw: RawHandles = { sqlite };
  const store = new KyselyStore(db, 'sqlite', raw, undefined, write);
  if (file !== ':memory:' && options.impressionThread !== false) {
    raw.impressions = new ImpressionThread(file, (rows) => store.addImpressionsHere(sqlite, rows));
  }
  return store;
}
