/**
 * Model selection for serving: each model is validated on a held-out split of the data (random per-user hold-out
 * by default), then refitted on all the data; the artifact records the validation metrics. The best model by
 * validation NDCG@k is the one to activate. Pure: the caller reads events and writes artifacts (see `layerwise
 * train`).
 */

import { configHash } from '../models/artifact.js';
import type { Interactions } from '../models/interactions.js';
import { createModel } from '../models/registry.js';
import { evaluate } from './evaluate.js';
import { makeSplit, type ProtocolName } from './splits.js';
import { bootstrapCi } from './stats.js';

export interface TrainedArtifact {
  kind: string;
  params: Record<string, unknown>;
  configHash: string;
  /** Validation metrics at k (ndcg, recall, precision, map, hitRate) plus fitSeconds. */
  metrics: Record<string, number>;
  /** For dashboards: 95% bootstrap CIs of the validation metrics, NDCG/recall@K curves, training loss per epoch. */
  report: {
    ci: { ndcg: [number, number]; recall: [number, number] };
    curves: { k: number[]; ndcg: number[]; recall: number[] };
    losses: number[];
  };
  bytes: Uint8Array;
}

export interface TrainSelectOptions {
  k?: number;
  protocol?: ProtocolName;
  seed?: number;
  params?: Record<string, Record<string, unknown>>;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /**
   * Validate on at most this many held-out users, drawn at random (default 5,000): NDCG@10 then comes with a 95%
   * bootstrap interval of about ±0.01 instead of costing a full ranking of every user against every item.
   */
  validationUsers?: number;
  /** Progress of each stage (validation fit, validation, final fit) for a bar with an ETA. */
  onStage?: (p: { model: string; stage: string; done: number; total: number | null }) => void;
}

export interface TrainSelectResult {
  artifacts: TrainedArtifact[];
  /** Index into artifacts of the best by validation NDCG, or −1 when all failed. */
  best: number;
  errors: { kind: string; message: string }[];
}

export async function trainAndSelect(
  data: Interactions,
  kinds: readonly string[],
  o: TrainSelectOptions = {},
): Promise<TrainSelectResult> {
  const k = o.k ?? 10;
  const seed = o.seed ?? 1;
  const split = makeSplit(o.protocol ?? 'random', data, seed);
  const log = o.onProgress ?? (() => {});
  const artifacts: TrainedArtifact[] = [];
  const errors: { kind: string; message: string }[] = [];
  const fitOpts = { seed, ...(o.signal ? { signal: o.signal } : {}) };
  for (const kind of kinds) {
    try {
      const params = o.params?.[kind] ?? {};
      const stage = (name: string, total: number | null) => (done: number) =>
        o.onStage?.({ model: kind, stage: name, done, total });
      const probe = createModel(kind, params);
      const epochs = (probe.params as { epochs?: unknown }).epochs;
      const nEpochs = typeof epochs === 'number' ? epochs : null;
      stage('validation fit', nEpochs)(0);
      await probe.fit(split.train, { ...fitOpts, onEpoch: (e: number) => stage('validation fit', nEpochs)(e + 1) });
      const ev = evaluate(probe, split, {
        k,
        auc: false,
        sampleUsers: o.validationUsers ?? 5000,
        sampleSeed: seed,
        onProgress: (done, total) => o.onStage?.({ model: kind, stage: 'validation', done, total }),
      });
      const m = ev.means;
      const ci = (v: Float64Array): [number, number] => {
        const e = bootstrapCi(v, { seed });
        return [e.lo, e.hi];
      };
      const report = {
        ci: { ndcg: ci(ev.perUser.ndcg), recall: ci(ev.perUser.recall) },
        curves: { k: ev.curves.k, ndcg: ev.curves.ndcg, recall: ev.curves.recall },
        losses: [] as number[],
      };
      const model = createModel(kind, params);
      stage('final fit', nEpochs)(0);
      const rep = await model.fit(data, { ...fitOpts, onEpoch: (e: number) => stage('final fit', nEpochs)(e + 1) });
      report.losses = rep.losses ?? [];
      const metrics = {
        ndcg: m.ndcg,
        recall: m.recall,
        precision: m.precision,
        map: m.map,
        hitRate: m.hitRate,
        k,
        fitSeconds: rep.seconds,
        validationUsers: ev.users.length,
        ndcgCiLo: report.ci.ndcg[0],
        ndcgCiHi: report.ci.ndcg[1],
      };
      const bytes = model.save(metrics);
      artifacts.push({
        kind,
        params: { ...model.params },
        configHash: configHash(kind, model.params),
        metrics,
        report,
        bytes,
      });
      log(
        `${kind}: validation NDCG@${k} ${m.ndcg.toFixed(4)} (95% CI ${report.ci.ndcg[0].toFixed(4)}–${report.ci.ndcg[1].toFixed(4)}, ${ev.users.length} users), fit on all data ${rep.seconds.toFixed(2)} s, ${bytes.length} bytes`,
      );
    } catch (e) {
      if (o.signal?.aborted) throw e;
      const message = e instanceof Error ? e.message : String(e);
      errors.push({ kind, message });
      log(`${kind}: failed: ${message}`);
    }
  }
  let best = -1;
  artifacts.forEach((a, i) => {
    if (best < 0 || a.metrics.ndcg! > artifacts[best]!.metrics.ndcg!) best = i;
  });
  return { artifacts, best, errors };
}
