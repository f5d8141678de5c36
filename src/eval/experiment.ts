/**
 * The evaluation harness: for each seed, one split by the protocol; every model fitted on its training part and
 * scored on its test part (full ranking); per-metric means with per-user bootstrap CIs (averaged over seeds), mean
 * curves over K, beyond-accuracy measures, optional tuning on a validation split, and paired tests of every model
 * against the best one on the first seed's users. A model that fails is reported and the others go on.
 */

import type { Interactions } from '../models/interactions.js';
import type { ItemFeatures } from '../models/recommender.js';
import { createModel } from '../models/registry.js';
import { type EvalResult, evaluate, METRICS, type MetricName } from './evaluate.js';
import { isRandomProtocol, makeSplit, type ProtocolName, type ProtocolOptions, type Split } from './splits.js';
import { bootstrapCi, type Estimate, meanOf, pairedTest } from './stats.js';
import { type TuneOptions, type TuneResult, tune } from './tune.js';

export interface ModelRun {
  kind: string;
  /** Name in the results (default: the kind; give one when a kind runs twice). */
  label?: string;
  params?: Record<string, unknown>;
  /** Tune on a validation split first (the given params stay fixed). */
  tune?: boolean;
}

export interface ExperimentOptions {
  protocol: ProtocolName;
  protocolOptions?: ProtocolOptions;
  /** Seeds of the random splits (one split for temporal / loo). Default [1]. */
  seeds?: number[];
  k?: number;
  maxK?: number;
  tuning?: Omit<TuneOptions, 'protocol' | 'protocolOptions' | 'fixed' | 'k' | 'signal'>;
  bootstrapSamples?: number;
  /** Metrics of the paired tests against the best model by NDCG (default ['ndcg']). */
  compare?: MetricName[];
  /** Item content for content-aware models (hybrid, content); the others ignore it. */
  itemFeatures?: ItemFeatures;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface MetricSummary extends Estimate {
  /** Mean per seed. */
  seeds: number[];
}

export interface ModelSummary {
  /** The run's label (the kind unless given). */
  name: string;
  kind: string;
  params: Record<string, unknown>;
  fitSeconds: number;
  evalSeconds: number;
  metrics: Record<MetricName, MetricSummary>;
  curves: { k: number[]; recall: number[]; ndcg: number[]; precision: number[] };
  coverage: number;
  gini: number;
  novelty: number;
  tuning?: Omit<TuneResult, 'best'>;
  error?: string;
}

export interface Comparison {
  model: string;
  against: string;
  metric: MetricName;
  meanDiff: number;
  pT: number;
  pRandom: number;
}

export interface ExperimentResult {
  protocol: ProtocolName;
  seeds: number[];
  k: number;
  data: { users: number; items: number; interactions: number; fingerprint: string };
  models: ModelSummary[];
  /** Every model against the best by NDCG@k on each `compare` metric, paired on the first seed's test users. */
  comparisons: Comparison[];
}

function avgArrays(xs: number[][]): number[] {
  return xs[0]!.map((_, i) => meanOf(xs.map((x) => x[i]!)));
}

export async function runExperiment(
  data: Interactions,
  models: readonly ModelRun[],
  o: ExperimentOptions,
): Promise<ExperimentResult> {
  const k = o.k ?? 10;
  const seeds = isRandomProtocol(o.protocol) ? (o.seeds ?? [1]) : [(o.seeds ?? [1])[0]!];
  const log = o.onProgress ?? (() => {});
  const splits: Split[] = seeds.map((s) => makeSplit(o.protocol, data, s, o.protocolOptions ?? {}));
  const summaries: ModelSummary[] = [];
  const firstSeed = new Map<string, Record<MetricName, Float64Array>>();
  for (const run of models) {
    const label = run.label ?? run.kind;
    let params: Record<string, unknown> = { ...(run.params ?? {}) };
    let tuning: TuneResult | undefined;
    try {
      if (run.tune) {
        tuning = await tune(run.kind, splits[0]!.train, {
          ...(o.tuning ?? {}),
          protocol: o.protocol,
          protocolOptions: o.protocolOptions ?? {},
          fixed: params as Record<string, number | string | boolean>,
          k,
          ...(o.signal ? { signal: o.signal } : {}),
        });
        params = tuning.best;
        log(
          `${label}: tuned in ${tuning.seconds.toFixed(1)} s over ${tuning.trials.length} trials → ${JSON.stringify(params)}`,
        );
      }
      const results: EvalResult[] = [];
      let fitSeconds = 0;
      let resolved: Record<string, unknown> = params;
      for (const [si, split] of splits.entries()) {
        const model = createModel(run.kind, params);
        resolved = { ...model.params };
        const rep = await model.fit(split.train, {
          seed: seeds[si]!,
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.itemFeatures ? { itemFeatures: o.itemFeatures } : {}),
        });
        fitSeconds += rep.seconds;
        const r = evaluate(model, split, { k, maxK: o.maxK ?? 20, ...(o.signal ? { signal: o.signal } : {}) });
        results.push(r);
        log(`${label} seed ${seeds[si]}: fit ${rep.seconds.toFixed(2)} s, NDCG@${k} ${r.means.ndcg.toFixed(4)}`);
      }
      firstSeed.set(label, results[0]!.perUser);
      const metrics = {} as Record<MetricName, MetricSummary>;
      for (const m of METRICS) {
        const cis = results.map((r, i) =>
          bootstrapCi(r.perUser[m], { samples: o.bootstrapSamples ?? 500, seed: seeds[i]! }),
        );
        metrics[m] = {
          mean: meanOf(cis.map((c) => c.mean)),
          lo: meanOf(cis.map((c) => c.lo)),
          hi: meanOf(cis.map((c) => c.hi)),
          n: cis[0]!.n,
          seeds: cis.map((c) => c.mean),
        };
      }
      const s: ModelSummary = {
        name: label,
        kind: run.kind,
        params: resolved,
        fitSeconds: fitSeconds / splits.length,
        evalSeconds: meanOf(results.map((r) => r.seconds)),
        metrics,
        curves: {
          k: results[0]!.curves.k,
          recall: avgArrays(results.map((r) => r.curves.recall)),
          ndcg: avgArrays(results.map((r) => r.curves.ndcg)),
          precision: avgArrays(results.map((r) => r.curves.precision)),
        },
        coverage: meanOf(results.map((r) => r.coverage)),
        gini: meanOf(results.map((r) => r.gini)),
        novelty: meanOf(results.map((r) => r.novelty)),
      };
      if (tuning) s.tuning = { bestScore: tuning.bestScore, trials: tuning.trials, seconds: tuning.seconds };
      summaries.push(s);
    } catch (e) {
      if (o.signal?.aborted) throw e;
      const message = e instanceof Error ? e.message : String(e);
      log(`${label}: failed: ${message}`);
      summaries.push({
        name: label,
        kind: run.kind,
        params,
        fitSeconds: Number.NaN,
        evalSeconds: Number.NaN,
        metrics: Object.fromEntries(
          METRICS.map((m) => [m, { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, n: 0, seeds: [] }]),
        ) as unknown as Record<MetricName, MetricSummary>,
        curves: { k: [], recall: [], ndcg: [], precision: [] },
        coverage: Number.NaN,
        gini: Number.NaN,
        novelty: Number.NaN,
        error: message,
      });
    }
  }
  const ok = summaries.filter((s) => !s.error);
  const comparisons: Comparison[] = [];
  if (ok.length > 1) {
    const best = ok.reduce((a, b) => (b.metrics.ndcg.mean > a.metrics.ndcg.mean ? b : a));
    for (const metric of o.compare ?? ['ndcg']) {
      for (const s of ok) {
        if (s === best) continue;
        const t = pairedTest(firstSeed.get(s.name)![metric], firstSeed.get(best.name)![metric], { seed: 1 });
        comparisons.push({
          model: s.name,
          against: best.name,
          metric,
          meanDiff: t.meanDiff,
          pT: t.pT,
          pRandom: t.pRandom,
        });
      }
    }
  }
  return {
    protocol: o.protocol,
    seeds,
    k,
    data: { users: data.nUsers, items: data.nItems, interactions: data.nnz, fingerprint: data.fingerprint() },
    models: summaries,
    comparisons,
  };
}
