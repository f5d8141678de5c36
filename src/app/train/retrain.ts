/**
 * Scheduled retraining with a promotion gate. `retrainOnce` retrains when enough new events arrived since the last
 * trained version (or when forced), validates the candidates on a held-out split, and promotes the best only when
 * it is not worse than the serving version on the gate metric (candidate ≥ active × (1 − tolerance); a negative
 * tolerance demands an improvement). Rejected candidates stay stored but inactive. Older versions beyond the newest
 * `keep` (never the active one) are pruned, so there is always something to roll back to. Every promotion,
 * rejection, rollback and pruning is appended to the store's model-change log. `scheduleRetraining` runs it on an
 * in-process timer; a job scheduler can call `retrainOnce` directly instead.
 *
 * The gate compares the candidate and the active version on the SAME validation split of today's events: the
 * active version's configuration (kind and parameters, from its artifact) is fitted on the split's training part and
 * scored on its held-out part, exactly as the candidates are (when it is one of the candidates' configurations, its
 * score is that candidate's). Scoring the active artifact itself would be unfair — it was fitted on most of today's
 * held-out events — and its recorded metric came from an older split of other data (an easier or harder one), which
 * could promote a worse model or reject an equal one. Only when the active version's kind is unknown (an artifact
 * written by other means) does the gate fall back to its recorded metric, and says so.
 */
import { LayerwiseError } from '../../core/errors.js';
import { modelKinds, SERVING_MODEL_NAME } from '../../models/registry.js';
import type { ModelChange } from '../../store/live-ports.js';
import type { ModelArtifact, Store } from '../../store/ports.js';
import { trainFromStore } from './train.js';

export interface RetrainPolicy {
  /** Model kinds to train (default: the active version's kind, else `ials`). */
  kinds?: string[];
  /** Retrain only after this many new events since the last trained version (default 1,000). */
  minNewEvents?: number;
  /** Validation metric of the gate (default `ndcg`). */
  metric?: 'ndcg' | 'recall' | 'precision' | 'map' | 'hitRate';
  /** Promote when candidate ≥ active × (1 − tolerance) (default 0.02). */
  tolerance?: number;
  /** Versions kept besides the active one (default 5). */
  keep?: number;
  k?: number;
  seed?: number;
  params?: Record<string, Record<string, unknown>>;
}

export interface RetrainOutcome {
  action: 'skipped' | 'promoted' | 'rejected' | 'failed';
  reason: string;
  newEvents: number;
  candidate: { version: number; kind: string; metric: number } | null;
  /**
   * The serving version: `metric` on the candidate's split (`split: 'same'`), else its recorded one
   * (`split: 'recorded'`); `recorded` is the metric stored with it.
   */
  active: { version: number; metric: number | null; recorded: number | null; split: 'same' | 'recorded' } | null;
  pruned: number[];
}

/** The kind and parameters a trained artifact records (null when it records no known kind). */
function configOf(a: ModelArtifact | null): { kind: string; params: Record<string, unknown> } | null {
  const c = a?.config as { kind?: unknown; params?: unknown } | undefined;
  if (typeof c?.kind !== 'string' || !modelKinds().includes(c.kind)) return null;
  const params = c.params !== null && typeof c.params === 'object' ? (c.params as Record<string, unknown>) : {};
  return { kind: c.kind, params };
}

/** Events seen by an artifact's training run (recorded in its config), or 0. */
function trainedEvents(a: ModelArtifact | null): number {
  const n = (a?.config as { events?: unknown } | undefined)?.events;
  return typeof n === 'number' ? n : 0;
}

function metricOf(a: ModelArtifact | null, metric: string): number | null {
  const v = (a?.metrics as Record<string, unknown> | null | undefined)?.[metric];
  return typeof v === 'number' ? v : null;
}

export async function retrainOnce(
  store: Store,
  policy: RetrainPolicy = {},
  o: { force?: boolean; onProgress?: (m: string) => void } = {},
): Promise<RetrainOutcome> {
  const name = SERVING_MODEL_NAME;
  const metric = policy.metric ?? 'ndcg';
  const tolerance = policy.tolerance ?? 0.02;
  const active = await store.getActiveModel(name, { payload: false });
  const versions = await store.listModels(name);
  const newest = versions.reduce<ModelArtifact | null>((b, a) => (b === null || a.version > b.version ? a : b), null);
  const events = await store.countEvents();
  const newEvents = Math.max(0, events - trainedEvents(newest));
  const recorded = metricOf(active, metric);
  const activeInfo: RetrainOutcome['active'] = active
    ? { version: active.version, metric: recorded, recorded, split: 'recorded' }
    : null;
  const base = { newEvents, active: activeInfo, pruned: [] as number[] };
  const minNew = policy.minNewEvents ?? 1000;
  if (!o.force && newest !== null && newEvents < minNew) {
    return { ...base, action: 'skipped', reason: `${newEvents} new events < ${minNew}`, candidate: null };
  }
  const activeConfig = configOf(active);
  const kinds = policy.kinds ?? [activeConfig?.kind ?? 'ials'];
  let summary: Awaited<ReturnType<typeof trainFromStore>>;
  try {
    summary = await trainFromStore(store, {
      kinds,
      activate: false,
      ...(policy.k !== undefined ? { k: policy.k } : {}),
      ...(policy.seed !== undefined ? { seed: policy.seed } : {}),
      ...(policy.params !== undefined ? { params: policy.params } : {}),
      extraConfig: { events },
      ...(activeConfig ? { baseline: activeConfig } : {}),
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    });
  } catch (e) {
    return { ...base, action: 'failed', reason: (e as Error).message, candidate: null };
  }
  const best = summary.best;
  if (best === null) {
    const reason = summary.errors.map((e) => `${e.kind}: ${e.message}`).join('; ') || 'no model trained';
    return { ...base, action: 'failed', reason, candidate: null };
  }
  const value = best.metrics[metric] ?? 0;
  const candidate = { version: best.version, kind: best.kind, metric: value };
  const onSplit = summary.baseline?.metrics?.[metric];
  if (activeInfo !== null && onSplit !== undefined) {
    activeInfo.metric = onSplit;
    activeInfo.split = 'same';
  }
  const bar = activeInfo?.metric == null ? null : activeInfo.metric * (1 - tolerance);
  const passes = bar === null || value >= bar;
  const where =
    activeInfo === null
      ? ''
      : activeInfo.split === 'same'
        ? ' on the same split'
        : ` as recorded on its own split (${summary.baseline?.error ?? 'its kind is unknown'})`;
  const numbers = `${metric} ${value.toFixed(4)} vs ${activeInfo?.metric == null ? 'none' : activeInfo.metric.toFixed(4)} active${where} (tolerance ${tolerance})`;
  const details = {
    metric,
    candidate: value,
    active: activeInfo?.metric ?? null,
    activeRecorded: recorded,
    split: activeInfo?.split ?? null,
    tolerance,
    newEvents,
    kinds,
  };
  if (passes) {
    await store.setActiveModel(name, best.version);
    await store.recordModelChange({
      name,
      version: best.version,
      action: 'promote',
      previous: active?.version ?? null,
      reason: `scheduled retrain passed the gate: ${numbers}`,
      details,
    });
  } else {
    await store.recordModelChange({
      name,
      version: best.version,
      action: 'reject',
      previous: active?.version ?? null,
      reason: `scheduled retrain failed the gate: ${numbers}`,
      details,
    });
  }
  const pruned = await pruneVersions(store, name, policy.keep ?? 5);
  return {
    action: passes ? 'promoted' : 'rejected',
    reason: numbers,
    newEvents,
    candidate,
    active: activeInfo,
    pruned,
  };
}

/** Deletes all but the newest `keep` inactive versions of `name`; returns the deleted versions (logged). */
export async function pruneVersions(store: Store, name: string, keep: number): Promise<number[]> {
  if (!(Number.isInteger(keep) && keep >= 1)) {
    throw new LayerwiseError('invalid_argument', `keep must be an integer ≥ 1, got ${keep}`);
  }
  const inactive = (await store.listModels(name)).filter((a) => !a.active).sort((a, b) => b.version - a.version);
  const deleted: number[] = [];
  for (const a of inactive.slice(keep)) {
    if (await store.deleteModel(name, a.version)) {
      deleted.push(a.version);
      await store.recordModelChange({
        name,
        version: a.version,
        action: 'prune',
        previous: null,
        reason: `keeping the newest ${keep} inactive versions`,
        details: null,
      });
    }
  }
  return deleted;
}

/** Activates a version by hand (recorded as `activate`). */
export async function activateVersion(
  store: Store,
  name: string,
  version: number,
  reason = 'activated by an operator',
): Promise<ModelChange> {
  const previous = (await store.getActiveModel(name, { payload: false }))?.version ?? null;
  await store.setActiveModel(name, version);
  return store.recordModelChange({ name, version, action: 'activate', previous, reason, details: null });
}

/**
 * Rolls back to `version`, or else to the version that served before the current one (from the change log), or else
 * the newest older stored version. Recorded as `rollback`.
 */
export async function rollback(store: Store, name: string, version?: number): Promise<ModelChange> {
  const active = await store.getActiveModel(name, { payload: false });
  let target = version;
  if (target === undefined) {
    const changes = await store.listModelChanges({ name, limit: 1000 });
    const stored = new Set((await store.listModels(name)).map((a) => a.version));
    const last = changes.find(
      (c) =>
        c.version === active?.version && (c.action === 'promote' || c.action === 'activate' || c.action === 'rollback'),
    );
    if (last?.previous != null && stored.has(last.previous)) target = last.previous;
    else target = [...stored].filter((v) => active === null || v < active.version).sort((a, b) => b - a)[0];
  }
  if (target === undefined) {
    throw new LayerwiseError(
      'not_found',
      `no version of ${name} to roll back to; list them with layerwise models list`,
    );
  }
  if ((await store.getModel(name, target, { payload: false })) === null) {
    throw new LayerwiseError('not_found', `${name}@${target} does not exist; list versions with layerwise models list`);
  }
  await store.setActiveModel(name, target);
  return store.recordModelChange({
    name,
    version: target,
    action: 'rollback',
    previous: active?.version ?? null,
    reason: active ? `rolled back from ${name}@${active.version}` : 'rolled back',
    details: null,
  });
}

export interface RetrainSchedule {
  /** Runs one check now (waits for a run in progress first). */
  runNow(): Promise<RetrainOutcome>;
  stop(): Promise<void>;
}

/** Checks every `everyMs` (default one hour) and retrains when the policy says so. One run at a time. */
export function scheduleRetraining(
  store: Store,
  policy: RetrainPolicy & { everyMs?: number },
  o: { onResult?: (r: RetrainOutcome) => void; onError?: (e: unknown) => void; onProgress?: (m: string) => void } = {},
): RetrainSchedule {
  let running: Promise<RetrainOutcome> | null = null;
  const run = (): Promise<RetrainOutcome> => {
    if (running) return running;
    running = retrainOnce(store, policy, o.onProgress ? { onProgress: o.onProgress } : {})
      .then((r) => {
        o.onResult?.(r);
        return r;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    run().catch((e) => o.onError?.(e));
  }, policy.everyMs ?? 3_600_000);
  return {
    runNow: run,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
