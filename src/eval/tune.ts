/**
 * Hyper-parameter search on a validation split: the training data is split again by the same protocol (another
 * seed), each candidate is fitted on the inner training part and scored on the validation part. Grid (ranges
 * expanded to 4 points) or random search, seeded, bounded by a trial count and a time budget. The defaults are
 * always the first candidate, so tuning never returns worse than the defaults on validation.
 */
import { Rng } from '../core/rng.js';
import type { Interactions } from '../models/interactions.js';
import type { ItemFeatures, ParamSpace } from '../models/recommender.js';
import { modelSpec } from '../models/registry.js';
import { evaluate, type MetricName } from './evaluate.js';
import { makeSplit, type ProtocolName, type ProtocolOptions } from './splits.js';

export type ParamValue = number | string | boolean;
export type ParamSet = Record<string, ParamValue>;

export interface TuneOptions {
  protocol: ProtocolName;
  protocolOptions?: ProtocolOptions;
  mode?: 'grid' | 'random';
  /** Candidates tried at most (default 12, the defaults included). */
  trials?: number;
  /** Stop starting new candidates after this many seconds (default 60). */
  seconds?: number;
  seed?: number;
  k?: number;
  /** Validation metric to maximise (default ndcg). */
  metric?: MetricName;
  /** Fixed params applied to every candidate (not searched). */
  fixed?: ParamSet;
  /** Item content for content-aware models. */
  itemFeatures?: ItemFeatures;
  signal?: AbortSignal;
}

export interface TuneResult {
  best: ParamSet;
  bestScore: number;
  trials: { params: ParamSet; score: number; seconds: number; error?: string }[];
  seconds: number;
}

function rangePoints(r: { min: number; max: number; log?: boolean; int?: boolean }, n = 4): number[] {
  const pts: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = i / (n - 1);
    const v = r.log ? Math.exp(Math.log(r.min) + f * (Math.log(r.max) - Math.log(r.min))) : r.min + f * (r.max - r.min);
    pts.push(r.int ? Math.round(v) : Number(v.toPrecision(3)));
  }
  return pts;
}

function sample(s: ParamSpace, rng: Rng): ParamValue {
  if (Array.isArray(s)) return rng.pick(s as ParamValue[]);
  const r = s as { min: number; max: number; log?: boolean; int?: boolean };
  const v = r.log ? Math.exp(rng.uniform(Math.log(r.min), Math.log(r.max))) : rng.uniform(r.min, r.max);
  return r.int ? Math.round(v) : Number(v.toPrecision(3));
}

/** The candidate list: defaults first, then grid points (shuffled, seeded) or random draws. */
export function candidates(
  defaults: Readonly<Record<string, unknown>>,
  space: Readonly<Record<string, ParamSpace>>,
  mode: 'grid' | 'random',
  trials: number,
  rng: Rng,
): ParamSet[] {
  const base = { ...defaults } as ParamSet;
  const keys = Object.keys(space);
  const out: ParamSet[] = [base];
  const seen = new Set([JSON.stringify(base)]);
  const push = (p: ParamSet): void => {
    const key = JSON.stringify(p);
    if (!seen.has(key) && out.length < trials) {
      seen.add(key);
      out.push(p);
    }
  };
  if (mode === 'grid') {
    let grid: ParamSet[] = [{ ...base }];
    for (const k of keys) {
      const s = space[k]!;
      const vals: ParamValue[] = Array.isArray(s)
        ? [...(s as ParamValue[])]
        : rangePoints(s as { min: number; max: number });
      grid = grid.flatMap((g) => vals.map((v) => ({ ...g, [k]: v })));
    }
    for (const g of rng.shuffle(grid)) push(g);
  } else {
    for (let t = 0; t < trials * 4 && out.length < trials; t++) {
      const p = { ...base };
      for (const k of keys) p[k] = sample(space[k]!, rng);
      push(p);
    }
  }
  return out;
}

/** Searches the registered space of `kind` on a validation split of `train`. */
export async function tune(kind: string, train: Interactions, o: TuneOptions): Promise<TuneResult> {
  const t0 = performance.now();
  const spec = modelSpec(kind);
  const seed = o.seed ?? 1;
  const rng = new Rng(seed ^ 0x7e57);
  const inner = makeSplit(o.protocol, train, seed + 7919, o.protocolOptions ?? {});
  const defaults = { ...spec.defaults, ...(o.fixed ?? {}) };
  const list = candidates(defaults, spec.space, o.mode ?? 'random', o.trials ?? 12, rng).map((c) => ({
    ...c,
    ...(o.fixed ?? {}),
  }));
  const budget = (o.seconds ?? 60) * 1000;
  const metric = o.metric ?? 'ndcg';
  const trials: TuneResult['trials'] = [];
  let best = list[0]!;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const params of list) {
    if (trials.length > 0 && performance.now() - t0 > budget) break;
    const s0 = performance.now();
    try {
      const model = spec.create(params);
      await model.fit(inner.train, {
        seed,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.itemFeatures ? { itemFeatures: o.itemFeatures } : {}),
      });
      const score = evaluate(model, inner, { k: o.k ?? 10, auc: false }).means[metric];
      trials.push({ params, score, seconds: (performance.now() - s0) / 1000 });
      if (score > bestScore) {
        bestScore = score;
        best = params;
      }
    } catch (e) {
      if (o.signal?.aborted) throw e;
      trials.push({
        params,
        score: Number.NaN,
        seconds: (performance.now() - s0) / 1000,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return { best, bestScore, trials, seconds: (performance.now() - t0) / 1000 };
}
