/**
 * `createServices(store, config, options)`: loads the serving state from the store and returns the `Services` the
 * HTTP API (and the UI through it) calls. Starts a background poll that applies events stored by other processes
 * (e.g. `layerwise ingest events` while serving); `close()` stops it (and closes the store when asked to).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { SearchThreads } from '../../ann/search-thread.js';
import { LayerwiseError, reportBackgroundError } from '../../core/errors.js';
import { loadRecommender } from '../../models/registry.js';
import type { Store } from '../../store/ports.js';
import type { SqliteStoreOptions } from '../../store/sqlite.js';
import type { ServerConfig } from '../config.js';
import { jobService } from '../jobs/records.js';
import { startEventCommitThread } from './event-commit-thread.js';
import { EventWriter, eventWriter, setEventWriter } from './event-writer.js';
import { ingestEvents } from './events.js';
import { FileService, type MeshEmbedder, type UploadEmbedder } from './files.js';
import { InsightService } from './insights.js';
import { ItemPickup } from './item-pickup.js';
import { ItemService, unknownItem } from './items.js';
import { LiveServices } from './live.js';
import { ModelService } from './models.js';
import { NextService } from './next.js';
import { RecommendationService, scored } from './recommendations.js';
import { RemixService } from './remixes.js';
import { textSearch } from './search.js';
import { SliceService } from './slicing.js';
import { ServingState, type StateOptions } from './state.js';
import { ServingTelemetry } from './telemetry.js';
import type { EventInput, EventsResult, ReadyState, Services } from './types.js';
import { UserService } from './users.js';

export interface CreateServicesOptions {
  /** Where uploads, thumbnails and on-disk model payloads live (the store's data dir). */
  dataDir: string;
  /** Shape encoder for similarity; default: the one with the most stored embeddings. */
  shapeEncoder?: string;
  /** Embeds uploaded meshes (POST /v1/items, POST /v1/search/shape) with the catalogue's encoder, on this thread. */
  embedMesh?: MeshEmbedder;
  /**
   * The catalogue encoder's checkpoint (the `shape-encoder-<name>` artifact payload): uploads and shape searches
   * are then embedded in the mesh worker threads, never on the request thread (20–70 ms of CPU per mesh, more for
   * the first). Takes precedence over `embedMesh`.
   */
  shapeCheckpoint?: Uint8Array;
  /** Poll interval for events written by other processes, ms (0 = off). Default 2000. */
  pollMs?: number;
  /** Close the store on `close()` (default true). */
  closeStore?: boolean;
  /** Model loader (default: the models registry's `loadRecommender`). */
  loadModel?: StateOptions['loadModel'];
  /** Clock for impressions and experiment start/stop (simulations run on a virtual one). Default Date.now. */
  now?: () => number;
  /** Where failures of background work go (event sync, polling); default: one line on stderr. */
  onBackgroundError?: (message: string, e: unknown) => void;
  /**
   * The SQLite file of `store` (and its options): API event batches are then committed by a worker thread with its
   * own connection (event-commit-thread.ts), so no commit's fsync blocks the request thread. `layerwise serve` sets
   * it for a SQLite store.
   */
  eventCommitThread?: { file: string; options?: SqliteStoreOptions };
}

export async function createServices(
  store: Store,
  config: ServerConfig,
  options: CreateServicesOptions,
): Promise<Services & { state: ServingState; flushImpressions(): Promise<void> }> {
  const dataDir = resolve(options.dataDir);
  const onError = options.onBackgroundError ?? reportBackgroundError;
  const commitThread = options.eventCommitThread
    ? startEventCommitThread(options.eventCommitThread.file, options.eventCommitThread.options)
    : null;
  if (commitThread) setEventWriter(store, new EventWriter(store, undefined, (e, o) => commitThread.addEvents(e, o)));
  const choiceFile = join(dataDir, 'served-model.json');
  const stateOptions: StateOptions = {
    config,
    // without the user side (training matrix, user factors) that serving never reads
    loadModel: options.loadModel ?? ((bytes) => loadRecommender(bytes, { serving: true })),
    readPayload: async (p) => new Uint8Array(await readFile(resolve(dataDir, p))),
    servedChoice: {
      read: async () => {
        try {
          return (JSON.parse(await readFile(choiceFile, 'utf8')) as { id?: string }).id ?? null;
        } catch {
          return null;
        }
      },
      write: async (id) => {
        await mkdir(dataDir, { recursive: true });
        await writeFile(choiceFile, JSON.stringify({ id, at: new Date().toISOString() }));
      },
    },
  };
  if (options.shapeEncoder !== undefined) stateOptions.shapeEncoder = options.shapeEncoder;
  stateOptions.indexDir = join(dataDir, 'indexes');
  stateOptions.onBackgroundError = onError;
  const threads = config.serving.searchThreads ?? Math.min(2, Math.max(0, availableParallelism() - 1));
  const searchThreads = threads > 0 ? new SearchThreads(threads) : null;
  stateOptions.searchThreads = searchThreads;
  const listedAt = Date.now(); // the catalogue is read from here on: later ingests are picked up by polling
  const state = await ServingState.load(store, stateOptions);
  const pickup = new ItemPickup(state, store, listedAt);
  const live = await LiveServices.open(state, store, config, {
    onError,
    ...(options.now ? { now: options.now } : {}),
  });
  const telemetry = new ServingTelemetry();
  const recs = new RecommendationService(state, config, {
    experiments: live.experiments,
    impressions: live.impressions,
    telemetry,
    ...(options.now ? { now: options.now } : {}),
  });
  recs.warm();
  const next = new NextService(state, recs, config);
  const items = new ItemService(state, store);
  const remixes = new RemixService(state);
  const users = new UserService(state, store);
  const models = new ModelService(state);
  const files = new FileService(store, {
    dataDir,
    config,
    ...(options.shapeCheckpoint ? { encoder: options.shapeCheckpoint } : {}),
  });
  const insights = new InsightService(state, store, files);
  const slicing = new SliceService(store, files, config.slicer);
  const embed: UploadEmbedder | undefined = options.shapeCheckpoint ? 'sandbox' : options.embedMesh;

  const pollMs = options.pollMs ?? 2000;
  let polling = false;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          if (polling) return;
          polling = true;
          state
            .syncEvents()
            .catch((e: unknown) => onError('event sync failed (retried at the next poll)', e))
            .then(() => live.poll(recs))
            .catch((e: unknown) => onError('polling experiments, removals and the active model failed', e))
            .then(() => pickup.run())
            .catch((e: unknown) => onError('picking up items ingested by other processes failed', e))
            .finally(() => {
              polling = false;
            });
        }, pollMs)
      : undefined;
  timer?.unref();

  const requireShapes = (what: string) => {
    if (embed === undefined || state.shapes === null) {
      throw new LayerwiseError(
        'unavailable',
        `${what} needs shape embeddings: run \`layerwise embed\` and restart the server`,
      );
    }
    return { embed, shapes: state.shapes };
  };

  return {
    state,
    recommendations: { forUser: (id, q) => recs.forUser(id, q) },
    next: { forUser: (id, q) => next.forUser(id, q), session: (r) => next.session(r) },
    items: {
      get: (id) => items.get(id),
      list: (q) => items.list(q),
      similar: (id, k, by) => items.similar(id, k, by),
      remixes: (id) => remixes.tree(id),
      slice: (id, query) => slicing.slice(id, query),
      thumbnail: async (id) => {
        const item = await store.getItem(id);
        if (item === null || item.status === 'removed') throw unknownItem(id);
        return files.thumbnail(item);
      },
      upload: async (file, meta) => {
        // embedded before anything is stored: a mesh the encoder refuses is refused whole
        const shapes = state.shapes;
        const { item, vector } = await files.upload(file, meta, embed && shapes ? embed : undefined);
        const index = state.addItem(item);
        if (vector !== undefined && shapes) {
          await store.putEmbeddings(shapes.encoder, [{ itemId: item.id, vector }]);
          shapes.set(index, vector);
        }
        state.scoreNewItems([index]); // a content-aware model recommends it at once, without a retrain
        return items.detail(item);
      },
    },
    search: {
      text: (q, k, category) => textSearch(state, q, k, category),
      shape: async (file, k) => {
        const { embed: e, shapes } = requireShapes('shape search');
        const vector = await files.embedUpload(file, e);
        const hits = shapes
          .nearestToVector(vector, k + 8)
          .filter((h) => !state.catalog.items[h.index]?.removed)
          .slice(0, k);
        return {
          itemId: null,
          by: 'shape' as const,
          items: hits.map((h) =>
            scored(state.catalog.items[h.index]!, h.score, [
              { kind: 'shape', weight: h.score, text: `similar shape to your upload (cosine ${h.score.toFixed(2)})` },
            ]),
          ),
        };
      },
    },
    users: {
      list: (c, l) => users.list(c, l),
      get: (id) => users.get(id),
      setPrinter: (id, printer) => users.setPrinter(id, printer),
    },
    events: {
      ingest: async (events) => {
        const accepted = performance.now();
        const result = await ingestEvents(state, events);
        const n = events.length - result.rejected.length;
        if (n > 0) {
          telemetry.eventsVisible((performance.now() - accepted) / 1000, n);
          countArmEvents(telemetry, live, events, result);
        }
        return result;
      },
    },
    models: {
      list: () => models.list(),
      activate: (id) => models.activate(id),
      history: (limit) => live.history(limit),
    },
    experiments: {
      create: (spec) => live.create(spec),
      list: () => live.list(),
      readout: (id) => live.readout(id),
      start: (id) => live.start(id),
      stop: (id) => live.stop(id),
    },
    removal: live.removal(items, recs),
    jobs: jobService(store),
    flushImpressions: () => live.impressions.flush(),
    insights: {
      printers: () => insights.printers(),
      categories: () => insights.categories(),
      meshStl: (id) => insights.meshStl(id),
      inspect: (file, printer) => insights.inspect(file, printer),
      shapeMap: (limit) => insights.shapeMap(limit),
    },
    health: {
      ready: async (): Promise<ReadyState> => {
        const checks: ReadyState['checks'] = {};
        try {
          await store.getUser('\u0000readyz');
          checks.store = { ok: true, message: `${store.dialect} reachable` };
        } catch (e) {
          checks.store = { ok: false, message: `store unreachable: ${(e as Error).message}` };
        }
        checks.catalog = { ok: true, message: `${state.catalog.size} items` };
        const failed = state.loadErrors.length > 0 ? `; could not load ${state.loadErrors.join('; ')}` : '';
        checks.model = state.model
          ? { ok: true, message: `serving ${state.model.ref.id}${failed}` }
          : { ok: true, message: `no trained model: serving popularity (run \`layerwise train\`)${failed}` };
        checks.model.message += state.sequential
          ? `; print next: ${state.sequential.ref.id}`
          : '; print next: neighbours of the latest items (no sequential model: `layerwise train --sequential`)';
        return { ready: Object.values(checks).every((c) => c.ok), checks };
      },
      gauges: () => ({
        model: state.model?.ref ?? null,
        startup: state.startup,
        items: state.catalog.size,
        users: state.histories.size,
        eventsApplied: state.stats.applied,
        eventLagSeconds: Math.max(0, (Date.now() - state.caughtUpAt) / 1000),
        impressions: { ...live.impressions.stats },
        cache: { hits: telemetry.cacheHits, misses: telemetry.cacheMisses, users: recs.cachedUsers },
        arms: telemetry.armCounts(),
        queues: [{ name: 'mesh-sandbox', ...files.pool.load() }],
        modelFailures: recs.modelFailures,
      }),
      onEventLag: (observer) => telemetry.onEventLag(observer),
    },
    close: async () => {
      if (timer) clearInterval(timer);
      await files.close();
      if (commitThread) {
        await eventWriter(store).drain();
        await commitThread.close();
      }
      await state.syncEvents().catch((e: unknown) => onError('final event sync on close failed', e));
      await state.saveStatsIfChanged().catch((e: unknown) => onError('saving item statistics on close failed', e));
      await live.close().catch((e: unknown) => onError('flushing impressions on close failed', e));
      await searchThreads?.close();
      if (options.closeStore ?? true) await store.close();
    },
  };
}

/** Counts the accepted events that carry a recommendationId against their user's arm of the running experiment. */
function countArmEvents(
  telemetry: ServingTelemetry,
  live: LiveServices,
  events: EventInput[],
  result: EventsResult,
): void {
  if (live.experiments.running === null) return;
  const rejected = new Set(result.rejected.map((r) => r.index));
  events.forEach((e, i) => {
    if (e.recommendationId === undefined || rejected.has(i)) return;
    const a = live.experiments.assign(e.userId);
    if (a !== null) telemetry.armEvent(a.experiment, a.arm.name, e.type);
  });
}
