/**
 * `layerwise eval`: parses flags, runs the evaluate use case (app/evaluate) and prints the table (stdout, or stderr
 * with `--json`), the JSON results and an optional HTML report.
 */
import { writeFileSync } from 'node:fs';
import { modelKinds, PROTOCOLS } from '../../app/choices.js';
import { loadConfig } from '../../app/config.js';
import {
  checkEvaluateOptions,
  evaluateRecommenders,
  loadEvalData,
  loadEvalFeatures,
} from '../../app/evaluate/evaluate.js';
import { withStore } from '../../app/store.js';
import { intFlag, jsonObjectFlag, listFlag, numberFlag } from '../flags.js';
import type { RegisterCommand } from './types.js';

interface EvalFlags {
  dataset: string;
  dataDir?: string;
  dataRoot?: string;
  protocol: string;
  models: string;
  params?: string;
  k: string;
  seeds: string;
  tune?: boolean;
  tuneTrials: string;
  tuneSeconds: string;
  testFraction?: string;
  threshold?: string;
  json?: boolean;
  report?: string;
  itemFeatures: string;
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('eval')
    .description('Evaluate recommenders offline on a dataset with a split protocol')
    .requiredOption(
      '--dataset <name|path>',
      'ml-100k | ml-latest-small | lastfm | store (the events in the store) | a delimited events file (user,item[,value[,time]])',
    )
    .option('--data-dir <dir>', 'with --dataset store: data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--data-root <dir>', 'folder of the named datasets (default $LAYERWISE_SHARED_DATA or ../shared/data)')
    .option('--protocol <name>', `split protocol: ${PROTOCOLS.join(' | ')}`, 'stratified')
    .option(
      '--models <list>',
      `comma-separated model kinds (${modelKinds().join(', ')})`,
      'pop,itemknn,rp3beta,ease,ials,bpr',
    )
    .option('--params <json>', 'hyper-parameters per model, e.g. \'{"ease":{"lambda":300}}\'')
    .option('--k <n>', 'cut-off K', '10')
    .option('--seeds <n>', 'number of random splits (seeds 1..n)', '1')
    .option('--tune', 'tune each model on a validation split of the training data first')
    .option('--tune-trials <n>', 'candidates per model when tuning', '12')
    .option('--tune-seconds <s>', 'time budget per model when tuning', '60')
    .option('--test-fraction <f>', 'held-out share (random, temporal, strong protocols)')
    .option('--threshold <r>', 'keep only ratings ≥ r as positives (default: all ratings relevant)')
    .option('--json', 'print the results as JSON on stdout (the table goes to stderr)')
    .option('--report <file>', 'write a self-contained HTML report')
    .option(
      '--item-features <which>',
      "item content for content-aware models (hybrid, content): none, store | shape,tags,print,creator,remix (store), or the public set's content (any other value)",
      'none',
    )
    .action(async (f: EvalFlags) => {
      const kinds = listFlag(f.models);
      checkEvaluateOptions({ protocol: f.protocol, kinds });
      const options = {
        protocol: f.protocol,
        kinds,
        params: jsonObjectFlag<Record<string, Record<string, unknown>>>('params', f.params),
        k: intFlag('k', f.k, 1),
        seeds: intFlag('seeds', f.seeds, 1),
        ...(f.tune ? { tune: true } : {}),
        tuneTrials: intFlag('tune-trials', f.tuneTrials, 1),
        tuneSeconds: numberFlag('tune-seconds', f.tuneSeconds, { min: 0, exclusiveMin: true }),
        ...(f.testFraction !== undefined
          ? { testFraction: numberFlag('test-fraction', f.testFraction, { min: 0, max: 1, exclusiveMin: true }) }
          : {}),
        onProgress: (m: string) => ctx.io.err(m),
      };
      const d = await loadEvalData({
        dataset: f.dataset,
        ...(f.dataRoot !== undefined ? { dataRoot: f.dataRoot } : {}),
        ...(f.threshold !== undefined ? { threshold: numberFlag('threshold', f.threshold) } : {}),
        withStore: (fn) => withStore(loadConfig({ flags: { dataDir: f.dataDir } }), fn),
      });
      ctx.io.err(
        `${d.name}: ${d.data.nUsers} users × ${d.data.nItems} items, ${d.data.nnz} interactions${d.dropped ? ` (${d.dropped} events dropped)` : ''}`,
      );
      const itemFeatures = await loadEvalFeatures(d, f.itemFeatures, {
        ...(f.dataRoot !== undefined ? { dataRoot: f.dataRoot } : {}),
        withStore: (fn) => withStore(loadConfig({ flags: { dataDir: f.dataDir } }), fn),
      });
      if (itemFeatures)
        ctx.io.err(
          `item content: ${itemFeatures.ids.length} items, ${(itemFeatures.blocks ?? []).map((b) => `${b.name} ${b.dim}`).join(', ')}`,
        );
      const evaluation = await evaluateRecommenders(d, { ...options, ...(itemFeatures ? { itemFeatures } : {}) });
      if (f.json) {
        ctx.io.err(evaluation.table);
        ctx.io.out(JSON.stringify(evaluation.json, null, 2));
      } else ctx.io.out(evaluation.table);
      if (f.report) {
        writeFileSync(f.report, evaluation.html(`layerwise ${process.argv.slice(2).join(' ')}`));
        ctx.io.err(`report written to ${f.report}`);
      }
      if (evaluation.result.models.some((m) => m.error)) ctx.setExitCode(1);
    });
};
