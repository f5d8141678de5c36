/**
 * `layerwise train [--models …] [--item-features …] [--data-dir D]`: parses flags, runs the train use case
 * (app/train), prints per-stage progress of each candidate, and what was saved and activated.
 */
import { modelKinds } from '../../app/choices.js';
import { loadConfig } from '../../app/config.js';
import { parseFeatureBlocks } from '../../app/features/item-features.js';
import { withStore } from '../../app/store.js';
import { trainFromStore } from '../../app/train/train.js';
import { intFlag, jsonObjectFlag, listFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface TrainFlags {
  models: string;
  dataDir?: string;
  k: string;
  seed: string;
  params?: string;
  activate: boolean;
  validationUsers: string;
  itemFeatures: string;
  json?: boolean;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('train')
    .description("train recommenders on the store's events, save them to the model registry and activate the best")
    .option(
      '--models <list>',
      `comma-separated model kinds (${modelKinds().join(', ')})`,
      'pop,itemknn,rp3beta,ease,ials,hybrid',
    )
    .option(
      '--item-features <which>',
      'item content for content-aware models: store (every block with data), none, or blocks (shape,tags,print,creator,remix)',
      'store',
    )
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--k <n>', 'cut-off of the validation metrics', '10')
    .option('--seed <n>', 'seed of the validation split and of the fits', '1')
    .option('--params <json>', 'hyper-parameters per model, e.g. \'{"ease":{"lambda":300}}\'')
    .option('--no-activate', 'save the artifacts but leave the active model as it is')
    .option(
      '--validation-users <n>',
      'validate on at most this many held-out users, drawn at random (the metrics carry a 95% CI)',
      '5000',
    )
    .option('--json', 'print one JSON object')
    .action(async (f: TrainFlags) => {
      const k = intFlag('k', f.k, 1);
      const options = {
        kinds: listFlag(f.models),
        k,
        seed: intFlag('seed', f.seed),
        params: jsonObjectFlag<Record<string, Record<string, unknown>>>('params', f.params),
        activate: f.activate,
        validationUsers: intFlag('validation-users', f.validationUsers, 1),
        itemFeatures:
          f.itemFeatures === 'none' ? ('none' as const) : (parseFeatureBlocks(f.itemFeatures) ?? ('store' as const)),
        onProgress: (m: string) => ctx.io.err(m),
        onStage: (s: { kind: string; stage: string; seconds?: number; epoch?: number }) => {
          if (s.epoch !== undefined) return;
          ctx.io.err(
            s.seconds === undefined
              ? `${s.kind}: ${s.stage}…`
              : `${s.kind}: ${s.stage} done in ${s.seconds.toFixed(2)} s`,
          );
        },
      };
      const config = loadConfig({ flags: { dataDir: f.dataDir } });
      const summary = await withStore(config, (store) => trainFromStore(store, options));
      if (f.json) {
        const { name, saved, active, errors, features } = summary;
        ctx.io.out(JSON.stringify({ name, saved, active, errors, features }));
      } else {
        for (const s of summary.saved)
          ctx.io.out(
            `${summary.name} v${s.version}: ${s.kind}  NDCG@${k} ${s.metrics.ndcg!.toFixed(4)}` +
              (s.metrics.ndcgCiLo !== undefined
                ? ` (95% CI ${s.metrics.ndcgCiLo.toFixed(4)}–${s.metrics.ndcgCiHi!.toFixed(4)}, ${s.metrics.validationUsers} users)`
                : ''),
          );
        const best = summary.best;
        ctx.io.out(best ? `active: ${summary.name} v${best.version} (${best.kind})` : 'no model trained');
      }
      if (summary.errors.length > 0 || !summary.best) ctx.setExitCode(1);
    });
};
