/**
 * The serving state: the item side only — catalogue, item statistics (popularity, trending, counts by type), text
 * index, shape vectors and the active model — loaded at start-up in time and memory proportional to the catalogue,
 * never to the event log. Users' histories are read from the store when needed and cached (user-history.ts). Events
 * are applied only after they are durable: `syncEvents()` reads the store's events after the last applied sequence
 * number (so events ingested by another process — the CLI — are picked up too), advances the item statistics and
 * refreshes those users' histories; it is serialised, so concurrent callers never apply an event twice.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchThreads } from '../../ann/search-thread.js';
import { LayerwiseError } from '../../core/errors.js';
import type { Recommender } from '../../models/recommender.js';
import { SEQUENTIAL_MODEL_NAME, SERVING_MODEL_NAME } from '../../models/registry.js';
import { isSequential } from '../../models/sequential.js';
import type { Item, ModelArtifact, Store, StoredEvent } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import { chooseShapeEncoder } from '../shapes/embedder.js';
import { Bm25Index } from './bm25.js';
import { Catalog, type CatalogItem } from './catalog.js';
import { addContentItems } from './content-items.js';
import { boundedWeight } from './event-bounds.js';
import { CandidateIndexes } from './indexes.js';
import type { ItemStats } from './item-stats.js';
import { computeItemStats, loadItemStats, STATS_ARTIFACT, saveItemStats } from './item-stats-store.js';
import { ServedModel } from './served-model.js';
import { ShapeVectors } from './shape-vectors.js';
import type { ModelRef } from './types.js';
import { UserHistories } from './user-history.js';

/** Events since the saved item statistics beyond which start-up recomputes them instead of catching up. */
const CATCH_UP_MAX = 2_000_000;
/** Events applied online after which `close` saves the item statistics (a shorter catch-up at the next start). */
const SAVE_AFTER = 10_000;

export interface StateOptions {
  config: ServerConfig;
  /** Restores a recommender from artifact bytes (the models registry's `loadRecommender`). */
  loadModel: (bytes: Uint8Array) => Recommender;
  /** Reads an artifact payload stored on disk (path relative to the data dir). */
  readPayload: (path: string) => Promise<Uint8Array>;
  /** Shape encoder whose embeddings serve shape similarity; default: the one with most embeddings. */
  shapeEncoder?: string;
  /** Folder of candidate index files (default: a folder under the system temp dir). */
  indexDir?: string;
  /** Threads that search candidate indexes off the request thread (null or absent: search on it). */
  searchThreads?: SearchThreads | null;
  /** Where failures of background work go (index builds). */
  onBackgroundError?: (message: string, e: unknown) => void;
  /** Remembers the model an admin activated (`name@version`) across restarts. */
  servedChoice?: { read(): Promise<string | null>; write(id: string): Promise<void> };
}

export function modelId(a: { name: string; version: number }): string {
  return `${a.name}@${a.version}`;
}

/** Recommender artifacts only: shape encoders are stored as `shape-encoder-<name>` artifacts beside them. */
export function isRecommenderArtifact(a: { name: string }): boolean {
  return !a.name.startsWith('shape-encoder-') && a.name !== STATS_ARTIFACT;
}

/**
 * Artifacts to try serving, best first: the one an admin last activated (when still active), then active
 * `recommender` versions (what `layerwise train` activates), then other active recommender artifacts, newest first.
 */
export function servingCandidates(artifacts: ModelArtifact[], chosen: string | null = null): ModelArtifact[] {
  const rank = (a: ModelArtifact): number => (modelId(a) === chosen ? 0 : a.name === SERVING_MODEL_NAME ? 1 : 2);
  return artifacts
    .filter((a) => a.active && isRecommenderArtifact(a) && a.name !== SEQUENTIAL_MODEL_NAME)
    .sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt || b.version - a.version);
}

export class ServingState {
  readonly text = new Bm25Index();
  shapes: ShapeVectors | null = null;
  /** Swapped atomically by activation; a request reads it once and keeps that instance. */
  model: ServedModel | null = null;
  /** The active `sequential` artifact ("print next"), swapped the same way; null when none was trained. */
  sequential: ServedModel | null = null;
  private lastSeq = 0;
  /**
   * Cursor of the store's commit-ordered event feed, from the end of the start-up catch-up on: later syncs read the
   * feed, so an event whose transaction commits after a later one (two writers on PostgreSQL) is never skipped.
   */
  private feed: string | null = null;
  /** Last applied entry of the store's removal log. */
  private lastRemoval = 0;
  /** Versions loaded for experiment arms, by `name@version`. */
  private readonly versions = new Map<string, ServedModel>();
  private syncing: Promise<number> = Promise.resolve(0);
  /** When the online state was last known to be caught up with the store (ms). */
  caughtUpAt = Date.now();
  /** Artifacts that failed to load at start-up (reported by /readyz). */
  readonly loadErrors: string[] = [];
  /** Bumped whenever cached similar-item lists may be stale (model swap, catalogue change). */
  generation = 0;
  /** Users' histories, read from the store on demand. */
  readonly histories: UserHistories;
  /** Candidate retrieval indexes of the loaded models, and the shape index. */
  readonly indexes: CandidateIndexes;
  /** Resolves when the shape index is attached (or not needed). */
  shapesIndexed: Promise<void> = Promise.resolve();
  /** How the item statistics were obtained at start-up (for logs and benchmarks). */
  statsSource: 'loaded' | 'computed' = 'loaded';
  /** Events applied at start-up after the saved statistics (catch-up). */
  caughtUpEvents = 0;
  /** Seconds each start-up phase took (catalogue, statistics, text index, catch-up, shapes, model), for the log. */
  readonly startup: Record<string, number> = {};

  private constructor(
    readonly store: Store,
    readonly options: StateOptions,
    readonly catalog: Catalog,
    /** Popularity, trending and counts per catalogue item. */
    public stats: ItemStats,
  ) {
    const s = options.config.serving;
    this.histories = new UserHistories(store, catalog, {
      limit: s.historyLimit,
      capacity: s.cachedUsers,
      foldIn: s.foldInEvents,
      weight: (e) => this.eventWeight(e),
    });
    this.indexes = new CandidateIndexes({
      dir: options.indexDir ?? join(tmpdir(), 'layerwise-indexes'),
      minItems: s.annMinItems,
      threads: options.searchThreads ?? null,
      ...(options.onBackgroundError ? { onError: options.onBackgroundError } : {}),
    });
  }

  /** The served form of a loaded model: catalogue maps and its candidate retriever. */
  private serve(ref: ModelRef, model: Recommender, lineage?: object): ServedModel {
    const retriever = this.indexes.retriever(model, this.catalog.size, ref.id);
    return new ServedModel(ref, model, this.catalog, retriever, lineage);
  }

  static async load(store: Store, options: StateOptions): Promise<ServingState> {
    const phases: Record<string, number> = {};
    let mark = performance.now();
    const phase = (name: string) => {
      const now = performance.now();
      phases[name] = (now - mark) / 1000;
      mark = now;
    };
    // page by page into the catalogue: the store's rows never all live at once (1 M items at scale)
    const catalog = new Catalog();
    let cursor: string | undefined;
    do {
      const page = await store.listItems(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
      for (const it of page.items) catalog.upsert(it);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    catalog.resolveFamilies();
    const removalsSeen = (await store.removals()).at(-1)?.seq ?? 0;
    phase('catalogue');
    const index = (id: string) => catalog.index(id);
    const config = options.config;
    let stats = await loadItemStats(store, config, index, catalog.size, options.readPayload).catch(() => null);
    let computed = false;
    if (stats === null || (await store.maxEventSeq()) - stats.throughSeq > CATCH_UP_MAX) {
      stats = await computeItemStats(store, config, index, catalog.size);
      computed = true;
    }
    phase('statistics');
    const state = new ServingState(store, options, catalog, stats);
    state.statsSource = computed ? 'computed' : 'loaded';
    state.lastSeq = stats.throughSeq;
    state.lastRemoval = removalsSeen;
    for (const it of catalog.items) state.indexText(it);
    phase('text');
    // events stored since the statistics were taken (bounded by CATCH_UP_MAX), then trending measured from the newest
    state.caughtUpEvents = await state.syncEvents();
    // from here on the commit-ordered feed; an event whose transaction was still open during the catch-up and
    // committed before this head is counted as read (a window of milliseconds at start-up: the item statistics miss
    // it, the user's history — read from the store — does not)
    state.feed = await store.eventFeedHead();
    stats.rebase(stats.newestEventTime);
    stats.applied = 0;
    if (computed || state.caughtUpEvents >= SAVE_AFTER) await state.saveStats().catch(() => undefined);
    phase('catch-up');
    await state.loadShapes();
    phase('shapes');
    const chosen = (await options.servedChoice?.read()) ?? null;
    for (const a of servingCandidates(await store.listModels(), chosen)) {
      try {
        await state.activate(a.name, a.version, false);
        break;
      } catch (e) {
        state.loadErrors.push(`${modelId(a)}: ${(e as Error).message}`);
      }
    }
    await state.followActiveSequential().catch((e: unknown) => {
      state.loadErrors.push(`${SEQUENTIAL_MODEL_NAME}: ${(e as Error).message}`);
    });
    phase('model');
    Object.assign(state.startup, phases);
    return state;
  }

  /** Saves the item statistics (through the last applied event) so the next start-up catches up less. */
  async saveStats(): Promise<void> {
    this.stats.throughSeq = this.lastSeq;
    await saveItemStats(
      this.store,
      this.stats,
      this.catalog.items.map((it) => it.id),
      this.options.config,
    );
  }

  /** Saves the statistics when enough events were applied since start-up (called on close). */
  async saveStatsIfChanged(): Promise<void> {
    if (this.stats.applied >= SAVE_AFTER) await this.saveStats();
  }

  private indexText(it: CatalogItem): void {
    this.text.add(it.index, [
      { text: it.title, weight: 3 },
      { text: it.tags.join(' '), weight: 2 },
      { text: it.description, weight: 1 },
    ]);
  }

  /**
   * Weight of an event online: the weight stored with it — the one training reads too, so folding a history in
   * matches how the model was fitted. (The configured per-type weights decide that stored weight for API events.)
   */
  eventWeight(e: Pick<StoredEvent, 'type' | 'weight'>): number {
    return boundedWeight(this.options.config, e.type, e.weight);
  }

  /**
   * Applies stored events: items first seen in them join the catalogue; the user's stored events on the same items
   * give each new event's prior weight on its item (for the per-user cap of popularity, as start-up computes it
   * over whole histories); their cached state is dropped — so their next recommendation folds the events in.
   */
  private async applyEvents(events: StoredEvent[]): Promise<void> {
    const unknown = new Set<string>();
    for (const e of events) if (this.catalog.index(e.itemId) === undefined) unknown.add(e.itemId);
    if (unknown.size > 0) {
      for (const item of (await this.store.getItems([...unknown])).values()) {
        if (item.status !== 'removed') this.addItem(item);
      }
    }
    const byUser = new Map<string, StoredEvent[]>();
    for (const e of events) {
      const list = byUser.get(e.userId);
      if (list === undefined) byUser.set(e.userId, [e]);
      else list.push(e);
    }
    // Cached states are dropped (the user's next request re-reads their recent events); the priors for the
    // per-user cap of popularity come from one store round trip for the whole batch: each user's events on the
    // items of the batch (the new ones included), not their whole history.
    const users = [...byUser.keys()];
    for (const user of users) this.histories.invalidate(user);
    const items = [...new Set(events.map((e) => e.itemId))];
    const priors = new Map<string, StoredEvent[]>();
    for (let i = 0; i < items.length; i += 1000) {
      const part = await this.store.userHistories(users, { limit: 10_000, itemIds: items.slice(i, i + 1000) });
      for (const [user, list] of part) priors.set(user, (priors.get(user) ?? []).concat(list));
    }
    for (const [user, fresh] of byUser) this.countEvents(fresh, priors.get(user) ?? []);
    for (const e of events) if (e.seq > this.lastSeq) this.lastSeq = e.seq;
  }

  /** Adds `fresh` (one user's new events) to the item statistics, priors from the user's `window` of stored events. */
  private countEvents(fresh: StoredEvent[], window: StoredEvent[]): void {
    const todo = new Set(fresh.map((e) => e.seq));
    const prior = new Map<string, number>();
    const add = (e: StoredEvent, p: number) => {
      const item = this.catalog.index(e.itemId);
      if (item !== undefined) this.stats.add(item, e.type, this.eventWeight(e), p, e.timestamp);
    };
    for (const e of [...window].sort((a, b) => a.seq - b.seq)) {
      const p = prior.get(e.itemId) ?? 0;
      if (todo.delete(e.seq)) add(e, p);
      prior.set(e.itemId, p + this.eventWeight(e));
    }
    // new events older than the window (back-dated, or a user with more recent events than the limit)
    for (const e of fresh) if (todo.has(e.seq)) add(e, 0);
  }

  /** Takes a user's events out of the item statistics (before their erasure). */
  async subtractUser(id: string): Promise<void> {
    const events = await this.store.userHistory(id, { limit: 10_000 });
    const prior = new Map<string, number>();
    for (const e of events.reverse()) {
      const item = this.catalog.index(e.itemId);
      const w = this.eventWeight(e);
      const p = prior.get(e.itemId) ?? 0;
      prior.set(e.itemId, p + w);
      if (item !== undefined) this.stats.subtract(item, e.type, w, p, e.timestamp);
    }
  }

  /** Applies every stored event newer than the last applied one. Serialised; resolves to the number applied. */
  syncEvents(): Promise<number> {
    const run = async (): Promise<number> => {
      const started = Date.now();
      let n = 0;
      if (this.feed === null) {
        for await (const page of this.store.iterateEvents({ afterSeq: this.lastSeq, pageSize: 10_000 })) {
          await this.applyEvents(page);
          n += page.length;
        }
      } else {
        for (let more = true; more; ) {
          const page = await this.store.readEventFeed(this.feed);
          if (page.events.length > 0) await this.applyEvents(page.events);
          this.feed = page.cursor;
          n += page.events.length;
          more = page.more;
        }
      }
      this.caughtUpAt = started;
      return n;
    };
    this.syncing = this.syncing.then(run, run);
    return this.syncing;
  }

  /** Adds or refreshes a catalogue item (uploads, items first seen in events). Returns its index. */
  addItem(item: Item): number {
    const index = this.catalog.upsert(item);
    this.stats.ensureItems(this.catalog.size);
    this.indexText(this.catalog.items[index]!);
    this.generation++;
    return index;
  }

  /**
   * Scores new catalogue items (an upload, an ingest after training) by content when the served model is
   * content-aware: they become recommendable at once, without a retrain. Returns how many were added.
   */
  scoreNewItems(indices: readonly number[]): number {
    const served = this.model;
    if (!served) return 0;
    const before = served.model.data.nItems;
    const r = addContentItems(served.model, this.catalog, this.shapes, indices);
    if (!r) return 0;
    // appended only: cached candidates stay valid once the new items are scored (ServedModel.extendCandidates)
    const appended = r.updated === 0 && served.model.data.nItems >= before;
    this.model = this.serve(served.ref, served.model, appended ? served.lineage : undefined);
    this.generation++;
    return r.added + r.updated;
  }

  /** (Re)loads every shape vector of the serving encoder from the store (start-up; a replica after a refit). */
  async loadShapes(): Promise<void> {
    const encoder = await chooseShapeEncoder(this.store, this.options.shapeEncoder);
    if (encoder === undefined) return;
    const set = await this.store.allEmbeddings(encoder);
    if (set.itemIds.length > 0) {
      this.shapes = ShapeVectors.fromEmbeddings(set, this.catalog);
      // large catalogues search shapes through an index, built (or mapped) off the event loop
      this.shapesIndexed = this.indexes.attachShapes(this.shapes);
    }
  }

  /**
   * Loads `name@version`, builds its catalogue maps, then swaps it in with one assignment; with `persist` the
   * store's active flag follows. Returns the new reference.
   */
  /**
   * Applies the store's removal log since the last call (removals by this process or another — the CLI): removed
   * items leave the catalogue, erased users leave the online state and their saved printer. Returns what it applied;
   * `onUser` lets caches drop what they hold for an erased user.
   */
  async syncRemovals(onUser?: (id: string) => void): Promise<{ items: number; users: number }> {
    const log = await this.store.removals(this.lastRemoval);
    let items = 0;
    let users = 0;
    for (const r of log) {
      this.lastRemoval = r.seq;
      if (r.kind === 'item') {
        const index = this.catalog.remove(r.id);
        if (index !== undefined) {
          this.stats.clearItem(index);
          // histories are re-read without it: nothing folds a removed item in or explains with it
          this.histories.clear();
          this.generation++;
          items++;
        }
      } else {
        this.histories.invalidate(r.id);
        onUser?.(r.id);
        users++;
      }
    }
    return { items, users };
  }

  /** A loaded version by `name@version` for an experiment arm (cached; the active one is reused). */
  async servedVersion(ref: string): Promise<ServedModel> {
    if (this.model?.ref.id === ref) return this.model;
    const cached = this.versions.get(ref);
    if (cached) return cached;
    const at = ref.lastIndexOf('@');
    const served = await this.load(ref.slice(0, at), Number(ref.slice(at + 1)));
    this.versions.set(ref, served);
    return served;
  }

  /** A version already loaded by `servedVersion` (synchronous, for the hot path), or null. */
  loadedVersion(ref: string): ServedModel | null {
    return this.model?.ref.id === ref ? this.model : (this.versions.get(ref) ?? null);
  }

  /** Keeps only the loaded versions in `refs` (after an experiment stops). */
  retainVersions(refs: readonly string[]): void {
    for (const k of [...this.versions.keys()]) if (!refs.includes(k)) this.versions.delete(k);
  }

  /** Follows the store's active version (changed by `layerwise models activate|rollback` or a retrain). */
  async followActiveModel(): Promise<boolean> {
    const active = await this.store.getActiveModel(SERVING_MODEL_NAME, { payload: false });
    if (active === null || this.model?.ref.id === modelId(active)) return false;
    if (this.model !== null && this.model.ref.name !== SERVING_MODEL_NAME) return false;
    await this.activate(active.name, active.version, false);
    return true;
  }

  /** Follows the store's active `sequential` version (trained by `layerwise train --sequential`). */
  async followActiveSequential(): Promise<boolean> {
    const active = await this.store.getActiveModel(SEQUENTIAL_MODEL_NAME, { payload: false });
    if (active === null || this.sequential?.ref.id === modelId(active)) return false;
    await this.activate(active.name, active.version, false);
    return true;
  }

  private async load(name: string, version: number): Promise<ServedModel> {
    const artifact = await this.store.getModel(name, version, { serving: true });
    if (artifact === null) throw notFoundModel(name, version);
    const bytes =
      artifact.payload ?? (artifact.payloadPath ? await this.options.readPayload(artifact.payloadPath) : null);
    if (bytes === null) throw notFoundModel(name, version, 'has no payload');
    const model = this.options.loadModel(bytes);
    releaseTrainingData(model);
    return this.serve({ id: modelId(artifact), name, version }, model);
  }

  async activate(name: string, version: number, persist = true): Promise<ModelRef> {
    const artifact = await this.store.getModel(name, version, { serving: true });
    if (artifact === null) throw notFoundModel(name, version);
    const bytes =
      artifact.payload ?? (artifact.payloadPath ? await this.options.readPayload(artifact.payloadPath) : null);
    if (bytes === null) throw notFoundModel(name, version, 'has no payload');
    const model = this.options.loadModel(bytes);
    const ref: ModelRef = { id: modelId(artifact), name, version };
    if (name === SEQUENTIAL_MODEL_NAME) {
      // the "print next" slot: only an order-aware model belongs there; the personal model is left as it is
      if (!isSequential(model)) {
        throw new LayerwiseError(
          'invalid_argument',
          `${ref.id} is a ${model.kind} model; the ${SEQUENTIAL_MODEL_NAME} slot takes sasrec, markov or lastknn`,
        );
      }
      const served = new ServedModel(ref, model, this.catalog);
      if (persist) await this.store.setActiveModel(name, version);
      this.sequential = served;
      return ref;
    }
    // catalogue items the model never saw (ingested or uploaded after training) get their content factor now
    const unseen = this.catalog.items.filter((it) => !model.data.items.has(it.id)).map((it) => it.index);
    addContentItems(model, this.catalog, this.shapes, unseen);
    releaseTrainingData(model);
    const served = this.serve(ref, model);
    if (persist) {
      await this.store.setActiveModel(name, version);
      await this.options.servedChoice?.write(ref.id);
    }
    this.model = served;
    this.generation++;
    return ref;
  }
}

/**
 * Serving folds in histories read from the store, never the training matrix: models whose kind allows it drop it
 * (and user factors) after loading, so a served model costs memory for its item side.
 */
function releaseTrainingData(model: Recommender): void {
  (model as Partial<{ releaseTrainingData(): boolean }>).releaseTrainingData?.();
}

function notFoundModel(name: string, version: number, what = 'does not exist'): LayerwiseError {
  return new LayerwiseError('not_found', `model ${name}@${version} ${what}; list models with GET /v1/models`);
}
