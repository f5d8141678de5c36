/**
 * Model selection for serving: each model is validated on a held-out split of the data (random per-user hold-out
 * by default), then refitted on all the data; the artifact records the validation metrics. The best model by
 * validation NDCG@k is the one to activate. Pure: the caller reads events and writes artifacts (see `layerwise
 * train`). A `baseline` configuration (the serving version's kind and parameters) is validated on the very same
 * split, so a promotion gate compares like with like.
 */

import { configHash } from '../models/artifact.js';
import type { Interactions } from '../models/interactions.js';
import { type ItemFeatures, isContentAware } from '../models/recommender.js';
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
  /** The content blocks the model reads (content-aware models fitted with item features), else empty. */
  features: { name: string; dim: number }[];
}

export interface TrainSelectOptions {
  k?: number;
  protocol?: ProtocolName;
  seed?: number;
  params?: Record<string, Record<string, unknown>>;
  /** Item content for content-aware models (hybrid, content); the others ignore it. */
  itemFeatures?: ItemFeatures;
  /** Called when a stage of a candidate starts and ends (validate fit, validate, refit, save). */
  onStage?: (stage: TrainStage) => void;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /**
   * Validate on at most this many held-out users, drawn at random (default 5,000): NDCG@10 then comes with a 95%
   * bootstrap interval of about ±0.01 instead of costing a full ranking of every user against every item.
   */
  validationUsers?: number;
  /**
   * Also validate this configuration on the same split (fit on its training part, score its held-out part; no
   * refit, nothing saved): the serving version's kind and parameters, for a promotion gate.
   */
  baseline?: { kind: string; params: Record<string, unknown> };
}

/** The baseline's validation metrics on the candidates' split, or why it could not be validated. */
export type BaselineResult =
  | { kind: string; metrics: Record<string, number>; error?: undefined }
  | { kind: string; metrics?: undefined; error: string };

/** One stage of one candidate: what `layerwise train` prints as progress. */
export interface TrainStage {
  kind: string;
  stage: 'validate-fit' | 'validate' | 'refit' | 'save';
  /** Seconds the stage took (on its end event). */
  seconds?: number;
  /** Epoch progress of a fit stage (0-based epoch just finished, of `epochs` when the model has a count). */
  epoch?: number;
  epochs?: number;
  /** Users ranked so far of `total` (validate stage): for a bar with an ETA. */
  done?: number;
  total?: number;
}

export interface TrainSelectResult {
  artifacts: TrainedArtifact[];
  /** Index into artifacts of the best by validation NDCG, or −1 when all failed. */
  best: number;
  errors: { kind: string; message: string }[];
  /** With `o.baseline`. */
  baseline?: BaselineResult;
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
  const fitOpts = {
    seed,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.itemFeatures ? { itemFeatures: o.itemFeatures } : {}),
  };
  const stage = async <T>(kind: string, name: TrainStage['stage'], run: () => T | Promise<T>): Promise<T> => {
    o.onStage?.({ kind, stage: name });
    const t0 = performance.now();
    const r = await run();
    o.onStage?.({ kind, stage: name, seconds: (performance.now() - t0) / 1000 });
    return r;
  };
  const epochs = (kind: string, name: TrainStage['stage'], model: { params: object }) => {
    const total = (model.params as { epochs?: unknown }).epochs;
    const extra = typeof total === 'number' ? { epochs: total } : {};
    return {
      onEpoch: (epoch: number, info: { seconds: number }) =>
        o.onStage?.({ kind, stage: name, epoch, seconds: info.seconds, ...extra }),
    };
  };
  /** Fits `kind` on the split's training part and scores its held-out part. */
  const validate = async (kind: string, params: Record<string, unknown>) => {
    const probe = createModel(kind, params);
    await stage(kind, 'validate-fit', () =>
      probe.fit(split.train, { ...fitOpts, ...epochs(kind, 'validate-fit', probe) }),
    );
    const ev = await stage(kind, 'validate', () =>
      evaluate(probe, split, {
        k,
        auc: false,
        sampleUsers: o.validationUsers ?? 5000,
        sampleSeed: seed,
        onProgress: (done, total) => o.onStage?.({ kind, stage: 'validate', done, total }),
      }),
    );
    return { ev, hash: configHash(kind, probe.params) };
  };
  const validated = new Map<string, Record<string, number>>();
  for (const kind of kinds) {
    try {
      const params = o.params?.[kind] ?? {};
      const { ev, hash } = await validate(kind, params);
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
      const rep = await stage(kind, 'refit', () => model.fit(data, { ...fitOpts, ...epochs(kind, 'refit', model) }));
      report.losses = rep.losses ?? [];
      // catalogue items with content but no events yet get their content factor: servable before any event
      if (o.itemFeatures && isContentAware(model)) {
        const { added } = model.addItems(o.itemFeatures);
        if (added > 0) log(`${kind}: ${added} items without events scored by content`);
      }
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
      validated.set(hash, metrics);
      const bytes = await stage(kind, 'save', () => model.save(metrics));
      artifacts.push({
        kind,
        params: { ...model.params },
        configHash: configHash(kind, model.params),
        metrics,
        report,
        bytes,
        features: isContentAware(model) ? model.featureBlocks.map((b) => ({ name: b.name, dim: b.dim })) : [],
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
  if (o.baseline === undefined) return { artifacts, best, errors };
  return { artifacts, best, errors, baseline: await validateBaseline(o.baseline, validated, validate, k) };
}

/** The baseline's metrics: a candidate's own when it has the same configuration (same split, same seed), else fit. */
async function validateBaseline(
  b: NonNullable<TrainSelectOptions['baseline']>,
  validated: ReadonlyMap<string, Record<string, number>>,
  validate: (kind: string, params: Record<string, unknown>) => Promise<{ ev: { means: Record<string, number> } }>,
  k: number,
): Promise<BaselineResult> {
  try {
    const same = validated.get(configHash(b.kind, createModel(b.kind, b.params).params));
    if (same !== undefined) return { kind: b.kind, metrics: same };
    const { ev } = await validate(b.kind, b.params);
    const m = ev.means;
    return {
      kind: b.kind,
      metrics: { ndcg: m.ndcg!, recall: m.recall!, precision: m.precision!, map: m.map!, hitRate: m.hitRate!, k },
    };
  } catch (e) {
    return { kind: b.kind, error: e instanceof Error ? e.message : String(e) };
  }
}
