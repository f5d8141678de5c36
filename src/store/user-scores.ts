/**
 * Batch-scored top-k per user (`user_scores`): what a `score` job computed with the active model, one row per user,
 * replaced by the next scoring — so running a job twice leaves the same rows, and an operator exports them a page
 * at a time.
 */
import type { Kysely, Selectable } from 'kysely';
import { decodeCursor, encodeCursor, pageLimit } from './items.js';
import type { Page, UserScores } from './ports.js';
import { chunks, num } from './rows.js';
import type { Database, UserScoresTable } from './schema.js';

function fromRow(r: Selectable<UserScoresTable>): UserScores {
  return {
    userId: r.user_id,
    model: r.model,
    k: num(r.k),
    items: JSON.parse(r.items) as UserScores['items'],
    coldStart: num(r.cold_start) === 1,
    jobId: r.job_id,
    scoredAt: num(r.scored_at),
  };
}

export async function putUserScores(db: Kysely<Database>, rows: UserScores[]): Promise<void> {
  // one row per user: a later row of the same user in one call wins
  const byUser = new Map(rows.map((r) => [r.userId, r]));
  for (const part of chunks([...byUser.values()], 500)) {
    await db
      .insertInto('user_scores')
      .values(
        part.map((r) => ({
          user_id: r.userId,
          model: r.model,
          k: r.k,
          items: JSON.stringify(r.items),
          cold_start: r.coldStart ? 1 : 0,
          job_id: r.jobId,
          scored_at: r.scoredAt,
        })),
      )
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          model: eb.ref('excluded.model'),
          k: eb.ref('excluded.k'),
          items: eb.ref('excluded.items'),
          cold_start: eb.ref('excluded.cold_start'),
          job_id: eb.ref('excluded.job_id'),
          scored_at: eb.ref('excluded.scored_at'),
        })),
      )
      .execute();
  }
}

export async function getUserScores(db: Kysely<Database>, userIds: string[]): Promise<Map<string, UserScores>> {
  const out = new Map<string, UserScores>();
  for (const part of chunks([...new Set(userIds)], 500)) {
    const rows = await db.selectFrom('user_scores').selectAll().where('user_id', 'in', part).execute();
    for (const r of rows) out.set(r.user_id, fromRow(r));
  }
  return out;
}

export async function listUserScores(
  db: Kysely<Database>,
  query: { cursor?: string; limit?: number } = {},
): Promise<Page<UserScores>> {
  const limit = pageLimit(query.limit, 1000, 10_000);
  let q = db.selectFrom('user_scores').selectAll();
  if (query.cursor !== undefined) q = q.where('user_id', '>', decodeCursor(query.cursor));
  const rows = await q
    .orderBy('user_id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map(fromRow);
  const last = page[page.length - 1];
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor(last.userId) : null };
}
