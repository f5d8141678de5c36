/**
 * `KyselyStore`: the one implementation of the `Store` port, shared by the SQLite and PostgreSQL adapters (which only
 * build the Kysely instance and run the migrations). Every batch method runs in one transaction.
 */
import type { Kysely } from 'kysely';
import * as artifacts from './artifacts.js';
import { commitModelFiles } from './commit-files.js';
import * as events from './events.js';
import * as items from './items.js';
import * as jobs from './jobs.js';
import type {
  AddEventsOptions,
  AddEventsResult,
  EmbeddingSet,
  EventInput,
  IngestJob,
  IngestJobKind,
  IngestJobStatus,
  IngestOutcome,
  IngestOutcomeKind,
  Item,
  ItemInput,
  IterateEventsOptions,
  ListItemsQuery,
  ModelArtifact,
  ModelArtifactInput,
  ModelFileRecord,
  Page,
  Store,
  StoredEvent,
  StoreStats,
  User,
  UserHistoryOptions,
  UserInput,
} from './ports.js';
import { chunks, num, toJson, userFromRow } from './rows.js';
import type { Database, Dialect } from './schema.js';

export class KyselyStore implements Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
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

  addEvents(input: EventInput[], options?: AddEventsOptions): Promise<AddEventsResult> {
    return this.tx((t) => events.addEvents(t, this.dialect, input, options));
  }

  iterateEvents(options?: IterateEventsOptions): AsyncIterable<StoredEvent[]> {
    return events.iterateEvents(this.db, options);
  }

  userHistory(userId: string, options?: UserHistoryOptions): Promise<StoredEvent[]> {
    return events.userHistory(this.db, userId, options);
  }

  async countEvents(): Promise<number> {
    const r = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return num(r.n);
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

  getModel(name: string, version?: number): Promise<ModelArtifact | null> {
    return artifacts.getModel(this.db, name, version, true);
  }

  getActiveModel(name: string): Promise<ModelArtifact | null> {
    return artifacts.getActiveModel(this.db, name);
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
    await this.db.destroy();
    await this.onClose();
  }
}
