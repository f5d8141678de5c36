/**
 * The evaluate use case: offline evaluation of recommenders on a public dataset (by name, from the shared data
 * folder), an events file, or the store's events — split by a protocol, fit, full-ranking metrics with CIs, paired
 * tests, optional tuning — and its renderings (JSON, text table, self-contained HTML report).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import { DATASET_CONTENT } from '../../eval/content.js';
import { datasetSpec } from '../../eval/datasets.js';
import { type ExperimentResult, runExperiment } from '../../eval/experiment.js';
import { publishedFor } from '../../eval/published.js';
import { renderHtmlReport } from '../../eval/report-html.js';
import { formatComparisons, formatTable, tableRows } from '../../eval/report-text.js';
import { PROTOCOLS, type ProtocolName } from '../../eval/splits.js';
import { buildItemFeatures, type ItemFeatures } from '../../models/content.js';
import { Interactions } from '../../models/interactions.js';
import type { Store } from '../../store/ports.js';
import { parseFeatureBlocks, storeItemFeatures } from '../features/item-features.js';
import { chooseShapeEncoder } from '../shapes/embedder.js';
import { checkModelKinds, storeInteractions } from '../train/train.js';

export interface EvalData {
  /** The dataset's display name (e.g. `ml-100k`, `store`, or the file name). */
  name: string;
  data: Interactions;
  /** Events dropped while building the matrix (unparseable or below the threshold). */
  dropped: number;
}

export interface LoadEvalDataOptions {
  /** `ml-100k` | `ml-latest-small` | `lastfm` | `store` | a delimited events file (user,item[,value[,time]]). */
  dataset: string;
  /** Folder of the named datasets (default $LAYERWISE_SHARED_DATA or ../shared/data). */
  dataRoot?: string;
  /** Keep only ratings ≥ threshold as positives. */
  threshold?: number;
  /** Opens the store for `dataset: 'store'`. */
  withStore?: <T>(fn: (store: Store) => Promise<T>) => Promise<T>;
}

/** Reads the evaluation data; `not_found` when the file cannot be read, `invalid_argument` for `store` without one. */
export async function loadEvalData(o: LoadEvalDataOptions): Promise<EvalData> {
  const spec = datasetSpec(o.dataset);
  if (o.dataset === 'store') {
    if (!o.withStore) throw new LayerwiseError('invalid_argument', 'dataset "store" needs a store');
    return { name: spec.name, data: await o.withStore(storeInteractions), dropped: 0 };
  }
  const root = o.dataRoot ?? process.env.LAYERWISE_SHARED_DATA ?? resolve(process.cwd(), '..', 'shared', 'data');
  const path = spec.file === o.dataset ? resolve(o.dataset) : resolve(root, spec.file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new LayerwiseError('not_found', `cannot read dataset file ${path}; pass --data-root or a path`, {
      cause: e,
    });
  }
  const options =
    o.threshold !== undefined
      ? { ...spec.interactions, values: 'threshold' as const, threshold: o.threshold }
      : spec.interactions;
  const { data, dropped } = Interactions.fromEvents(spec.parse(text), options);
  return { name: spec.name, data, dropped };
}

export interface EvaluateOptions {
  protocol: string;
  kinds: readonly string[];
  params?: Record<string, Record<string, unknown>>;
  k: number;
  seeds: number;
  tune?: boolean;
  tuneTrials?: number;
  tuneSeconds?: number;
  testFraction?: number;
  /** Item content for content-aware models (loadEvalFeatures). */
  itemFeatures?: ItemFeatures;
  onProgress?: (message: string) => void;
}

/**
 * Item content for `--item-features`: 'none'; for the store, 'store' (every block with data) or a block list
 * (shape,tags,print,creator,remix); for a named public dataset, the content it has (any value but 'none':
 * MovieLens genres/decade/title words/tags, Last.fm artist-name words; hashed tokens). `not_found` for a dataset
 * without content.
 */
export async function loadEvalFeatures(
  d: EvalData,
  which: string,
  o: Pick<LoadEvalDataOptions, 'dataRoot' | 'withStore'> & { shapeEncoder?: string } = {},
): Promise<ItemFeatures | undefined> {
  if (which === 'none') return undefined;
  if (d.name === 'store') {
    if (!o.withStore) throw new LayerwiseError('invalid_argument', '--item-features with the store needs a store');
    const blocks = parseFeatureBlocks(which);
    return o.withStore(async (store) =>
      storeItemFeatures(store, {
        encoder: await chooseShapeEncoder(store, o.shapeEncoder),
        ...(blocks ? { blocks } : {}),
      }),
    );
  }
  const content = DATASET_CONTENT[d.name];
  if (!content)
    throw new LayerwiseError(
      'not_found',
      `dataset '${d.name}' has no item content; known: store, ${Object.keys(DATASET_CONTENT).join(', ')}`,
    );
  const root = o.dataRoot ?? process.env.LAYERWISE_SHARED_DATA ?? resolve(process.cwd(), '..', 'shared', 'data');
  const texts = content.files.map((f) => {
    try {
      return readFileSync(resolve(root, f), 'latin1');
    } catch (e) {
      throw new LayerwiseError('not_found', `cannot read item content ${resolve(root, f)}`, { cause: e });
    }
  });
  return buildItemFeatures(content.parse(texts), { blocks: ['tags'], tokenBuckets: 512 });
}

export interface Evaluation {
  result: ExperimentResult;
  /** The JSON form (one entry per model, with the published numbers to compare with). */
  json: Record<string, unknown>;
  /** The text table with the paired comparisons. */
  table: string;
  /** A self-contained HTML report. */
  html: (command: string) => string;
}

/** Runs the experiment; models that fail carry an `error` in the result, the others still report. */
export async function evaluateRecommenders(d: EvalData, o: EvaluateOptions): Promise<Evaluation> {
  checkEvaluateOptions(o);
  const params = o.params ?? {};
  const result = await runExperiment(
    d.data,
    o.kinds.map((kind) => ({
      kind,
      ...(params[kind] ? { params: params[kind] } : {}),
      ...(o.tune ? { tune: true } : {}),
    })),
    {
      protocol: o.protocol as ProtocolName,
      ...(o.testFraction !== undefined ? { protocolOptions: { testFraction: o.testFraction } } : {}),
      seeds: Array.from({ length: o.seeds }, (_, i) => i + 1),
      k: o.k,
      tuning: { trials: o.tuneTrials ?? 12, seconds: o.tuneSeconds ?? 60 },
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.itemFeatures ? { itemFeatures: o.itemFeatures } : {}),
      ...(o.protocol === 'cold-items' ? { compare: ['ndcg', 'recall', 'recallAll'] as const } : {}),
    },
  );
  const published = publishedFor(d.name, o.protocol, o.k);
  return {
    result,
    json: resultJson(result, d.name),
    table: `${formatTable(tableRows(result, published))}\n${formatComparisons(result)}`,
    html: (command) => renderHtmlReport(result, { dataset: d.name, command }, published),
  };
}

/** Throws `invalid_argument` for an unknown protocol or model kind (before any data is read). */
export function checkEvaluateOptions(o: Pick<EvaluateOptions, 'protocol' | 'kinds'>): void {
  if (!PROTOCOLS.includes(o.protocol as ProtocolName)) {
    throw new LayerwiseError('invalid_argument', `unknown --protocol '${o.protocol}'; known: ${PROTOCOLS.join(', ')}`);
  }
  checkModelKinds(o.kinds);
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
