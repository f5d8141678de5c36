/**
 * Job records and cluster-wide settings in the shared Kysely layer. A job record is what an operator sees of a
 * background job (`GET /v1/jobs`, `layerwise jobs`): id, kind, state, progress, attempts, error. Whoever runs the
 * job (a BullMQ worker in a cluster, the process itself when embedded) writes it here, so every replica lists the
 * same jobs and the history outlives the queue's own bookkeeping.
 */
import type { Kysely, Selectable } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { pageLimit } from './items.js';
import type { JobRecord, JobRecordInput, JobRecordPrune, JobRecordQuery, JobState } from './ports.js';
import { num, parseJson, toJson } from './rows.js';
import type { Database, JobRecordsTable } from './schema.js';

function recordFromRow(r: Selectable<JobRecordsTable>): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state as JobState,
    progress: num(r.progress),
    attempts: num(r.attempts),
    maxAttempts: num(r.max_attempts),
    error: r.error,
    data: parseJson(r.data),
    result: parseJson(r.result),
    worker: r.worker,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    finishedAt: r.finished_at === null ? null : num(r.finished_at),
  };
}

/** Inserts or updates by id: given fields overwrite, absent ones keep their stored value (`createdAt` never moves). */
export async function saveJobRecord(db: Kysely<Database>, input: JobRecordInput, now = Date.now()): Promise<void> {
  const set: Partial<JobRecordsTable> = { updated_at: now };
  if (input.kind !== undefined) set.kind = input.kind;
  if (input.state !== undefined) set.state = input.state;
  if (input.progress !== undefined) set.progress = input.progress;
  if (input.attempts !== undefined) set.attempts = input.attempts;
  if (input.maxAttempts !== undefined) set.max_attempts = input.maxAttempts;
  if (input.error !== undefined) set.error = input.error;
  if (input.data !== undefined) set.data = toJson(input.data);
  if (input.result !== undefined) set.result = toJson(input.result);
  if (input.worker !== undefined) set.worker = input.worker;
  if (input.finishedAt !== undefined) set.finished_at = input.finishedAt;
  await db
    .insertInto('job_records')
    .values({
      id: input.id,
      kind: input.kind ?? 'unknown',
      state: input.state ?? 'waiting',
      progress: input.progress ?? 0,
      attempts: input.attempts ?? 0,
      max_attempts: input.maxAttempts ?? 1,
      error: input.error ?? null,
      data: toJson(input.data),
      result: toJson(input.result),
      worker: input.worker ?? null,
      created_at: now,
      updated_at: now,
      finished_at: input.finishedAt ?? null,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet(set))
    .execute();
}

export async function getJobRecord(db: Kysely<Database>, id: string): Promise<JobRecord | null> {
  const row = await db.selectFrom('job_records').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? recordFromRow(row) : null;
}

export async function listJobRecords(db: Kysely<Database>, query: JobRecordQuery = {}): Promise<JobRecord[]> {
  let q = db.selectFrom('job_records').selectAll();
  if (query.state !== undefined) q = q.where('state', 'in', Array.isArray(query.state) ? query.state : [query.state]);
  if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageLimit(query.limit, 50, 1000))
    .execute();
  return rows.map(recordFromRow);
}

/** Deletes finished records of one state older than `finishedBefore` or beyond the newest `keep`. */
export async function pruneJobRecords(db: Kysely<Database>, rule: JobRecordPrune): Promise<number> {
  let deleted = 0;
  const count = (r: { numDeletedRows: bigint }[]) => r.reduce((s, x) => s + Number(x.numDeletedRows), 0);
  if (rule.finishedBefore !== undefined) {
    const r = await db
      .deleteFrom('job_records')
      .where('state', '=', rule.state)
      .where('finished_at', '<', rule.finishedBefore)
      .execute();
    deleted += count(r);
  }
  if (rule.keep !== undefined) {
    if (!Number.isInteger(rule.keep) || rule.keep < 0) {
      throw new LayerwiseError('invalid_argument', `keep must be an integer >= 0, got ${rule.keep}`);
    }
    const r = await db
      .deleteFrom('job_records')
      .where('state', '=', rule.state)
      .where('id', 'not in', (eb) =>
        eb
          .selectFrom('job_records')
          .select('id')
          .where('state', '=', rule.state)
          .orderBy('finished_at', 'desc')
          .orderBy('id', 'desc')
          .limit(rule.keep as number),
      )
      .execute();
    deleted += count(r);
  }
  return deleted;
}

export async function getSetting(db: Kysely<Database>, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? parseJson(row.value) : null;
}

export async function setSetting(db: Kysely<Database>, key: string, value: unknown, now = Date.now()): Promise<void> {
  const text = JSON.stringify(value ?? null);
  await db
    .insertInto('settings')
    .values({ key, value: text, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: now }))
    .execute();
}
