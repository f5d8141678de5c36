/**
 * Writing to one SQLite file from several processes (the server and a `layerwise ingest …` beside it) without ever
 * surfacing "database is locked":
 *
 * - Every store transaction starts with `BEGIN IMMEDIATE`. Kysely's SQLite driver issues a plain (deferred) `BEGIN`,
 *   which takes a read snapshot first and upgrades to a write on the first insert; when another process committed in
 *   between, SQLite answers SQLITE_BUSY at once — its busy handler cannot help a stale snapshot. An immediate
 *   transaction takes the write lock before reading anything, so it can only wait, never fail half-way.
 * - Waiting is asynchronous. better-sqlite3 is synchronous: with a long `busy_timeout`, a request waiting for another
 *   process' 50,000-row import transaction would block this process' event loop (every other request) for the whole
 *   wait. So SQLite's own handler waits only briefly (`busy_timeout`, default 25 ms) and the whole transaction is
 *   retried after an exponential backoff with full jitter (5 ms doubling to 250 ms) until `deadlineMs` (default
 *   30 s); only then does the caller see `unavailable` (503 with Retry-After at the API) — real overload.
 * - A full disk or an I/O error becomes `unavailable` / `io_error` with a message saying so, never a bare driver error.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { LayerwiseError } from '../core/errors.js';

class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly database: { inTransaction: boolean },
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /** SQLite has already rolled back after SQLITE_FULL / IOERR: a second rollback would hide the real error. */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.database.inTransaction) await super.rollbackTransaction(connection);
  }
}

/** Kysely's SQLite dialect with `BEGIN IMMEDIATE` transactions (over one better-sqlite3 connection). */
export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SqliteDatabase & { inTransaction: boolean }) {
    super({ database });
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver({ database: this.database }, this.database);
  }
}

export interface WriteRetryOptions {
  /** Give up (with `unavailable`) after this long waiting for the write lock (default 30 s). */
  deadlineMs?: number;
  /** First backoff step in ms (default 5); doubles per try up to `maxDelayMs` (default 250), full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

function sqliteCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** True for SQLite's "another connection holds the lock" family (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED…). */
export function isBusy(e: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(e)) || (e instanceof LayerwiseError && isBusy(e.cause));
}

/** Driver errors that are about the machine, not the request, as typed errors; others pass through unchanged. */
export function storageError(e: unknown): unknown {
  const code = sqliteCode(e);
  if (code === 'SQLITE_FULL') {
    return new LayerwiseError('unavailable', 'the database disk is full; nothing of this request was stored', {
      cause: e,
      details: { storage: 'full', retryAfterS: 30 },
    });
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN') {
    return new LayerwiseError('io_error', `the database could not be written (${code}); check the data dir's disk`, {
      cause: e,
      details: { storage: code },
    });
  }
  return e;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs a write (a whole transaction) until it gets the lock, retrying busy failures with jittered backoff. */
export async function retryBusy<T>(fn: () => Promise<T>, options: WriteRetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.deadlineMs ?? 30_000);
  const base = options.baseDelayMs ?? 5;
  const max = options.maxDelayMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isBusy(e)) throw storageError(e);
      if (Date.now() >= deadline) {
        throw new LayerwiseError(
          'unavailable',
          `the database stayed locked by another writer for ${options.deadlineMs ?? 30_000} ms; retry later`,
          { cause: e, details: { retryAfterS: 1 } },
        );
      }
      await sleep(Math.random() * Math.min(max, base * 2 ** attempt));
    }
  }
}
