/**
 * How long finished jobs are kept, so that neither Redis nor the store's job records grow forever: BullMQ drops a
 * finished job beyond the age or count (its `removeOnComplete` / `removeOnFail`, set by each worker), and each
 * worker deletes the store's records past the same limits every `pruneEveryMs`. Waiting, active and delayed jobs
 * are never touched. Configured per worker (`layerwise worker --keep-completed 1d,1000 --keep-failed 7d,1000`).
 */
import type { Store } from '../../store/ports.js';

export interface KeepJobs {
  /** Finished longer ago than this, ms: dropped. */
  ageMs: number;
  /** Beyond the newest this many: dropped. */
  count: number;
}

export interface JobRetention {
  completed: KeepJobs;
  failed: KeepJobs;
}

const DAY = 86_400_000;

export const DEFAULT_RETENTION: JobRetention = {
  completed: { ageMs: DAY, count: 1000 },
  failed: { ageMs: 7 * DAY, count: 1000 },
};

/** BullMQ's KeepJobs (age in seconds). */
export function bullKeep(k: KeepJobs): { age: number; count: number } {
  return { age: Math.max(1, Math.round(k.ageMs / 1000)), count: k.count };
}

/** Deletes the store's finished job records past `retention`; returns how many went. */
export async function pruneJobRecords(store: Store, retention: JobRetention, now = Date.now()): Promise<number> {
  let n = 0;
  for (const state of ['completed', 'failed'] as const) {
    const k = retention[state];
    n += await store.pruneJobRecords({ state, finishedBefore: now - k.ageMs, keep: k.count });
  }
  return n;
}
