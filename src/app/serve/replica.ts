/**
 * `layerwise serve` as one replica of a cluster (LAYERWISE_REDIS_URL set): the same services, plus
 * - uploads through the blob store and a worker job: the bytes go to the blob store (PostgreSQL for a PostgreSQL
 *   store), an `ingest` job runs the one per-file pipeline and the shape embedding on a `layerwise worker`, and the
 *   request answers 201 with the item when the job has completed (the job's typed error when it failed: 422 for a
 *   corrupt file; 503 naming the job when no worker finished it in time);
 * - a ReplicaSync (app/cluster/sync.ts) keeping this replica current with every other process: new items, their
 *   vectors and model activations arrive as bus messages within milliseconds, events through the store's
 *   commit-ordered feed (ServingState.syncEvents), and a reconcile every second (active model, events; new items
 *   every 30 s) catches whatever a lost message carried;
 * - what this replica changes (events, activations) announced on the bus, so the others need not wait for a poll.
 * A user's cached recommendations follow their history and the served model (recommendations.ts), so applying
 * their events or a model swap invalidates them on every replica.
 */
import { LayerwiseError } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import type { Item, JobRecord, Store } from '../../store/ports.js';
import { RedisBus } from '../cluster/bus.js';
import type { RedisSettings } from '../cluster/redis.js';
import { ReplicaSync, type SyncTarget } from '../cluster/sync.js';
import { openBlobs } from '../ingest/locations.js';
import { BullJobQueue } from '../jobs/bullmq.js';
import { jobId } from '../jobs/types.js';
import type { ServingState } from './state.js';
import type { Services, UploadedFile, UploadMetadata } from './types.js';

export interface ReplicaOptions {
  dataDir: string;
  /** How long an upload waits for its worker job, ms (default 120 s). */
  uploadWaitMs?: number;
  /**
   * How long an upload waits for the job queue (Redis) to take its job, ms (default 5 s): past it the upload answers
   * 503 with Retry-After — the bytes and the job record are stored, and the same bytes sent again resume the same job.
   */
  enqueueWaitMs?: number;
  /** Reconcile interval, ms (default 1000). */
  reconcileMs?: number;
  onError?: (what: string, e: unknown) => void;
}

/** Items reconciled with the store every this many reconciles (a full listing: not every second). */
const ITEM_RECONCILE_EVERY = 30;

/** The serving state as the cluster sync sees it. Every method is idempotent. */
export class StateTarget implements SyncTarget {
  private reconciles = 0;

  constructor(
    private readonly state: ServingState,
    private readonly store: Store,
  ) {}

  async pullEvents(): Promise<string[]> {
    await this.state.syncEvents();
    return []; // applying a user's events already replaced their cached history
  }

  invalidateUsers(ids: string[]): void {
    for (const id of ids) this.state.histories.invalidate(id);
  }

  /** Items not in the catalogue yet (a full listing of the store). */
  private async unknownItems(): Promise<Item[]> {
    const out: Item[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.listItems(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
      for (const it of page.items) if (this.state.catalog.index(it.id) === undefined) out.push(it);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return out;
  }

  /** `ids` (empty: every item the catalogue lacks) join or refresh the catalogue, with their vectors when stored. */
  async refreshItems(ids: string[]): Promise<void> {
    const items = ids.length > 0 ? [...(await this.store.getItems(ids)).values()] : await this.unknownItems();
    const fresh = items.filter((it) => it.status !== 'removed');
    if (fresh.length === 0) return;
    const indices = fresh.map((it) => this.state.addItem(it));
    const encoder = this.state.shapes?.encoder;
    if (encoder !== undefined)
      await this.refreshEmbeddings(
        encoder,
        fresh.map((it) => it.id),
        false,
      );
    this.state.scoreNewItems(indices);
  }

  async refreshEmbeddings(encoder: string, ids: string[], score = true): Promise<void> {
    const shapes = this.state.shapes;
    if (shapes === null || shapes.encoder !== encoder || ids.length === 0) {
      // first vectors of this replica, another encoder, or a whole new set (a sweep, a refit): load them all
      await this.state.loadShapes();
      return;
    }
    const missing = ids.filter((id) => this.state.catalog.index(id) === undefined);
    if (missing.length > 0) {
      for (const it of (await this.store.getItems(missing)).values()) {
        if (it.status !== 'removed') this.state.addItem(it);
      }
    }
    const indices: number[] = [];
    for (const [id, vector] of await this.store.getEmbeddings(encoder, ids)) {
      const index = this.state.catalog.index(id);
      if (index === undefined) continue;
      shapes.set(index, vector);
      indices.push(index);
    }
    if (score && indices.length > 0) this.state.scoreNewItems(indices);
  }

  async serveModel(name: string, version: number): Promise<void> {
    if (this.state.model?.ref.id === `${name}@${version}`) return;
    const artifact = await this.store.getModel(name, version, { payload: false });
    if (artifact?.active) await this.state.activate(name, version, false);
  }

  async reconcile(): Promise<void> {
    await this.state.syncEvents();
    await this.state.followActiveModel();
    if (++this.reconciles % ITEM_RECONCILE_EVERY === 0) await this.refreshItems([]);
  }
}

async function waitForJob(store: Store, id: string, ms: number): Promise<JobRecord | null> {
  const end = Date.now() + ms;
  for (let wait = 20; ; wait = Math.min(200, wait * 2)) {
    const r = await store.getJobRecord(id);
    if (r !== null && (r.state === 'completed' || r.state === 'failed')) return r;
    if (Date.now() > end) return r;
    await new Promise((done) => setTimeout(done, wait));
  }
}

/** The typed error a failed upload job recorded (startBullWorker writes it into the record's result). */
function jobError(r: JobRecord): LayerwiseError {
  const e = (r.result as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)
    ?.error;
  if (e?.code && e.message) {
    return new LayerwiseError(e.code as LayerwiseError['code'], e.message, e.details ? { details: e.details } : {});
  }
  return new LayerwiseError('unavailable', `upload job ${r.id} failed after ${r.attempts} tries: ${r.error ?? '?'}`);
}

export interface Replica {
  services: Services;
  sync: ReplicaSync;
  close(): Promise<void>;
}

/** Wraps the services of one replica for a cluster: worker uploads, the sync, and announcements on the bus. */
export async function joinCluster(
  services: Services & { state: ServingState },
  store: Store,
  settings: RedisSettings,
  options: ReplicaOptions,
): Promise<Replica> {
  const bus = await RedisBus.open(settings);
  const queue = await BullJobQueue.open(settings, store).catch(async (e: unknown) => {
    await bus.close();
    throw e;
  });
  const target = new StateTarget(services.state, store);
  const sync = new ReplicaSync(bus, target, {
    reconcileMs: options.reconcileMs ?? 1000,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const blobs = openBlobs(store, options.dataDir);
  // Never awaited on a request: with Redis down the bus holds the message until it is back (the other replicas
  // catch up by polling the store meanwhile), and a request waiting for it would wait out the outage. One failure
  // is logged per run of failures.
  let announcing = true;
  const announce = (msg: Parameters<ReplicaSync['publish']>[0]): void => {
    sync.publish(msg).then(
      () => {
        announcing = true;
      },
      (e: unknown) => {
        if (announcing) options.onError?.(`announcing ${msg.type} (replicas catch up by polling)`, e);
        announcing = false;
      },
    );
  };

  const upload = async (file: UploadedFile, meta: UploadMetadata) => {
    const hash = contentHash(file.bytes);
    const existing = (await store.findItemsByHash([hash])).values().next().value;
    if (existing !== undefined && existing.status !== 'failed' && existing.status !== 'removed') {
      throw new LayerwiseError('conflict', `${file.filename}: these exact bytes are already item ${existing.id}`, {
        details: { itemId: existing.id },
      });
    }
    const blob = `upload/${hash}`;
    if (!(await blobs.has(blob))) await blobs.put(blob, file.bytes);
    const metadata: Record<string, unknown> = { title: meta.title ?? file.filename.replace(/\.[^.]+$/, '') };
    for (const k of ['description', 'license', 'creator', 'category', 'tags'] as const) {
      if (meta[k] !== undefined) metadata[k] = meta[k];
    }
    const id = jobId('upload', hash.slice(0, 40));
    // Redis down: the queue's connection holds the command until it is back, so the upload would wait with it
    const enqueued = queue.enqueue({ kind: 'ingest', id, data: { blob, filename: file.filename, metadata } });
    const waitMs = options.enqueueWaitMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((done) => {
      timer = setTimeout(() => done('late'), waitMs);
    });
    const taken = await Promise.race([enqueued, late]).finally(() => clearTimeout(timer));
    if (taken === 'late') {
      enqueued.catch((e: unknown) => options.onError?.(`queueing upload job ${id}`, e));
      throw new LayerwiseError(
        'unavailable',
        `${file.filename}: stored, but the job queue did not take its job within ${waitMs / 1000} s (is Redis ` +
          `reachable?); send it again later: the same bytes resume job ${id}`,
        { details: { jobId: id, retryAfterS: 5 } },
      );
    }
    const r = await waitForJob(store, id, options.uploadWaitMs ?? 120_000);
    if (r?.state === 'failed') throw jobError(r);
    const itemId = (r?.result as { itemId?: string } | null)?.itemId;
    if (r?.state !== 'completed' || itemId === undefined) {
      throw new LayerwiseError(
        'unavailable',
        `${file.filename}: stored, but no worker has ingested it yet (job ${id}, ${r?.state ?? 'unknown'}); ` +
          `see GET /v1/jobs/${id} — is a \`layerwise worker\` running?`,
        { details: { jobId: id } },
      );
    }
    await target.refreshItems([itemId]);
    return services.items.get(itemId);
  };

  const wrapped: Services = {
    ...services,
    items: { ...services.items, upload },
    events: {
      ingest: async (events) => {
        const r = await services.events.ingest(events);
        if (r.accepted > 0) announce({ type: 'events', users: [...new Set(events.map((e) => e.userId))] });
        return r;
      },
    },
    models: {
      ...services.models,
      activate: async (id) => {
        const info = await services.models.activate(id);
        announce({ type: 'model', name: info.name, version: info.version });
        return info;
      },
    },
    close: async () => {
      await sync.close();
      await queue.close();
      await bus.close();
      await services.close?.();
    },
  };
  return { services: wrapped, sync, close: () => wrapped.close!() };
}
