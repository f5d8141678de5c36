/**
 * `layerwise train [--models …] [--item-features …] [--data-dir D]`: parses flags, runs the train use case
 * (app/train), prints per-stage progress of each candidate, and what was saved and activated.
 */
import { join, resolve } from 'node:path';
import { modelKinds } from '../../app/choices.js';
import { loadConfig } from '../../app/config.js';
import { parseFeatureBlocks } from '../../app/features/item-features.js';
import { withStore } from '../../app/store.js';
import { type RetrainOutcome, type RetrainPolicy, retrainOnce, scheduleRetraining } from '../../app/train/retrain.js';
import { trainFromStore } from '../../app/train/train.js';
import { LayerwiseError } from '../../core/errors.js';
import { intFlag, jsonObjectFlag, listFlag, numberFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface TrainFlags {
  models: string;
  sequential?: string;
  dataDir?: string;
  k: string;
  seed: string;
  params?: string;
  activate: boolean;
  validationUsers: string;
  itemFeatures: string;
  json?: boolean;
  schedule?: boolean;
  gated?: boolean;
  every: string;
  minNewEvents: string;
  keep: string;
  tolerance: string;
}

/** `90s`, `30m`, `2h`, `1d` or plain milliseconds → ms. */
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  if (!m) throw new LayerwiseError('invalid_argument', `--every must look like 30m, 2h or 1d, got '${text}'`);
  const ms = Number(m[1]) * unit[(m[2] ?? 'ms') as keyof typeof unit];
  if (ms < 1000) throw new LayerwiseError('invalid_argument', `--every must be at least 1s, got '${text}'`);
  return ms;
}

function describe(r: RetrainOutcome): string {
  const c = r.candidate ? ` candidate v${r.candidate.version} (${r.candidate.kind})` : '';
  return `${new Date().toISOString()} ${r.action}:${c} ${r.reason}${r.pruned.length ? `; pruned v${r.pruned.join(', v')}` : ''}`;
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
      '--sequential <list>',
      'also train "print next" models (sasrec, markov, lastknn): validated leave-one-out, saved as "sequential", best activated',
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
    .option('--schedule', 'keep running: retrain every --every when --min-new-events arrived, promote through the gate')
    .option('--gated', 'one gated retrain now (for cron or a job scheduler), then exit')
    .option('--every <duration>', 'schedule interval (30m, 2h, 1d)', '1h')
    .option('--min-new-events <n>', 'retrain only after this many new events', '1000')
    .option('--keep <k>', 'inactive versions kept for rollback', '5')
    .option('--tolerance <t>', 'gate: promote when new ≥ active × (1 − t) on validation NDCG', '0.02')
    .action(async (f: TrainFlags) => {
      if (f.schedule || f.gated) return runGated(f);
      const k = intFlag('k', f.k, 1);
      const options = {
        kinds: listFlag(f.models),
        ...(f.sequential === undefined ? {} : { sequential: listFlag(f.sequential) }),
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
      // the active model's candidate index goes where `serve` on this data dir looks for it
      const indexDir = join(resolve(config.dataDir), 'indexes');
      const summary = await withStore(config, (store) => trainFromStore(store, { ...options, indexDir }));
      if (f.json) {
        const { name, saved, active, errors, features, sequential } = summary;
        ctx.io.out(JSON.stringify({ name, saved, active, errors, features, ...(sequential ? { sequential } : {}) }));
      } else {
        for (const part of summary.sequential ? [summary, summary.sequential] : [summary]) {
          for (const s of part.saved)
            ctx.io.out(
              `${part.name} v${s.version}: ${s.kind}  NDCG@${k} ${s.metrics.ndcg!.toFixed(4)}` +
                (s.metrics.ndcgCiLo !== undefined
                  ? ` (95% CI ${s.metrics.ndcgCiLo.toFixed(4)}–${s.metrics.ndcgCiHi!.toFixed(4)}, ${s.metrics.validationUsers} users)`
                  : ''),
            );
          const best = part.best;
          ctx.io.out(best ? `active: ${part.name} v${best.version} (${best.kind})` : `no ${part.name} model trained`);
        }
      }
      const seq = summary.sequential;
      if (summary.errors.length > 0 || !summary.best || (seq && (seq.errors.length > 0 || !seq.best)))
        ctx.setExitCode(1);
    });

  async function runGated(f: TrainFlags): Promise<void> {
    const policy: RetrainPolicy & { everyMs: number } = {
      kinds: listFlag(f.models),
      k: intFlag('k', f.k, 1),
      seed: intFlag('seed', f.seed),
      params: jsonObjectFlag<Record<string, Record<string, unknown>>>('params', f.params),
      minNewEvents: intFlag('min-new-events', f.minNewEvents, 0),
      keep: intFlag('keep', f.keep, 1),
      tolerance: numberFlag('tolerance', f.tolerance, { min: -10, max: 1 }),
      everyMs: durationMs(f.every),
    };
    const config = loadConfig({ flags: { dataDir: f.dataDir } });
    const print = (r: RetrainOutcome) => ctx.io.out(f.json ? JSON.stringify(r) : describe(r));
    if (f.gated) {
      const r = await withStore(config, (store) => retrainOnce(store, policy, { onProgress: (m) => ctx.io.err(m) }));
      print(r);
      if (r.action === 'failed') ctx.setExitCode(1);
      return;
    }
    await withStore(config, async (store) => {
      const schedule = scheduleRetraining(store, policy, {
        onResult: print,
        onError: (e) => ctx.io.err(`retrain failed: ${(e as Error).message}`),
        onProgress: (m) => ctx.io.err(m),
      });
      ctx.io.err(`retraining every ${f.every} after ${policy.minNewEvents} new events; Ctrl-C stops`);
      await schedule.runNow().catch((e) => ctx.io.err(`retrain failed: ${(e as Error).message}`));
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await schedule.stop();
    });
  }
};
