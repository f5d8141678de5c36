/**
 * The PostgreSQL adapter: `pg` pool under Kysely, used when LAYERWISE_DATABASE_URL=postgres://… is set. Bigint
 * columns are parsed as numbers (all our bigints are millisecond timestamps or sequence numbers < 2^53). An optional
 * `schema` (option, or our own `?schema=name` URL parameter) isolates a store inside one database (tests use a
 * fresh schema per run).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { LayerwiseError } from '../core/errors.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrations.js';
import { retryTransientPg } from './pg-retry.js';
import type { Database as Schema } from './schema.js';

export interface PostgresStoreOptions {
  /** Schema to use (created when missing); default the connection's search_path (usually `public`). */
  schema?: string;
  /** Pool size (default 4). */
  max?: number;
  /** How long a write retries while PostgreSQL is restarting or unreachable before `unavailable` (default 15 s). */
  writeDeadlineMs?: number;
}

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Splits our own `?schema=name` parameter off a connection URL (pg does not know it). */
export function splitSchema(url: string): { url: string; schema?: string } {
  const m = /([?&])schema=([^&]*)&?/.exec(url);
  if (!m) return { url };
  const rest = url.slice(0, m.index) + (m[0].endsWith('&') ? m[1] : '') + url.slice(m.index + m[0].length);
  return { url: rest.replace(/[?&]$/, ''), schema: decodeURIComponent(m[2]!) };
}

export async function openPostgresStore(rawUrl: string, options: PostgresStoreOptions = {}): Promise<KyselyStore> {
  const fromUrl = splitSchema(rawUrl);
  const url = fromUrl.url;
  const schema = options.schema ?? fromUrl.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new LayerwiseError(
      'invalid_argument',
      `postgres schema must match [a-z_][a-z0-9_]*, got ${JSON.stringify(schema)}`,
    );
  }
  const config: pg.PoolConfig = { connectionString: url, max: options.max ?? 4, types };
  if (schema !== undefined) config.options = `-c search_path=${schema}`;
  const pool = new pg.Pool(config);
  // An idle client whose server went away emits 'error' on the pool (unhandled, it would crash the process). The
  // pool has already discarded that client; the next query connects afresh and reports its own error, which
  // retryTransientPg turns into a retry or `unavailable` — so nothing is lost by not rethrowing here.
  pool.on('error', () => {});
  // the same for a client checked out when its connection dies: its query rejects (and is retried); the client's
  // own 'error' event must not become an uncaught exception
  pool.on('connect', (client) => client.on('error', () => {}));
  try {
    const client = await pool.connect();
    try {
      if (schema !== undefined) await client.query(`create schema if not exists ${schema}`);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw new LayerwiseError('unavailable', `cannot connect to PostgreSQL at ${redact(url)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db as Kysely<unknown>, 'postgres', schema);
  return new KyselyStore(db, 'postgres', { pool }, undefined, (fn) => retryTransientPg(fn, options.writeDeadlineMs));
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
