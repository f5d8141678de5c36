/** Ingest jobs and their per-file (or per-row) outcomes in the shared Kysely layer. */
import type { Kysely } from 'kysely';
import { pageLimit } from './items.js';
import type { IngestJob, IngestJobKind, IngestJobStatus, IngestOutcome, IngestOutcomeKind } from './ports.js';
import { chunks, jobFromRow, num, toJson } from './rows.js';
import type { Database } from './schema.js';

export async function startJob(
  db: Kysely<Database>,
  kind: IngestJobKind,
  params: unknown,
  now = Date.now(),
): Promise<number> {
  const row = await db
    .insertInto('ingest_jobs')
    .values({ kind, status: 'running', params: toJson(params), summary: null, started_at: now, finished_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return num(row.id);
}

export async function finishJob(
  db: Kysely<Database>,
  id: number,
  status: IngestJobStatus,
  summary: unknown,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('ingest_jobs')
    .set({ status, summary: toJson(summary), finished_at: now })
    .where('id', '=', id)
    .execute();
}

export async function addJobOutcomes(db: Kysely<Database>, id: number, outcomes: IngestOutcome[]): Promise<void> {
  for (const part of chunks(outcomes, 1000)) {
    await db
      .insertInto('ingest_outcomes')
      .values(
        part.map((o) => ({
          job_id: id,
          file: o.file,
          outcome: o.outcome,
          item_id: o.itemId,
          code: o.code,
          message: o.message,
        })),
      )
      .execute();
  }
}

export async function getJob(db: Kysely<Database>, id: number): Promise<IngestJob | null> {
  const row = await db.selectFrom('ingest_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? jobFromRow(row) : null;
}

export async function listJobs(db: Kysely<Database>, limit?: number): Promise<IngestJob[]> {
  const rows = await db
    .selectFrom('ingest_jobs')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(pageLimit(limit, 20, 1000))
    .execute();
  return rows.map(jobFromRow);
}

export async function jobOutcomes(
  db: Kysely<Database>,
  id: number,
  query: { outcome?: IngestOutcomeKind; limit?: number } = {},
): Promise<IngestOutcome[]> {
  let q = db.selectFrom('ingest_outcomes').selectAll().where('job_id', '=', id);
  if (query.outcome !== undefined) q = q.where('outcome', '=', query.outcome);
  const rows = await q
    .orderBy('id')
    .limit(pageLimit(query.limit, 1000, 100_000))
    .execute();
  return rows.map((r) => ({
    file: r.file,
    outcome: r.outcome as IngestOutcomeKind,
    itemId: r.item_id,
    code: r.code,
    message: r.message,
  }));
}
