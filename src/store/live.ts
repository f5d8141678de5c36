/**
 * Impressions, experiments and the model-change log in the shared Kysely layer. Impressions are append-only and
 * written in multi-row inserts (the serving process buffers them, see app/experiments/impression-log.ts); the
 * experiment readout is two grouped queries — exposure per (arm, user, bucket) and distinct shown items that got an
 * event carrying the response's recommendationId — aggregated in the database, not in the process.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { deletePayloadChunks } from './artifacts.js';
import { insertIgnore } from './bulk.js';
import type {
  ArmUserStats,
  Experiment,
  ExperimentArm,
  ExperimentInput,
  ExperimentStatus,
  ImpressionInput,
  ModelChange,
  ModelChangeAction,
  ModelChangeInput,
} from './live-ports.js';
import { chunks, num, parseJson, toJson } from './rows.js';
import type { Database, Dialect, ExperimentsTable, ModelChangesTable } from './schema.js';

/** 8 parameters per row. */
const IMPRESSION_CHUNK = 1000;
const IMPRESSION_COLS = ['recommendation_id', 'user_id', 'item_id', 'position', 'model', 'experiment', 'arm', 'ts'];

export async function addImpressions(db: Kysely<Database>, dialect: Dialect, rows: ImpressionInput[]): Promise<number> {
  let n = 0;
  for (const part of chunks(rows, IMPRESSION_CHUNK)) {
    const values = part.map((r) => [
      r.recommendationId,
      r.userId,
      r.itemId,
      r.position,
      r.model,
      r.experiment,
      r.arm,
      Math.round(r.timestamp),
    ]);
    n += await insertIgnore(db, dialect, 'impressions', IMPRESSION_COLS, values);
  }
  return n;
}

export async function impressionsOf(db: Kysely<Database>, recommendationId: string): Promise<ImpressionInput[]> {
  const rows = await db
    .selectFrom('impressions')
    .selectAll()
    .where('recommendation_id', '=', recommendationId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    recommendationId: r.recommendation_id,
    userId: r.user_id,
    itemId: r.item_id,
    position: num(r.position),
    model: r.model,
    experiment: r.experiment,
    arm: r.arm,
    timestamp: num(r.ts),
  }));
}

export async function countImpressions(
  db: Kysely<Database>,
  q: { experiment?: string; userId?: string } = {},
): Promise<number> {
  let query = db.selectFrom('impressions').select((eb) => eb.fn.countAll().as('n'));
  if (q.experiment !== undefined) query = query.where('experiment', '=', q.experiment);
  if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
  return num((await query.executeTakeFirstOrThrow()).n);
}

function experimentFromRow(r: Selectable<ExperimentsTable>): Experiment {
  return {
    id: r.id,
    name: r.name,
    status: r.status as ExperimentStatus,
    arms: parseJson<ExperimentArm[]>(r.arms) ?? [],
    settings: parseJson<Record<string, unknown>>(r.settings) ?? {},
    createdAt: num(r.created_at),
    startedAt: r.started_at === null ? null : num(r.started_at),
    stoppedAt: r.stopped_at === null ? null : num(r.stopped_at),
  };
}

export async function createExperiment(db: Kysely<Database>, input: ExperimentInput): Promise<Experiment> {
  const exists = await db.selectFrom('experiments').select('id').where('id', '=', input.id).executeTakeFirst();
  if (exists) {
    throw new LayerwiseError('conflict', `experiment "${input.id}" exists; choose another id or stop and reuse it`);
  }
  const row: ExperimentsTable = {
    id: input.id,
    name: input.name,
    status: 'draft',
    arms: JSON.stringify(input.arms),
    settings: JSON.stringify(input.settings),
    created_at: Date.now(),
    started_at: null,
    stopped_at: null,
  };
  await db.insertInto('experiments').values(row).execute();
  return experimentFromRow(row);
}

export async function getExperiment(db: Kysely<Database>, id: string): Promise<Experiment | null> {
  const r = await db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? experimentFromRow(r) : null;
}

export async function listExperiments(db: Kysely<Database>): Promise<Experiment[]> {
  const rows = await db.selectFrom('experiments').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(experimentFromRow);
}

export async function updateExperiment(
  db: Kysely<Database>,
  id: string,
  patch: { status?: ExperimentStatus; startedAt?: number | null; stoppedAt?: number | null },
): Promise<Experiment> {
  const set: Partial<ExperimentsTable> = {};
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.startedAt !== undefined) set.started_at = patch.startedAt;
  if (patch.stoppedAt !== undefined) set.stopped_at = patch.stoppedAt;
  if (Object.keys(set).length > 0) await db.updateTable('experiments').set(set).where('id', '=', id).execute();
  const e = await getExperiment(db, id);
  if (e === null) throw new LayerwiseError('not_found', `no experiment "${id}"; list them with GET /v1/experiments`);
  return e;
}

export async function experimentStats(
  db: Kysely<Database>,
  id: string,
  o: { since: number; bucketMs: number },
): Promise<ArmUserStats[]> {
  const width = Math.max(1, Math.round(o.bucketMs));
  const since = Math.round(o.since);
  // Literals, not parameters: PostgreSQL matches a grouped expression by its text ($1 and $3 would differ).
  const bucketExpr = () => sql<number>`(i.ts - ${sql.lit(since)}) / ${sql.lit(width)}`;
  const bucket = bucketExpr();
  const shown = await db
    .selectFrom('impressions as i')
    .select(['i.arm', 'i.user_id', bucket.as('bucket'), (eb) => eb.fn.countAll().as('n')])
    .where('i.experiment', '=', id)
    .groupBy(['i.arm', 'i.user_id', bucketExpr()])
    .execute();
  const hits = await db
    .selectFrom('impressions as i')
    .innerJoin('events as e', (j) =>
      j
        .onRef('e.recommendation_id', '=', 'i.recommendation_id')
        .onRef('e.item_id', '=', 'i.item_id')
        .onRef('e.user_id', '=', 'i.user_id'),
    )
    .select(['i.arm', 'i.user_id', 'e.type', bucket.as('bucket'), sql<number>`count(distinct i.id)`.as('n')])
    .where('i.experiment', '=', id)
    .groupBy(['i.arm', 'i.user_id', 'e.type', bucketExpr()])
    .execute();
  const out = new Map<string, ArmUserStats>();
  const keyOf = (arm: string | null, user: string, b: unknown) => `${arm}\u0000${user}\u0000${num(b)}`;
  for (const r of shown) {
    out.set(keyOf(r.arm, r.user_id, r.bucket), {
      arm: r.arm ?? '',
      userId: r.user_id,
      bucket: Math.floor(num(r.bucket)),
      shown: num(r.n),
      hits: {},
    });
  }
  for (const r of hits) {
    const s = out.get(keyOf(r.arm, r.user_id, r.bucket));
    if (s) s.hits[r.type] = num(r.n);
  }
  return [...out.values()];
}

function changeFromRow(r: Selectable<ModelChangesTable>): ModelChange {
  return {
    seq: num(r.seq),
    name: r.name,
    version: num(r.version),
    action: r.action as ModelChangeAction,
    previous: r.previous === null ? null : num(r.previous),
    reason: r.reason,
    details: parseJson(r.details),
    at: num(r.at),
  };
}

export async function recordModelChange(db: Kysely<Database>, c: ModelChangeInput): Promise<ModelChange> {
  const row = {
    name: c.name,
    version: c.version,
    action: c.action,
    previous: c.previous,
    reason: c.reason,
    details: toJson(c.details),
    at: c.at ?? Date.now(),
  };
  const r = await db.insertInto('model_changes').values(row).returning('seq').executeTakeFirstOrThrow();
  return changeFromRow({ ...row, seq: r.seq });
}

export async function listModelChanges(
  db: Kysely<Database>,
  q: { name?: string; limit?: number } = {},
): Promise<ModelChange[]> {
  let query = db.selectFrom('model_changes').selectAll();
  if (q.name !== undefined) query = query.where('name', '=', q.name);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(Math.min(Math.max(1, q.limit ?? 100), 10_000))
    .execute();
  return rows.map(changeFromRow);
}

export async function deleteModel(db: Kysely<Database>, name: string, version: number): Promise<boolean> {
  const row = await db
    .selectFrom('models')
    .select('active')
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) return false;
  if (num(row.active) !== 0) {
    throw new LayerwiseError('conflict', `${name}@${version} is active; activate another version before deleting it`);
  }
  await db.deleteFrom('models').where('name', '=', name).where('version', '=', version).execute();
  await deletePayloadChunks(db, name, version);
  return true;
}
