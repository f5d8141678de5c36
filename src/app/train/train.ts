/**
 * The train use case: read the store's events and item content (app/features: shape vectors of the active encoder,
 * listing tokens, printability, creator, remix lineage), train the candidate recommenders (content-aware ones read
 * the content), validate each on a held-out split, refit on all events, save every artifact to the model registry
 * (name "recommender", one version per model, config + validation metrics + the feature blocks recorded) and
 * activate the best by validation NDCG@k — a content-aware model only when validation says it wins.
 * With `sequential` kinds (sasrec, markov, lastknn) it also trains the "print next" models on the same events:
 * validated under leave-one-out (each user's latest event), saved under the name "sequential", the best activated
 * (served by GET /v1/users/:id/next and POST /v1/recommendations/session).
 */
import { LayerwiseError } from '../../core/errors.js';
import { type BaselineResult, type TrainStage, trainAndSelect } from '../../eval/train-select.js';
import type { FeatureBlockName, ItemFeatures } from '../../models/content.js';
import type { Interactions } from '../../models/interactions.js';
import {
  createModel,
  loadRecommender,
  modelKinds,
  SEQUENTIAL_MODEL_NAME,
  SERVING_MODEL_NAME,
  servingArtifact,
} from '../../models/registry.js';
import { isSequential } from '../../models/sequential.js';
import { EVENT_TYPES, type Store } from '../../store/ports.js';
import { loadServerConfig, type ServerConfig } from '../config.js';
import { storeItemFeatures } from '../features/item-features.js';
import { eventWeightCap } from '../serve/event-bounds.js';
import { CandidateIndexes } from '../serve/indexes.js';
import { computeItemStats, saveItemStats } from '../serve/item-stats-store.js';
import { modelId } from '../serve/state.js';
import { chooseShapeEncoder } from '../shapes/embedder.js';
import { createTrainProgress } from './progress.js';
import { readInteractions, type StageProgress } from './read-events.js';

/**
 * Every stored event as interactions: the ingest-time weight of each event as its value, summed per pair. Read once
 * as columnar chunks into typed arrays (see read-events.ts). Weights are bounded as the server bounds them
 * (serve/event-bounds.ts; the columns carry no type, so by the largest per-type cap): one outlier weight stored
 * before the bound existed cannot dominate a fit.
 */
export function storeInteractions(
  store: Store,
  onProgress?: (p: StageProgress) => void,
  bounds: Pick<ServerConfig, 'eventWeights' | 'eventBounds'> = loadServerConfig({}, {}),
): Promise<Interactions> {
  const maxWeight = Math.max(...[...EVENT_TYPES].map((t) => eventWeightCap(bounds, t)));
  return readInteractions(store, onProgress, maxWeight);
}

/** Computes and saves the item statistics `serve` loads at start-up (serve/item-stats-store.ts). */
export async function saveServingStats(store: Store, progress: (message: string) => void = () => undefined) {
  const t0 = performance.now();
  const config = loadServerConfig({}, {});
  const ids = new Map<string, number>();
  const index = (id: string) => {
    let i = ids.get(id);
    if (i === undefined) ids.set(id, (i = ids.size));
    return i;
  };
  const stats = await computeItemStats(store, config, index, 0);
  await saveItemStats(store, stats, [...ids.keys()], config);
  progress(`item statistics for serving: ${ids.size} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** Throws `invalid_argument` naming the unknown kinds and the known ones. */
export function checkModelKinds(kinds: readonly string[]): void {
  const known = new Set(modelKinds());
  for (const kind of kinds)
    if (!known.has(kind))
      throw new LayerwiseError('invalid_argument', `unknown model '${kind}'; known: ${[...known].join(', ')}`);
}

export interface TrainOptions {
  kinds: readonly string[];
  /** Cut-off of the validation metrics (default 10). */
  k?: number;
  /** Seed of the validation split and of the fits (default 1). */
  seed?: number;
  /** Hyper-parameters per model kind. */
  params?: Record<string, Record<string, unknown>>;
  /** Sequential kinds to train as well ("print next"), saved under "sequential"; none by default. */
  sequential?: readonly string[];
  /** Activate the best model (default true). */
  activate?: boolean;
  /** Recorded in each artifact's config beside kind and params (e.g. the event count a retrain saw). */
  extraConfig?: Record<string, unknown>;
  /** Validate each model on at most this many held-out users (default 5,000; the metrics carry a 95% CI). */
  validationUsers?: number;
  /**
   * Folder of serving's index files (`<data dir>/indexes`): when set, the activated model's candidate index is built
   * there (see prebuildServingIndex).
   */
  indexDir?: string;
  /** Catalogue size from which the index is built (default: the server config's `serving.annMinItems`). */
  indexMinItems?: number;
  /** Item content for content-aware models: 'store' (every block with data, default), 'none', or a block list. */
  itemFeatures?: 'store' | 'none' | readonly FeatureBlockName[];
  /** Shape encoder of the shape block (default: the one serving shape similarity). */
  shapeEncoder?: string;
  onProgress?: (message: string) => void;
  /**
   * Also compute the item statistics serving reads (popularity, trending, counts by type: one pass over the events
   * grouped by user) and save them as the `serving-stats` artifact, so `serve` starts without reading events.
   * Default true.
   */
  itemStats?: boolean;
  /** Per-stage progress of each candidate (validate fit, validate, refit, save) with seconds. */
  onStage?: (stage: TrainStage) => void;
  /** Also validate this configuration on the candidates' split (the serving version's, for a promotion gate). */
  baseline?: { kind: string; params: Record<string, unknown> };
}

/** The item content train uses, or undefined ('none', or nothing stored). */
export async function trainFeatures(
  store: Store,
  o: Pick<TrainOptions, 'itemFeatures' | 'shapeEncoder'>,
): Promise<ItemFeatures | undefined> {
  const which = o.itemFeatures ?? 'store';
  if (which === 'none') return undefined;
  const encoder = await chooseShapeEncoder(store, o.shapeEncoder);
  return storeItemFeatures(store, { encoder, ...(which === 'store' ? {} : { blocks: which }) });
}

export interface TrainSummary {
  name: string;
  data: { users: number; items: number; interactions: number };
  saved: { kind: string; version: number; metrics: Record<string, number> }[];
  /** The activated version, or null when nothing was activated. */
  active: { kind: string; version: number; metrics: Record<string, number> } | null;
  /** The best version by validation (activated unless `activate: false`). */
  best: { kind: string; version: number; metrics: Record<string, number> } | null;
  errors: { kind: string; message: string }[];
  /** The content blocks given to content-aware models (empty without content). */
  features: { name: string; dim: number }[];
  /** With `options.baseline`: its validation metrics on the same split, or why it could not be validated. */
  baseline?: BaselineResult;
  /** The sequential models trained with `sequential` (validated under leave-one-out), when asked for. */
  sequential?: SavedModels;
}

/** What one registry name got from a training run. */
export type SavedModels = Pick<TrainSummary, 'name' | 'saved' | 'active' | 'best' | 'errors'>;

/** Throws `invalid_argument` unless every kind is a sequential model. */
export function checkSequentialKinds(kinds: readonly string[]): void {
  checkModelKinds(kinds);
  for (const kind of kinds)
    if (!isSequential(createModel(kind)))
      throw new LayerwiseError(
        'invalid_argument',
        `--sequential takes order-aware models (sasrec, markov, lastknn); '${kind}' reads a history as a set`,
      );
}

/** Trains, saves and (optionally) activates; one failing model is reported in `errors`, the others still saved. */
export async function trainFromStore(store: Store, options: TrainOptions): Promise<TrainSummary> {
  checkModelKinds(options.kinds);
  if (options.sequential?.length) checkSequentialKinds(options.sequential);
  const progress = options.onProgress ?? (() => undefined);
  const bar = createTrainProgress(progress);
  const data = await storeInteractions(store, bar.read);
  progress(`training on ${data.nUsers} users × ${data.nItems} items, ${data.nnz} interactions`);
  const itemFeatures = await trainFeatures(store, options);
  const features = (itemFeatures?.blocks ?? []).map((b) => ({ name: b.name, dim: b.dim }));
  if (itemFeatures)
    progress(`item content: ${itemFeatures.ids.length} items, ${features.map((b) => `${b.name} ${b.dim}`).join(', ')}`);
  const result = await trainAndSelect(data, [...options.kinds], {
    k: options.k ?? 10,
    seed: options.seed ?? 1,
    params: options.params ?? {},
    onProgress: progress,
    ...(itemFeatures ? { itemFeatures } : {}),
    ...(options.validationUsers !== undefined ? { validationUsers: options.validationUsers } : {}),
    ...(options.baseline ? { baseline: options.baseline } : {}),
    // Epoch and validation progress (with an ETA) always; stage start/end lines from the caller's handler if any.
    onStage: (s: TrainStage) => {
      if (!options.onStage) bar.stage(s);
      else {
        options.onStage(s);
        if (s.epoch !== undefined || s.done !== undefined) bar.stage(s);
      }
    },
  });
  const main = await saveAndActivate(store, SERVING_MODEL_NAME, data, result, options);
  let sequential: SavedModels | undefined;
  if (options.sequential?.length) {
    progress(`sequential models (print next): ${options.sequential.join(', ')}, validated under leave-one-out`);
    const seq = await trainAndSelect(data, [...options.sequential], {
      k: options.k ?? 10,
      seed: options.seed ?? 1,
      protocol: 'loo',
      params: options.params ?? {},
      onProgress: progress,
      ...(options.validationUsers !== undefined ? { validationUsers: options.validationUsers } : {}),
      onStage: (s: TrainStage) => (options.onStage ? options.onStage(s) : bar.stage(s)),
    });
    sequential = await saveAndActivate(store, SEQUENTIAL_MODEL_NAME, data, seq, options);
  }
  if (options.itemStats ?? true) await saveServingStats(store, progress);
  if (options.indexDir !== undefined && main.active !== null && result.best >= 0)
    await prebuildServingIndex(result.artifacts[result.best]!.bytes, main, options, progress);
  return {
    ...main,
    data: { users: data.nUsers, items: data.nItems, interactions: data.nnz },
    features,
    ...(result.baseline ? { baseline: result.baseline } : {}),
    ...(sequential ? { sequential } : {}),
  };
}

/**
 * Builds the activated model's candidate index (a factor model's MIPS index over its item factors) into `indexDir`
 * as `serve` names it, so a server started on this data dir maps it at once instead of scanning every item while it
 * builds one. Catalogues below `serving.annMinItems` need none. The model is loaded from its saved bytes, as
 * `serve` loads it, so the file's hash matches.
 */
async function prebuildServingIndex(
  bytes: Uint8Array,
  active: { name: string; active: { version: number } | null },
  options: Pick<TrainOptions, 'indexDir' | 'indexMinItems'>,
  progress: (message: string) => void,
): Promise<void> {
  const model = loadRecommender(bytes);
  const minItems = options.indexMinItems ?? loadServerConfig({}, process.env).serving.annMinItems;
  const indexes = new CandidateIndexes({ dir: options.indexDir!, minItems });
  const id = modelId({ name: active.name, version: active.active!.version });
  const t0 = performance.now();
  const built = await indexes.prebuild(model, model.data.nItems, id);
  if (built !== null)
    progress(
      `candidate index for serving: ${model.data.nItems} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
}

/** Saves every artifact of `result` under `name` and activates the best (unless `activate: false`). */
async function saveAndActivate(
  store: Store,
  name: string,
  data: Interactions,
  result: Awaited<ReturnType<typeof trainAndSelect>>,
  options: TrainOptions,
): Promise<SavedModels> {
  const saved: TrainSummary['saved'] = [];
  for (const a of result.artifacts) {
    const row = await store.saveModel({
      name,
      config: {
        ...options.extraConfig,
        kind: a.kind,
        params: a.params,
        dataFingerprint: data.fingerprint(),
        features: a.features,
      },
      configHash: a.configHash,
      metrics: { ...a.metrics, ...a.report },
      payload: a.bytes,
      // what serve loads: the item side alone (at 100 M events 0.26 of a 1.9 GB iALS artifact, no 2.7 M user ids)
      servingPayload: servingArtifact(a.bytes),
    });
    saved.push({ kind: a.kind, version: row.version, metrics: a.metrics });
  }
  const best = result.best >= 0 ? (saved[result.best] ?? null) : null;
  const activate = options.activate ?? true;
  if (best && activate) await store.setActiveModel(name, best.version);
  return { name, saved, active: activate ? best : null, best, errors: result.errors };
}
