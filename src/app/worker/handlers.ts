/**
 * What a `layerwise worker` does with each job kind. Every handler is idempotent — a job retried after a crash, or
 * enqueued twice, changes nothing twice: identity at ingest is the content hash, vectors are keyed by (encoder, item)
 * and overwritten, a thumbnail is one blob per item, and training saves a new version only when asked to train.
 * After a change other processes must see, the handler tells them through the cluster bus (replicas reload the
 * items, vectors or model within a second; their periodic reconcile is the safety net).
 *
 *   ingest     an upload (`{blob, filename, metadata}`: bytes already in the blob store) through the one per-file
 *              pipeline (app/ingest/pipeline.ts), then its shape vector; or scanned folders (`{paths}`) through
 *              `ingestModels` (folders visible to this worker), then the missing vectors
 *   embed      shape vectors of `itemIds` (`recompute` to overwrite) with the library's encoder
 *   thumbnail  renders and records an item's thumbnail from its recorded mesh
 *   train      `{kinds}`: train, save, activate the best; `{gated: true}`: one gated retrain (the scheduler's)
 *   sweep      stale embeddings: every ready item without a vector of the library's encoder gets one
 *   score      `{userIds?, k?}`: each user's top-k with the active model into the store (score.ts)
 */
import { LayerwiseError } from '../../core/errors.js';
import { renderThumbnail } from '../../geometry/render-thumbnail.js';
import { SERVING_MODEL_NAME } from '../../models/registry.js';
import type { BlobStore } from '../../store/blobs.js';
import type { Store } from '../../store/ports.js';
import type { ClusterBus } from '../cluster/bus.js';
import type { ServerConfig } from '../config.js';
import { itemSearchRoots, loadItemMesh } from '../ingest/locate.js';
import { recordThumbnail } from '../ingest/locations.js';
import { ingestModels } from '../ingest/models.js';
import { ingestUpload } from '../ingest/pipeline.js';
import { THUMBNAIL_SIZE } from '../ingest/thumbnails.js';
import type { JobContext, JobHandlers } from '../jobs/types.js';
import { computeEmbeddings } from '../shapes/embed.js';
import { chooseShapeEncoder } from '../shapes/embedder.js';
import { retrainOnce } from '../train/retrain.js';
import { trainFromStore } from '../train/train.js';
import { scoreUsers } from './score.js';

export interface HandlerDeps {
  store: Store;
  blobs: BlobStore;
  bus: ClusterBus;
  dataDir: string;
  /** The service's configuration: upload limits (the parser's, as `serve` applies them), business rules (score). */
  server: ServerConfig;
  /** Pause after each item of a multi-item job, ms (leaves CPU to serving on a shared machine). Default 0. */
  itemPauseMs?: number;
  log?: (line: string) => void;
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v.length === 0)
    throw new LayerwiseError('invalid_argument', `job data: ${what} missing`);
  return v;
};
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

export function workerHandlers(d: HandlerDeps): JobHandlers {
  const log = d.log ?? (() => {});
  const pause = () => (d.itemPauseMs ? new Promise((r) => setTimeout(r, d.itemPauseMs)) : undefined);

  /** Vectors of `ids` (all missing ones when absent) with the library's encoder; none when no encoder is fitted. */
  const embed = async (ctx: JobContext, ids?: string[], recompute = false) => {
    const encoder = await chooseShapeEncoder(d.store);
    if (encoder === undefined) return { encoder: null, embedded: 0, skipped: 'no shape encoder fitted yet' };
    let last = 0;
    const s = await computeEmbeddings(d.store, d.dataDir, {
      encoder,
      blobs: d.blobs,
      ...(ids ? { itemIds: ids } : {}),
      ...(recompute ? { recompute: true } : {}),
      onItem: async (done, total) => {
        await pause();
        const p = done / Math.max(1, total);
        if (p - last >= 0.05 || done === total) {
          last = p;
          await ctx.progress(p);
        }
      },
    });
    if (s.fitted) log(`fitted the ${encoder} shape encoder v${s.version}`);
    if (s.embedded > 0) {
      const done = ids ?? [];
      await d.bus.publish({ type: 'embeddings', encoder, ids: done });
    }
    return { encoder, embedded: s.embedded, failed: s.failed, errors: s.errors.slice(0, 20) };
  };

  return {
    ingest: async (data, ctx) => {
      if (data.blob !== undefined) {
        const blob = str(data.blob, 'blob');
        const filename = str(data.filename, 'filename');
        const bytes = await d.blobs.read(blob);
        const { maxBytes, maxTriangles, maxVertices, maxZipEntryBytes } = d.server.uploads;
        const { item } = await ingestUpload(
          d.store,
          { filename, bytes, metadata: (data.metadata ?? {}) as Record<string, unknown> },
          { dataDir: d.dataDir, blobs: d.blobs, limits: { maxBytes, maxTriangles, maxVertices, maxZipEntryBytes } },
        );
        await d.bus.publish({ type: 'items', ids: [item.id] });
        await ctx.progress(0.5);
        const vectors = await embed(ctx, [item.id]);
        return { itemId: item.id, ...vectors };
      }
      const paths = strings(data.paths);
      if (!paths || paths.length === 0) throw new LayerwiseError('invalid_argument', 'job data: blob or paths missing');
      const s = await ingestModels(d.store, paths, {
        thumbnailDir: d.dataDir,
        blobs: d.blobs,
        onProgress: (p) => {
          if (p.total) void ctx.progress((0.5 * p.done) / p.total).catch(() => undefined);
        },
      });
      const vectors = await embed(ctx);
      await d.bus.publish({ type: 'items', ids: [] });
      return { scanned: s.scanned, added: s.added, updated: s.updated, failed: s.failed, ...vectors };
    },

    embed: async (data, ctx) => embed(ctx, strings(data.itemIds), data.recompute === true),

    sweep: async (_data, ctx) => embed(ctx),

    score: async (data, ctx) => scoreUsers(d.store, d.server, d.dataDir, data, ctx),

    thumbnail: async (data) => {
      const id = str(data.itemId, 'itemId');
      const item = await d.store.getItem(id);
      if (item === null) throw new LayerwiseError('not_found', `no item ${id}`);
      const mesh = await loadItemMesh(d.store, d.blobs, item, () => itemSearchRoots(d.store, d.dataDir));
      const png = renderThumbnail(mesh, { size: THUMBNAIL_SIZE });
      await recordThumbnail(d.store, d.blobs, id, png);
      await d.bus.publish({ type: 'items', ids: [id] });
      return { itemId: id, bytes: png.length };
    },

    train: async (data, ctx) => {
      if (data.gated === true) {
        const r = await retrainOnce(d.store, (data.policy ?? {}) as Record<string, never>, { onProgress: log });
        if (r.action === 'failed') throw new LayerwiseError('fit_failed', r.reason);
        if (r.action === 'promoted' && r.candidate) {
          await d.bus.publish({ type: 'model', name: SERVING_MODEL_NAME, version: r.candidate.version });
        }
        return r;
      }
      const kinds = strings(data.kinds) ?? ['ials'];
      const s = await trainFromStore(d.store, { kinds, activate: data.activate !== false, onProgress: log });
      await ctx.progress(1);
      if (s.best === null) throw new LayerwiseError('fit_failed', s.errors.map((e) => e.message).join('; '));
      if (s.active) await d.bus.publish({ type: 'model', name: s.name, version: s.active.version });
      return { name: s.name, saved: s.saved, active: s.active, errors: s.errors };
    },
  };
}
