/**
 * Jobs as operators see them: the store's job records (written by whoever runs a job: a cluster worker, the inline
 * queue of an embedded server) in the wire shape of `GET /v1/jobs` and `layerwise jobs`.
 */
import type { JobInfo, JobListQuery, StoredScores } from '../../contract/jobs.js';
import { LayerwiseError } from '../../core/errors.js';
import { JOB_STATES, type JobRecord, type Store } from '../../store/ports.js';

export { JOB_STATES };

const iso = (ms: number): string => new Date(ms).toISOString();

export function jobInfo(r: JobRecord): JobInfo {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    progress: r.progress,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    error: r.error,
    worker: r.worker,
    data: r.data ?? null,
    result: r.result ?? null,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    finishedAt: r.finishedAt === null ? null : iso(r.finishedAt),
  };
}

export async function listJobInfos(store: Store, query: Partial<JobListQuery> = {}): Promise<JobInfo[]> {
  const records = await store.listJobRecords({
    ...(query.state ? { state: query.state } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    limit: query.limit ?? 50,
  });
  return records.map(jobInfo);
}

export async function getJobInfo(store: Store, id: string): Promise<JobInfo> {
  const r = await store.getJobRecord(id);
  if (r === null) throw new LayerwiseError('not_found', `no job ${id}; list jobs with GET /v1/jobs`);
  return jobInfo(r);
}

export async function storedScores(store: Store, userId: string): Promise<StoredScores> {
  const r = (await store.getUserScores([userId])).get(userId);
  if (r === undefined) {
    throw new LayerwiseError(
      'not_found',
      `no stored scores for user ${userId}: a batch-scoring job (\`layerwise jobs add score\`) has not scored them`,
    );
  }
  return { ...r, scoredAt: iso(r.scoredAt) };
}

/** The job service of the API. */
export function jobService(store: Store): {
  list(q: JobListQuery): Promise<JobInfo[]>;
  get(id: string): Promise<JobInfo>;
  scores(userId: string): Promise<StoredScores>;
} {
  return {
    list: (q) => listJobInfos(store, q),
    get: (id) => getJobInfo(store, id),
    scores: (id) => storedScores(store, id),
  };
}
