/**
 * `KyselyStore`: the one implementation of the `Store` port, shared by the SQLite and PostgreSQL adapters (which only
 * build the Kysely instance and run the migrations). Every batch method runs in one transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type pg from 'pg';
import * as artifacts from './artifacts.js';
import { addEventBatchPostgres } from './bulk-postgres.js';
import { addEventBatchSqlite } from './bulk-sqlite.js';
import { commitModelFiles } from './commit-files.js';
import { batchEvent, checkEventBatch, toEventBatch } from './event-batch.js';
import { eventFeedHead, readEventFeed } from './event-feed.js';
import * as events from './events.js';
import { addImpressionsSqlite } from './impressions-sqlite.js';
import type { ImpressionThread } from './impressions-thread.js';
import * as itemBlobs from './item-blobs.js';
import * as items from './items.js';
import * as jobRecords from './job-records.js';
import * as jobs from './jobs.js';
import * as live from './live.js';
import type {
  ArmUserStats,
  EraseUserResult,
  Experiment,
  ExperimentInput,
  ExperimentStatus,
  ImpressionInput,
  ModelChange,
  ModelChangeInput,
  Removal,
  RemoveItemResult,
} from './live-ports.js';
import type {
  AddEventsOptions,
  AddEventsResult,
  EmbeddingSet,
  EventBatch,
  EventColumns,
  EventFeedPage,
  EventInput,
  GetModelOptions,
  IngestJob,
  IngestJobKind,
  IngestJobStatus,
  IngestOutcome,
  IngestOutcomeKind,
  Item,
  ItemBlobKind,
  ItemInput,
  IterateEventsOptions,
  JobRecord,
  JobRecordInput,
  JobRecordPrune,
  JobRecordQuery,
  ListItemsQuery,
  ModelArtifact,
  ModelArtifactInput,
  ModelFileRecord,
  Page,
  ScanEventsByUserOptions,
  ScanEventsOptions,
  SliceRecord,
  Store,
  StoredEvent,
  StoreStats,
  User,
  UserEventColumns,
  UserEventSummary,
  UserHistoriesOptions,
  UserHistoryOptions,
  UserInput,
  UserScores,
} from './ports.js';
import * as removal from './removal.js';
import { chunks, num, toJson, userFromRow } from './rows.js';
import { scanPaged, scanSqlite } from './scan.js';
import type { Database, Dialect } from './schema.js';
import * as sliceResults from './slice-results.js';
import { maxEventSeq, scanByUserPaged, scanByUserSqlite, userEventSummaries } from './user-events.js';
import * as userScores from './user-scores.js';

/** The driver handles behind Kysely, for the bulk paths (COPY, synchronous prepared statements). */
export interface RawHandles {
  sqlite?: BetterSqlite3.Database;
  pool?: pg.Pool;
  /** Writes impressions off the serving thread (SQLite file stores). */
  impressions?: ImpressionThread;
}

export class KyselyStore implements Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    private readonly raw: RawHandles = {},
    private readonly onClose: () => Promise<void> = async () => {},
    /** Wraps every write (whole transactions): the SQLite adapter retries lock waits here (sqlite-write.ts). */
    private readonly write: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
  ) {}

  private tx<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.write(() => this.db.transaction().execute(fn));
  }

  upsertItems(input: ItemInput[]): Promise<{ inserted: number; updated: number }> {
    return this.tx((t) => items.upsertItems(t, input));
  }

  async getItem(id: string): Promise<Item | null> {
    return (await items.getItems(this.db, [id])).get(id) ?? null;
  }

  getItems(ids: string[]): Promise<Map<string, Item>> {
    return items.getItems(this.db, ids);
  }

  findItemsByHash(hashes: string[]): Promise<Map<string, Item>> {
    return items.findItemsBy(this.db, 'file_hash', hashes);
  }

  listItems(query?: ListItemsQuery): Promise<Page<Item>> {
    return items.listItems(this.db, query);
  }

  itemsChangedSince(since: number, afterId?: string, limit?: number): Promise<Item[]> {
    return items.itemsChangedSince(this.db, since, afterId, limit);
  }

  commitModelFiles(jobId: number, files: ModelFileRecord[]): Promise<IngestOutcome[]> {
    return this.tx((t) => commitModelFiles(t, jobId, files));
  }

  async upsertUsers(users: UserInput[]): Promise<void> {
    const now = Date.now();
    await this.tx(async (t) => {
      for (const part of chunks(users, 500)) {
        const withAttrs = part.filter((u) => u.attrs !== undefined);
        const without = part.filter((u) => u.attrs === undefined);
        if (withAttrs.length > 0) {
          await t
            .insertInto('users')
            .values(withAttrs.map((u) => ({ id: u.id, attrs: toJson(u.attrs), created_at: now })))
            .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ attrs: eb.ref('excluded.attrs') })))
            .execute();
        }
        if (without.length > 0) {
          await t
            .insertInto('users')
            .values(without.map((u) => ({ id: u.id, attrs: null, created_at: now })))
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
        }
      }
    });
  }

  async getUser(id: string): Promise<User | null> {
    const { sqlite } = this.raw;
    if (sqlite) return this.db.connection().execute(async () => events.getUserSqlite(sqlite, id));
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? userFromRow(row) : null;
  }

  async listUsers(query: { cursor?: string; limit?: number } = {}): Promise<Page<User>> {
    const limit = items.pageLimit(query.limit, 100, 10_000);
    let q = this.db.selectFrom('users').selectAll();
    if (query.cursor !== undefined) q = q.where('id', '>', items.decodeCursor(query.cursor));
    const rows = await q
      .orderBy('id')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit).map(userFromRow);
    const last = page[page.length - 1];
    return { items: page, nextCursor: rows.length > limit && last ? items.encodeCursor(last.id) : null };
  }

  async addEvents(input: EventInput[], options: AddEventsOptions = {}): Promise<AddEventsResult> {
    input.forEach(events.checkEvent);
    if (input.length === 0) return { inserted: 0, duplicates: 0, rejected: [] };
    const { sqlite, pool } = this.raw;
    if (sqlite || pool) return this.insertBatch(toEventBatch(input), options);
    return this.tx((t) => events.addEvents(t, this.dialect, input, options, Date.now()));
  }

  async addEventBatch(batch: EventBatch, options: AddEventsOptions = {}): Promise<AddEventsResult> {
    checkEventBatch(batch);
    if (batch.length === 0) return { inserted: 0, duplicates: 0, rejected: [] };
    const { sqlite, pool } = this.raw;
    if (sqlite || pool) return this.insertBatch(batch, options);
    const rows = Array.from({ length: batch.length }, (_, i) => batchEvent(batch, i));
    return this.tx((t) => events.addEvents(t, this.dialect, rows, options, Date.now()));
  }

  private insertBatch(batch: EventBatch, options: AddEventsOptions): Promise<AddEventsResult> {
    const now = Date.now();
    const { sqlite, pool } = this.raw;
    // Holding Kysely's (only) SQLite connection keeps its own queries out while the synchronous batch runs.
    if (sqlite) {
      return this.write(() =>
        this.db.connection().execute(async () => addEventBatchSqlite(sqlite, batch, options, now)),
      );
    }
    return this.write(() => addEventBatchPostgres(pool!, batch, options, now));
  }

  iterateEvents(options?: IterateEventsOptions): AsyncIterable<StoredEvent[]> {
    return events.iterateEvents(this.db, options);
  }

  scanEvents(options?: ScanEventsOptions): AsyncIterable<EventColumns> {
    return this.raw.sqlite ? scanSqlite(this.raw.sqlite, options) : scanPaged(this.db, options);
  }

  scanEventsByUser(options?: ScanEventsByUserOptions): AsyncIterable<UserEventColumns> {
    return this.raw.sqlite ? scanByUserSqlite(this.raw.sqlite, options) : scanByUserPaged(this.db, options);
  }

  userHistory(userId: string, options?: UserHistoryOptions): Promise<StoredEvent[]> {
    const { sqlite } = this.raw;
    // serving's read of a new user: one cached statement instead of a Kysely compile and prepare per call
    if (sqlite && options?.lean && !(options.types && options.types.length > 0)) {
      return this.db.connection().execute(async () => events.leanHistorySqlite(sqlite, userId, options.limit));
    }
    return events.userHistory(this.db, userId, options);
  }

  userHistories(userIds: string[], options?: UserHistoriesOptions): Promise<Map<string, StoredEvent[]>> {
    const { sqlite } = this.raw;
    if (sqlite) return this.db.connection().execute(async () => events.userHistoriesSqlite(sqlite, userIds, options));
    return events.userHistories(this.db, userIds, options);
  }

  userEventSummaries(userIds: string[]): Promise<Map<string, UserEventSummary>> {
    return userEventSummaries(this.db, userIds);
  }

  maxEventSeq(): Promise<number> {
    return maxEventSeq(this.db);
  }

  async countEvents(): Promise<number> {
    const r = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return num(r.n);
  }

  readEventFeed(cursor: string | null, options: { limit?: number } = {}): Promise<EventFeedPage> {
    return readEventFeed(this.db, this.dialect, cursor, options.limit);
  }

  eventFeedHead(): Promise<string> {
    return eventFeedHead(this.db, this.dialect);
  }

  setItemBlobs(rows: { itemId: string; kind: ItemBlobKind; location: string }[]): Promise<void> {
    return this.tx((t) => itemBlobs.setItemBlobs(t, rows));
  }

  itemBlobs(itemIds: string[], kind: ItemBlobKind): Promise<Map<string, string>> {
    return itemBlobs.itemBlobs(this.db, itemIds, kind);
  }

  saveJobRecord(input: JobRecordInput): Promise<void> {
    return jobRecords.saveJobRecord(this.db, input);
  }

  getJobRecord(id: string): Promise<JobRecord | null> {
    return jobRecords.getJobRecord(this.db, id);
  }

  listJobRecords(query?: JobRecordQuery): Promise<JobRecord[]> {
    return jobRecords.listJobRecords(this.db, query);
  }

  pruneJobRecords(rule: JobRecordPrune): Promise<number> {
    return this.write(() => jobRecords.pruneJobRecords(this.db, rule));
  }

  putUserScores(rows: UserScores[]): Promise<void> {
    return this.tx((t) => userScores.putUserScores(t, rows));
  }

  getUserScores(userIds: string[]): Promise<Map<string, UserScores>> {
    return userScores.getUserScores(this.db, userIds);
  }

  listUserScores(query?: { cursor?: string; limit?: number }): Promise<Page<UserScores>> {
    return userScores.listUserScores(this.db, query);
  }

  getSliceResult(itemId: string, printer: string, orientation: string): Promise<SliceRecord | null> {
    return sliceResults.getSliceResult(this.db, itemId, printer, orientation);
  }

  putSliceResult(record: SliceRecord): Promise<void> {
    return sliceResults.putSliceResult(this.db, record);
  }

  getSetting(key: string): Promise<unknown> {
    return jobRecords.getSetting(this.db, key);
  }

  setSetting(key: string, value: unknown): Promise<void> {
    return jobRecords.setSetting(this.db, key, value);
  }

  putEmbeddings(encoder: string, rows: { itemId: string; vector: Float32Array }[]): Promise<void> {
    return this.tx((t) => artifacts.putEmbeddings(t, encoder, rows));
  }

  getEmbeddings(encoder: string, itemIds: string[]): Promise<Map<string, Float32Array>> {
    return artifacts.getEmbeddings(this.db, encoder, itemIds);
  }

  allEmbeddings(encoder: string): Promise<EmbeddingSet> {
    return artifacts.allEmbeddings(this.db, encoder);
  }

  saveModel(input: ModelArtifactInput): Promise<ModelArtifact> {
    return this.tx((t) => artifacts.saveModel(t, input));
  }

  getModel(name: string, version?: number, options: GetModelOptions = {}): Promise<ModelArtifact | null> {
    return artifacts.getModel(this.db, name, version, options.payload ?? true, options.serving ?? false);
  }

  getActiveModel(name: string, options: { payload?: boolean } = {}): Promise<ModelArtifact | null> {
    return artifacts.getActiveModel(this.db, name, options.payload ?? true);
  }

  listModels(name?: string): Promise<ModelArtifact[]> {
    return artifacts.listModels(this.db, name);
  }

  setActiveModel(name: string, version: number): Promise<void> {
    return this.tx((t) => artifacts.setActiveModel(t, name, version));
  }

  startJob(kind: IngestJobKind, params: unknown): Promise<number> {
    return this.write(() => jobs.startJob(this.db, kind, params));
  }

  finishJob(id: number, status: IngestJobStatus, summary: unknown): Promise<void> {
    return this.write(() => jobs.finishJob(this.db, id, status, summary));
  }

  addJobOutcomes(id: number, outcomes: IngestOutcome[]): Promise<void> {
    return this.tx((t) => jobs.addJobOutcomes(t, id, outcomes));
  }

  getJob(id: number): Promise<IngestJob | null> {
    return jobs.getJob(this.db, id);
  }

  listJobs(query: { limit?: number } = {}): Promise<IngestJob[]> {
    return jobs.listJobs(this.db, query.limit);
  }

  jobOutcomes(id: number, query?: { outcome?: IngestOutcomeKind; limit?: number }): Promise<IngestOutcome[]> {
    return jobs.jobOutcomes(this.db, id, query);
  }

  // Live traffic (issue 21): impressions, experiments, model changes, removal

  addImpressions(rows: ImpressionInput[]): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    const { sqlite, impressions } = this.raw;
    if (impressions) return impressions.write(rows);
    if (sqlite) return this.addImpressionsHere(sqlite, rows);
    return this.tx((t) => live.addImpressions(t, this.dialect, rows));
  }

  /** The in-thread SQLite path (`:memory:` stores; the fallback when the writer thread is gone). */
  addImpressionsHere(sqlite: BetterSqlite3.Database, rows: ImpressionInput[]): Promise<number> {
    return this.write(() => this.db.connection().execute(async () => addImpressionsSqlite(sqlite, rows)));
  }

  impressionsOf(recommendationId: string): Promise<ImpressionInput[]> {
    return live.impressionsOf(this.db, recommendationId);
  }

  countImpressions(query?: { experiment?: string; userId?: string }): Promise<number> {
    return live.countImpressions(this.db, query);
  }

  createExperiment(input: ExperimentInput): Promise<Experiment> {
    return this.tx((t) => live.createExperiment(t, input));
  }

  getExperiment(id: string): Promise<Experiment | null> {
    return live.getExperiment(this.db, id);
  }

  listExperiments(): Promise<Experiment[]> {
    return live.listExperiments(this.db);
  }

  updateExperiment(
    id: string,
    patch: { status?: ExperimentStatus; startedAt?: number | null; stoppedAt?: number | null },
  ): Promise<Experiment> {
    return this.tx((t) => live.updateExperiment(t, id, patch));
  }

  experimentStats(id: string, options: { since: number; bucketMs: number }): Promise<ArmUserStats[]> {
    return live.experimentStats(this.db, id, options);
  }

  recordModelChange(change: ModelChangeInput): Promise<ModelChange> {
    return live.recordModelChange(this.db, change);
  }

  listModelChanges(query?: { name?: string; limit?: number }): Promise<ModelChange[]> {
    return live.listModelChanges(this.db, query);
  }

  deleteModel(name: string, version: number): Promise<boolean> {
    return this.tx((t) => live.deleteModel(t, name, version));
  }

  async removeItem(id: string, options?: { purgeEvents?: boolean }): Promise<RemoveItemResult> {
    return this.tx((t) => removal.removeItem(t, id, options));
  }

  async eraseUser(id: string): Promise<EraseUserResult> {
    const r = await this.tx((t) => removal.eraseUser(t, id));
    return r;
  }

  removals(afterSeq?: number): Promise<Removal[]> {
    return removal.removals(this.db, afterSeq);
  }

  async embeddingCounts(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('embeddings')
      .select(['encoder', (eb) => eb.fn.countAll().as('n')])
      .groupBy('encoder')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.encoder, num(r.n)]));
  }

  async stats(): Promise<StoreStats> {
    const db = this.db;
    const count = (table: 'users' | 'models') =>
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
    const [itemRows, users, eventRows, embRows, models] = await Promise.all([
      db
        .selectFrom('items')
        .select(['status', 'format', (eb) => eb.fn.countAll().as('n')])
        .groupBy(['status', 'format'])
        .execute(),
      count('users'),
      db
        .selectFrom('events')
        .select(['type', (eb) => eb.fn.countAll().as('n')])
        .groupBy('type')
        .execute(),
      db
        .selectFrom('embeddings')
        .select(['encoder', (eb) => eb.fn.countAll().as('n')])
        .groupBy('encoder')
        .execute(),
      count('models'),
    ]);
    const s: StoreStats = {
      items: { total: 0, byFormat: {}, failed: 0, stubs: 0 },
      users: num(users.n),
      events: { total: 0, byType: {} },
      embeddings: {},
      models: num(models.n),
    };
    for (const r of itemRows) {
      const n = num(r.n);
      s.items.total += n;
      if (r.status === 'failed') s.items.failed += n;
      if (r.status === 'stub') s.items.stubs += n;
      if (r.format !== null) s.items.byFormat[r.format] = (s.items.byFormat[r.format] ?? 0) + n;
    }
    for (const r of eventRows) {
      s.events.byType[r.type] = num(r.n);
      s.events.total += num(r.n);
    }
    for (const r of embRows) s.embeddings[r.encoder] = num(r.n);
    return s;
  }

  async close(): Promise<void> {
    await this.raw.impressions?.close();
    await this.db.destroy();
    await this.onClose();
  }
}
