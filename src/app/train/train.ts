/**
 * The train use case: read the store's events, train the candidate recommenders, validate each on a held-out split,
 * refit on all events, save every artifact to the model registry (name "recommender", one version per model, config
 * + validation metrics recorded) and activate the best by validation NDCG@k.
 */
import { LayerwiseError } from '../../core/errors.js';
import { trainAndSelect } from '../../eval/train-select.js';
import { type InteractionEvent, Interactions } from '../../models/interactions.js';
import { modelKinds, SERVING_MODEL_NAME } from '../../models/registry.js';
import type { Store } from '../../store/ports.js';
import { loadServerConfig, type ServerConfig } from '../config.js';
import { boundedWeight } from '../serve/event-bounds.js';

/** Every stored event as interactions: the ingest-time weight of each event as its value, summed per pair. */
export async function storeInteractions(
  store: Store,
  bounds: Pick<ServerConfig, 'eventWeights' | 'eventBounds'> = loadServerConfig({}, {}),
): Promise<Interactions> {
  const events: InteractionEvent[] = [];
  for await (const page of store.iterateEvents()) {
    for (const e of page) {
      // bounded as the server bounds them (serve/event-bounds.ts): one outlier weight cannot dominate a fit
      const value = boundedWeight(bounds, e.type, e.weight);
      events.push({ user: e.userId, item: e.itemId, value, timestamp: e.timestamp / 1000 });
    }
  }
  if (events.length === 0) {
    throw new LayerwiseError('not_found', 'the store has no events; ingest events first (layerwise ingest)');
  }
  return Interactions.fromEvents(events, { values: 'value', combine: 'sum' }).data;
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
  /** Activate the best model (default true). */
  activate?: boolean;
  onProgress?: (message: string) => void;
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
}

/** Trains, saves and (optionally) activates; one failing model is reported in `errors`, the others still saved. */
export async function trainFromStore(store: Store, options: TrainOptions): Promise<TrainSummary> {
  checkModelKinds(options.kinds);
  const data = await storeInteractions(store);
  const progress = options.onProgress ?? (() => undefined);
  progress(`training on ${data.nUsers} users × ${data.nItems} items, ${data.nnz} interactions`);
  const result = await trainAndSelect(data, [...options.kinds], {
    k: options.k ?? 10,
    seed: options.seed ?? 1,
    params: options.params ?? {},
    onProgress: progress,
  });
  const saved: TrainSummary['saved'] = [];
  for (const a of result.artifacts) {
    const row = await store.saveModel({
      name: SERVING_MODEL_NAME,
      config: { kind: a.kind, params: a.params, dataFingerprint: data.fingerprint() },
      configHash: a.configHash,
      metrics: { ...a.metrics, ...a.report },
      payload: a.bytes,
    });
    saved.push({ kind: a.kind, version: row.version, metrics: a.metrics });
  }
  const best = result.best >= 0 ? (saved[result.best] ?? null) : null;
  const activate = options.activate ?? true;
  if (best && activate) await store.setActiveModel(SERVING_MODEL_NAME, best.version);
  return {
    name: SERVING_MODEL_NAME,
    data: { users: data.nUsers, items: data.nItems, interactions: data.nnz },
    saved,
    active: activate ? best : null,
    best,
    errors: result.errors,
  };
}
