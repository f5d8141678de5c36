/**
 * `layerwise eval`: offline evaluation of recommenders on a public dataset (by name, from the shared data folder)
 * or an events file: split by a protocol, fit, full-ranking metrics with CIs, paired tests, optional tuning, and
 * an HTML report. `--json` prints the results object on stdout (the table goes to stderr).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../app/config.js';
import { withStore } from '../../app/open-store.js';
import { LayerwiseError } from '../../core/errors.js';
import { datasetSpec } from '../../eval/datasets.js';
import { type ExperimentResult, runExperiment } from '../../eval/experiment.js';
import { publishedFor } from '../../eval/published.js';
import { renderHtmlReport } from '../../eval/report-html.js';
import { formatComparisons, formatTable, tableRows } from '../../eval/report-text.js';
import { PROTOCOLS, type ProtocolName } from '../../eval/splits.js';
import { Interactions } from '../../models/interactions.js';
import { modelKinds } from '../../models/registry.js';
import { storeInteractions } from './train.js';
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
}

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new LayerwiseError('invalid_argument', `--${name} must be an integer ≥ ${min}, got '${v}'`);
  return n;
}

/** The JSON form: one entry per model. */
export function resultJson(r: ExperimentResult, dataset: string): Record<string, unknown> {
  return {
    dataset,
    protocol: r.protocol,
    k: r.k,
    seeds: r.seeds,
    data: r.data,
    models: Object.fromEntries(
      r.models.map((m) => [
        m.name,
        {
          kind: m.kind,
          params: m.params,
          fitSeconds: m.fitSeconds,
          evalSeconds: m.evalSeconds,
          metrics: m.metrics,
          coverage: m.coverage,
          gini: m.gini,
          novelty: m.novelty,
          curves: m.curves,
          ...(m.tuning ? { tuning: m.tuning } : {}),
          ...(m.error ? { error: m.error } : {}),
        },
      ]),
    ),
    comparisons: r.comparisons,
    published: publishedFor(dataset, r.protocol, r.k),
  };
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
    .action(async (f: EvalFlags) => {
      if (!PROTOCOLS.includes(f.protocol as ProtocolName)) {
        throw new LayerwiseError(
          'invalid_argument',
          `unknown --protocol '${f.protocol}'; known: ${PROTOCOLS.join(', ')}`,
        );
      }
      const spec = datasetSpec(f.dataset);
      let data: Interactions;
      let dropped = 0;
      if (f.dataset === 'store') {
        data = await withStore(loadConfig({ flags: { dataDir: f.dataDir } }), storeInteractions);
      } else {
        const root = f.dataRoot ?? process.env.LAYERWISE_SHARED_DATA ?? resolve(process.cwd(), '..', 'shared', 'data');
        const path = spec.file === f.dataset ? resolve(f.dataset) : resolve(root, spec.file);
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch (e) {
          throw new LayerwiseError('not_found', `cannot read dataset file ${path}; pass --data-root or a path`, {
            cause: e,
          });
        }
        const options =
          f.threshold !== undefined
            ? { ...spec.interactions, values: 'threshold' as const, threshold: Number(f.threshold) }
            : spec.interactions;
        ({ data, dropped } = Interactions.fromEvents(spec.parse(text), options));
      }
      ctx.io.err(
        `${spec.name}: ${data.nUsers} users × ${data.nItems} items, ${data.nnz} interactions${dropped ? ` (${dropped} events dropped)` : ''}`,
      );
      let params: Record<string, Record<string, unknown>> = {};
      if (f.params) {
        try {
          params = JSON.parse(f.params);
        } catch (e) {
          throw new LayerwiseError('invalid_argument', `--params is not valid JSON: ${f.params}`, { cause: e });
        }
      }
      const kinds = f.models
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const known = new Set(modelKinds());
      for (const kind of kinds)
        if (!known.has(kind))
          throw new LayerwiseError('invalid_argument', `unknown model '${kind}'; known: ${[...known].join(', ')}`);
      const k = int('k', f.k, 1);
      const nSeeds = int('seeds', f.seeds, 1);
      const result = await runExperiment(
        data,
        kinds.map((kind) => ({
          kind,
          ...(params[kind] ? { params: params[kind] } : {}),
          ...(f.tune ? { tune: true } : {}),
        })),
        {
          protocol: f.protocol as ProtocolName,
          ...(f.testFraction ? { protocolOptions: { testFraction: Number(f.testFraction) } } : {}),
          seeds: Array.from({ length: nSeeds }, (_, i) => i + 1),
          k,
          tuning: { trials: int('tune-trials', f.tuneTrials, 1), seconds: Number(f.tuneSeconds) },
          onProgress: (m) => ctx.io.err(m),
        },
      );
      const published = publishedFor(spec.name, f.protocol, k);
      const table = `${formatTable(tableRows(result, published))}\n${formatComparisons(result)}`;
      if (f.json) {
        ctx.io.err(table);
        ctx.io.out(JSON.stringify(resultJson(result, spec.name), null, 2));
      } else ctx.io.out(table);
      if (f.report) {
        const command = `layerwise ${process.argv.slice(2).join(' ')}`;
        writeFileSync(f.report, renderHtmlReport(result, { dataset: spec.name, command }, published));
        ctx.io.err(`report written to ${f.report}`);
      }
      if (result.models.some((m) => m.error)) ctx.setExitCode(1);
    });
};
