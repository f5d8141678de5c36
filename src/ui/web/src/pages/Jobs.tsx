/**
 * Jobs: the background jobs of the deployment (ingest, embed, thumbnail, train, sweep, score) as every process
 * recorded them — state, progress, attempts, the worker that ran it and the last error — newest first, filtered by
 * state; refreshed every 2 s while any job is still waiting, running or waiting for a retry.
 */
import { useEffect, useState } from 'react';
import { api, type JobInfo } from '../api';
import { Status } from '../components/common';
import { useAsync } from '../router';

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '–');

export function JobsPage() {
  const [state, setState] = useState<string>('');
  const list = useAsync(() => api.jobs(state || undefined), [state]);
  const busy = (list.data ?? []).some((j) => j.state === 'waiting' || j.state === 'active' || j.state === 'delayed');
  const { reload } = list;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload is a fresh function each render; busy decides
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(reload, 2000);
    return () => clearInterval(t);
  }, [busy]);
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <p className="muted small">
        Ingest, embedding, thumbnail, training, sweep and batch-scoring jobs of every process (
        <code>layerwise jobs</code>, <code>GET /v1/jobs</code>). A failed attempt is retried with backoff (
        <em>delayed</em> until then).
      </p>
      <label>
        State{' '}
        <select value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">all</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <Status loading={list.loading && !list.data} error={list.error} />
      {list.data && list.data.length === 0 && <p role="status">No jobs{state ? ` in state ${state}` : ''}.</p>}
      {list.data && list.data.length > 0 && <JobTable jobs={list.data} />}
    </section>
  );
}

function JobTable({ jobs }: { jobs: JobInfo[] }) {
  return (
    <div className="table-wrap">
      <table className="models" data-testid="jobs">
        <caption className="visually-hidden">Background jobs</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">Progress</th>
            <th scope="col">Attempts</th>
            <th scope="col">Worker</th>
            <th scope="col">Updated</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <th scope="row">
                <code>{j.id}</code>
              </th>
              <td>{j.kind}</td>
              <td>
                <span className={`badge ${j.state}`}>{j.state}</span>
              </td>
              <td>
                <progress max={1} value={j.progress} aria-label={`progress of ${j.id}`} />{' '}
                {Math.round(j.progress * 100)} %
              </td>
              <td>
                {j.attempts} / {j.maxAttempts}
              </td>
              <td>{j.worker ?? '–'}</td>
              <td>{when(j.updatedAt)}</td>
              <td className="error-text">{j.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
