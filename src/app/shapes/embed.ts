/**
 * Shape embeddings for the library. The encoder is fitted on the library's own meshes (unlabelled) and stored as a
 * model artifact `shape-encoder-<name>` (checkpoint bytes inline, config + config hash); each ready item gets its
 * vector under the encoder's name, and its low-level feature vector under `shape-features` (used to confirm
 * near-duplicates). `computeEmbeddings` fills in what is missing; `embedMesh` embeds one new mesh (ingest, uploads).
 */
import { createHash } from 'node:crypto';
import { LayerwiseError, toLayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import type { PreparedShape } from '../../geometry/descriptors-features.js';
import {
  createShapeEncoder,
  DEFAULT_SHAPE_ENCODER,
  loadShapeEncoder,
  type ShapeEncoder,
  toPrepared,
} from '../../models/shape/index.js';
import type { BlobStore } from '../../store/blobs.js';
import type { Store } from '../../store/ports.js';
import { allReadyItems, itemSearchRoots, loadItemMesh } from '../ingest/locate.js';
import { openBlobs } from '../ingest/locations.js';

/** Embedding-set name of the low-level feature vectors. */
export const SHAPE_FEATURES = 'shape-features';

export const encoderArtifactName = (encoder: string): string => `shape-encoder-${encoder}`;

/** The active fitted encoder of the library, or null when none was fitted yet. */
export async function loadLibraryEncoder(
  store: Store,
  encoder: string,
): Promise<{ encoder: ShapeEncoder; version: number } | null> {
  const got = await activeEncoderPayload(store, encoder);
  return got === null ? null : { encoder: loadShapeEncoder(got.payload), version: got.version };
}

/** The checkpoint bytes of the library's active fitted encoder (for worker threads to restore), or null. */
export async function loadLibraryEncoderBytes(store: Store, encoder: string): Promise<Uint8Array | null> {
  return (await activeEncoderPayload(store, encoder))?.payload ?? null;
}

async function activeEncoderPayload(
  store: Store,
  encoder: string,
): Promise<{ payload: Uint8Array; version: number } | null> {
  const artifact = await store.getActiveModel(encoderArtifactName(encoder));
  if (!artifact) return null;
  const full = artifact.payload ? artifact : await store.getModel(artifact.name, artifact.version);
  if (!full?.payload)
    throw new LayerwiseError('not_found', `encoder artifact ${artifact.name} v${artifact.version} has no payload`);
  return { payload: full.payload, version: artifact.version };
}

/** Embedding + features of one mesh with a fitted encoder. */
export function embedMesh(
  mesh: Pick<Mesh, 'positions' | 'indices'>,
  encoder: ShapeEncoder,
): { vector: Float32Array; features: Float32Array } {
  const shape = toPrepared(mesh);
  return { vector: encoder.embedShape(shape), features: shape.features };
}

export interface ComputeEmbeddingsOptions {
  /** Encoder name (default the registry's default). */
  encoder?: string;
  /** Refit the encoder and recompute every vector (default: fit only when there is no encoder yet). */
  refit?: boolean;
  /** Encoder config overrides (used when fitting). */
  config?: Record<string, unknown>;
  /** Extra folders item paths may be relative to. */
  roots?: string[];
  /** Largest number of meshes used for fitting (a seeded sample beyond it; default 2000). */
  maxTrain?: number;
  onProgress?: (message: string) => void;
  /** Only these items (default every ready item). */
  itemIds?: string[];
  /** Embed the targets again even when they have vectors (same encoder; e.g. a retried cluster job). */
  recompute?: boolean;
  /** Called after each embedded item with (done, total) — job progress. */
  onItem?: (done: number, total: number) => Promise<void> | void;
  /** Where item bytes are read from (default: the blob store that goes with `store`). */
  blobs?: BlobStore;
}

export interface ComputeEmbeddingsSummary {
  encoder: string;
  version: number;
  fitted: boolean;
  fitSeconds: number;
  embedded: number;
  alreadyEmbedded: number;
  failed: number;
  errors: { itemId: string; code: string; message: string }[];
  seconds: number;
}

/**
 * Fits the encoder when needed and embeds every ready item that has no vector yet (all of them after a refit).
 * Items whose file cannot be read or parsed are reported and skipped.
 */
export async function computeEmbeddings(
  store: Store,
  dataDir: string,
  options: ComputeEmbeddingsOptions = {},
): Promise<ComputeEmbeddingsSummary> {
  const t0 = performance.now();
  const name = options.encoder ?? DEFAULT_SHAPE_ENCODER;
  const log = options.onProgress ?? (() => {});
  const all = await allReadyItems(store);
  const only = options.itemIds ? new Set(options.itemIds) : null;
  const items = only ? all.filter((i) => only.has(i.id)) : all;
  const blobs = options.blobs ?? openBlobs(store, dataDir);
  let roots: Promise<string[]> | undefined;
  const lazyRoots = () => {
    roots ??= itemSearchRoots(store, dataDir, options.roots ?? []);
    return roots;
  };
  let current = options.refit ? null : await loadLibraryEncoder(store, name);
  const have = current
    ? await store.getEmbeddings(
        name,
        items.map((i) => i.id),
      )
    : new Map<string, Float32Array>();
  const haveFeatures = await store.getEmbeddings(
    SHAPE_FEATURES,
    items.map((i) => i.id),
  );
  const todo = items.filter((i) => !have.has(i.id) || !haveFeatures.has(i.id));
  const errors: ComputeEmbeddingsSummary['errors'] = [];
  const prepared = new Map<string, PreparedShape>();
  const byId = new Map(all.map((i) => [i.id, i]));
  const prepare = async (id: string): Promise<PreparedShape | null> => {
    const hit = prepared.get(id);
    if (hit) return hit;
    const item = byId.get(id)!;
    try {
      const shape = toPrepared(await loadItemMesh(store, blobs, item, lazyRoots));
      prepared.set(id, shape);
      return shape;
    } catch (e) {
      const err = toLayerwiseError(e, 'io_error');
      errors.push({ itemId: id, code: err.code, message: err.message });
      return null;
    }
  };
  let fitSeconds = 0;
  if (!current) {
    if (all.length < 2)
      throw new LayerwiseError(
        'conflict',
        `fitting a shape encoder needs at least 2 ready items, the store has ${all.length}; ingest models first`,
      );
    const encoder = createShapeEncoder(name, options.config);
    const ids = all.map((i) => i.id);
    const max = options.maxTrain ?? 2000;
    const train = ids.length <= max ? ids : sampleIds(ids, max);
    log(`${name}: preparing ${train.length} meshes for fitting`);
    const shapes: PreparedShape[] = [];
    for (const id of train) {
      const shape = await prepare(id);
      if (shape) shapes.push(shape);
    }
    if (shapes.length < 2)
      throw new LayerwiseError('fit_failed', `only ${shapes.length} item meshes could be read; see the errors`);
    const report = encoder.fit(shapes, { onEpoch: (e, l) => log(`${name}: epoch ${e + 1} loss ${l.toFixed(4)}`) });
    fitSeconds = report.seconds;
    const config = (encoder as unknown as { config?: unknown }).config ?? {};
    const artifact = await store.saveModel({
      name: encoderArtifactName(name),
      config,
      configHash: createHash('sha256').update(JSON.stringify({ name, config })).digest('hex').slice(0, 16),
      metrics: {
        fitSeconds: report.seconds,
        epochs: report.epochs,
        trainShapes: shapes.length,
        losses: report.losses,
      },
      payload: encoder.save(),
    });
    await store.setActiveModel(artifact.name, artifact.version);
    current = { encoder, version: artifact.version };
  }
  const encoder = current.encoder;
  const targets = options.refit || options.recompute || fitSeconds > 0 ? items : todo;
  let embedded = 0;
  let batch: { itemId: string; vector: Float32Array }[] = [];
  let featureBatch: { itemId: string; vector: Float32Array }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length > 0) await store.putEmbeddings(name, batch);
    if (featureBatch.length > 0) await store.putEmbeddings(SHAPE_FEATURES, featureBatch);
    batch = [];
    featureBatch = [];
  };
  for (const item of targets) {
    const shape = await prepare(item.id);
    if (!shape) continue;
    batch.push({ itemId: item.id, vector: encoder.embedShape(shape) });
    featureBatch.push({ itemId: item.id, vector: shape.features });
    embedded++;
    prepared.delete(item.id);
    await options.onItem?.(embedded, targets.length);
    if (batch.length >= 64) {
      await flush();
      log(`${name}: embedded ${embedded}/${targets.length}`);
    }
  }
  await flush();
  return {
    encoder: name,
    version: current.version,
    fitted: fitSeconds > 0,
    fitSeconds,
    embedded,
    alreadyEmbedded: items.length - targets.length,
    failed: new Set(errors.map((e) => e.itemId)).size,
    errors,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** A deterministic sample of `k` ids (stable across runs for the same library). */
function sampleIds(ids: readonly string[], k: number): string[] {
  return [...ids].sort((a, b) => hash(a) - hash(b) || (a < b ? -1 : 1)).slice(0, k);
}

function hash(s: string): number {
  return createHash('md5').update(s).digest().readUInt32LE(0);
}
