/**
 * The store adapters every contract-style test runs against: SQLite in memory and PostgreSQL at
 * LAYERWISE_TEST_DATABASE_URL (a fresh schema per open; call `dropSchemas` in afterAll). PostgreSQL is skipped with
 * a message only when unreachable and CI is not 'true'.
 */
import pg from 'pg';
import type { Store } from './ports.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';

const PG_URL = process.env.LAYERWISE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch (e) {
    if (process.env.CI === 'true')
      throw new Error(`PostgreSQL unreachable at ${PG_URL} in CI: ${(e as Error).message}`);
    console.warn(`skipping PostgreSQL store tests: unreachable at ${PG_URL} (${(e as Error).message})`);
    return false;
  }
}

export interface TestAdapter {
  name: 'sqlite' | 'postgres';
  open: () => Promise<Store>;
  enabled: boolean;
}

export async function testAdapters(
  prefix: string,
): Promise<{ adapters: TestAdapter[]; dropSchemas: () => Promise<void> }> {
  const runId = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const schemas: string[] = [];
  const adapters: TestAdapter[] = [
    { name: 'sqlite', open: () => openSqliteStore(':memory:'), enabled: true },
    {
      name: 'postgres',
      open: () => {
        const schema = `${runId}_${schemas.length}`;
        schemas.push(schema);
        return openPostgresStore(PG_URL, { schema, max: 2 });
      },
      enabled: await pgReachable(),
    },
  ];
  const dropSchemas = async () => {
    if (schemas.length === 0) return;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    for (const s of schemas) await c.query(`drop schema if exists ${s} cascade`);
    await c.end();
  };
  return { adapters, dropSchemas };
}
