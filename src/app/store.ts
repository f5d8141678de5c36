/** Opens the store the configuration names: PostgreSQL when `databaseUrl` is set, else SQLite in `dataDir`. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from '../store/ports.js';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Config } from './config.js';

export const SQLITE_FILE = 'layerwise.db';

export async function openStore(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  /** SQLite page cache of the connection in KiB (default 64 MiB: imports and training scan the store). */
  sqlite: { cacheKiB?: number } = {},
): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore(config.databaseUrl);
  const dir = resolve(config.dataDir);
  mkdirSync(dir, { recursive: true });
  return openSqliteStore(join(dir, SQLITE_FILE), sqlite);
}

/** Runs `fn` with an open store and always closes it. */
export async function withStore<T>(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  fn: (s: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
