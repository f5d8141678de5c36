/**
 * Fast multi-row inserts for the hot paths (events, users, stub items). Building a 1,000-row insert through Kysely's
 * query builder costs ~15 ms of node construction and compilation — more than SQLite takes to run it — so the SQL
 * text is generated once per (table, columns, row count, dialect), cached, and executed through Kysely as a
 * `CompiledQuery` with flat parameters. Still one query layer: the same connection, transaction and driver.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, Dialect } from './schema.js';

const cache = new Map<string, string>();

function insertSql(dialect: Dialect, table: string, columns: string[], rows: number, conflict: string): string {
  const key = `${dialect}|${table}|${columns.join(',')}|${rows}|${conflict}`;
  let text = cache.get(key);
  if (text === undefined) {
    const w = columns.length;
    const tuples: string[] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const ph: string[] = new Array(w);
      for (let c = 0; c < w; c++) ph[c] = dialect === 'postgres' ? `$${r * w + c + 1}` : '?';
      tuples[r] = `(${ph.join(',')})`;
    }
    text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${tuples.join(',')} ${conflict}`;
    if (cache.size > 256) cache.clear();
    cache.set(key, text);
  }
  return text;
}

/**
 * Inserts `rows` (arrays in `columns` order) with `on conflict do nothing`; returns the number of rows inserted.
 * Caller chunks so that rows × columns stays under the dialect's parameter limit.
 */
export async function insertIgnore(
  db: Kysely<Database>,
  dialect: Dialect,
  table: keyof Database,
  columns: string[],
  rows: unknown[][],
  conflictTarget = '',
): Promise<number> {
  if (rows.length === 0) return 0;
  const params: unknown[] = [];
  for (const r of rows) for (const v of r) params.push(v);
  const text = insertSql(dialect, table, columns, rows.length, `on conflict ${conflictTarget} do nothing`);
  const res = await db.executeQuery(CompiledQuery.raw(text, params));
  return Number(res.numAffectedRows ?? 0n);
}
