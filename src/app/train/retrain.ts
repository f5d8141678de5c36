/**
 * Scheduled retraining with a promotion gate. `retrainOnce` retrains when enough new events arrived since the last
 * trained version (or when forced), validates the candidates on a held-out split, and promotes the best only when
 * it is not worse than the serving version on the gate metric (candidate ≥ active × (1 − tolerance); a negative
 * tolerance demands an improvement). Rejected candidates stay stored but inactive. Older versions beyond the newest
 * `keep` (never the active one) are pruned, so there is always something to roll back to. Every promotion,
 * rejection, rollback and pruning is appended to the store's model-change log. `scheduleRetraining` runs it on an
 * in-process timer; a job scheduler can call `retrainOnce` directly instead.
 *
 * The gate compares validation metrics measured on the data each version was trained on (the candidate's split of
 * today's events against the active version's recorded split): a fair comparison when the data grew by a small
 * fraction, and the reason the default tolerance is small rather than zero.
 */
import { LayerwiseError } from '../../core/errors.js';
import { SERVING_MODEL_NAME } from '../../models/registry.js';
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
  active: { version: number; metric: number | null } | null;
  pruned: number[];
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
  const active = await store.getActiveModel(name);
  const versions = await store.listModels(name);
  const newest = versions.reduce<ModelArtifact | null>((b, a) => (b === null || a.version > b.version ? a : b), null);
  const events = await store.countEvents();
  const newEvents = Math.max(0, events - trainedEvents(newest));
  const activeInfo = active ? { version: active.version, metric: metricOf(active, metric) } : null;
  const base = { newEvents, active: activeInfo, pruned: [] as number[] };
  const minNew = policy.minNewEvents ?? 1000;
  if (!o.force && newest !== null && newEvents < minNew) {
    return { ...base, action: 'skipped', reason: `${newEvents} new events < ${minNew}`, candidate: null };
  }
  const activeKind = (active?.config as { kind?: unknown } | undefined)?.kind;
  const kinds = policy.kinds ?? [typeof activeKind === 'string' ? activeKind : 'ials'];
  let summary: Awaited<ReturnType<typeof trainFromStore>>;
  try {
    summary = await trainFromStore(store, {
      kinds,
      activate: false,
      ...(policy.k !== undefined ? { k: policy.k } : {}),
      ...(policy.seed !== undefined ? { seed: policy.seed } : {}),
      ...(policy.params !== undefined ? { params: policy.params } : {}),
      extraConfig: { events },
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
  const bar = activeInfo?.metric == null ? null : activeInfo.metric * (1 - tolerance);
  const passes = bar === null || value >= bar;
  const numbers = `${metric} ${value.toFixed(4)} vs ${activeInfo?.metric == null ? 'none' : activeInfo.metric.toFixed(4)} active (tolerance ${tolerance})`;
  const details = { metric, candidate: value, active: activeInfo?.metric ?? null, tolerance, newEvents, kinds };
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
  const previous = (await store.getActiveModel(name))?.version ?? null;
  await store.setActiveModel(name, version);
  return store.recordModelChange({ name, version, action: 'activate', previous, reason, details: null });
}

/**
 * Rolls back to `version`, or else to the version that served before the current one (from the change log), or else
 * the newest older stored version. Recorded as `rollback`.
 */
export async function rollback(store: Store, name: string, version?: number): Promise<ModelChange> {
  const active = await store.getActiveModel(name);
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
  if ((await store.getModel(name, target)) === null) {
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
