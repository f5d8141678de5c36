/**
 * `layerwise train [--models …] [--data-dir D]`: trains recommenders on the store's events, validates each on a
 * held-out split, refits on all events, saves every artifact to the model registry (name "recommender", one
 * version per model, config + validation metrics recorded) and activates the best by validation NDCG@k.
 */
import { loadConfig } from '../../app/config.js';
import { withStore } from '../../app/open-store.js';
import { LayerwiseError } from '../../core/errors.js';
import { trainAndSelect } from '../../eval/train-select.js';
import { type InteractionEvent, Interactions } from '../../models/interactions.js';
import { modelKinds, SERVING_MODEL_NAME } from '../../models/registry.js';
import type { Store } from '../../store/ports.js';
import type { RegisterCommand } from './types.js';

interface TrainFlags {
  models: string;
  dataDir?: string;
  k: string;
  seed: string;
  params?: string;
  activate: boolean;
  json?: boolean;
}

/** Every stored event as interactions: the ingest-time weight of each event as its value, summed per pair. */
export async function storeInteractions(store: Store): Promise<Interactions> {
  const events: InteractionEvent[] = [];
  for await (const page of store.iterateEvents()) {
    for (const e of page)
      events.push({ user: e.userId, item: e.itemId, value: e.weight, timestamp: e.timestamp / 1000 });
  }
  if (events.length === 0) {
    throw new LayerwiseError('not_found', 'the store has no events; ingest events first (layerwise ingest)');
  }
  return Interactions.fromEvents(events, { values: 'value', combine: 'sum' }).data;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('train')
    .description("train recommenders on the store's events, save them to the model registry and activate the best")
    .option(
      '--models <list>',
      `comma-separated model kinds (${modelKinds().join(', ')})`,
      'pop,itemknn,rp3beta,ease,ials',
    )
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--k <n>', 'cut-off of the validation metrics', '10')
    .option('--seed <n>', 'seed of the validation split and of the fits', '1')
    .option('--params <json>', 'hyper-parameters per model, e.g. \'{"ease":{"lambda":300}}\'')
    .option('--no-activate', 'save the artifacts but leave the active model as it is')
    .option('--json', 'print one JSON object')
    .action(async (f: TrainFlags) => {
      const kinds = f.models
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const known = new Set(modelKinds());
      for (const kind of kinds)
        if (!known.has(kind))
          throw new LayerwiseError('invalid_argument', `unknown model '${kind}'; known: ${[...known].join(', ')}`);
      let params: Record<string, Record<string, unknown>> = {};
      if (f.params) {
        try {
          params = JSON.parse(f.params);
        } catch (e) {
          throw new LayerwiseError('invalid_argument', `--params is not valid JSON: ${f.params}`, { cause: e });
        }
      }
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      await withStore(config, async (store) => {
        const data = await storeInteractions(store);
        ctx.io.err(`training on ${data.nUsers} users × ${data.nItems} items, ${data.nnz} interactions`);
        const result = await trainAndSelect(data, kinds, {
          k: Number(f.k),
          seed: Number(f.seed),
          params,
          onProgress: (m) => ctx.io.err(m),
        });
        const saved = [];
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
        const best = result.best >= 0 ? saved[result.best] : undefined;
        if (best && f.activate) await store.setActiveModel(SERVING_MODEL_NAME, best.version);
        const summary = {
          name: SERVING_MODEL_NAME,
          saved,
          active: f.activate ? (best ?? null) : null,
          errors: result.errors,
        };
        if (f.json) ctx.io.out(JSON.stringify(summary));
        else {
          for (const s of saved)
            ctx.io.out(`${SERVING_MODEL_NAME} v${s.version}: ${s.kind}  NDCG@${f.k} ${s.metrics.ndcg!.toFixed(4)}`);
          ctx.io.out(best ? `active: ${SERVING_MODEL_NAME} v${best.version} (${best.kind})` : 'no model trained');
        }
        if (result.errors.length > 0 || !best) ctx.setExitCode(1);
      });
    });
};
