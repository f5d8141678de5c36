/**
 * Experiments: every A/B test with its status and verdict; one test's arms (model, rules, share), traffic, online
 * metrics per arm with 95 % confidence intervals (per shown item and per user), the primary metric over time, the
 * always-valid p-value over time against α, and Start / Stop (admin routes: the UI sends no key, so this works in
 * the default open, localhost-only configuration).
 */
import { useState } from 'react';
import { api, type ExperimentInfo, type ExperimentReadout } from '../api';
import { BarChart, LineChart } from '../components/charts';
import { Status } from '../components/common';
import { href, useAsync } from '../router';

const METRICS = ['view', 'like', 'download', 'make'] as const;
const LABEL: Record<(typeof METRICS)[number], string> = {
  view: 'Click-through',
  like: 'Like rate',
  download: 'Download rate',
  make: 'Make rate',
};
const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '–');

export function ExperimentsPage({ id }: { id?: string }) {
  const list = useAsync(() => api.experiments(), [id]);
  return (
    <section aria-labelledby="exp-title">
      <h1 id="exp-title">Experiments</h1>
      <Status loading={list.loading && !list.data} error={list.error} />
      {list.data && list.data.length === 0 && (
        <p role="status">
          No experiments yet. Create one with <code>POST /v1/experiments</code> or{' '}
          <code>layerwise experiments create</code>.
        </p>
      )}
      {list.data && list.data.length > 0 && <ExperimentList items={list.data} current={id} />}
      {id && <ExperimentDetail id={id} onChange={list.reload} />}
    </section>
  );
}

function ExperimentList({ items, current }: { items: ExperimentInfo[]; current: string | undefined }) {
  return (
    <div className="table-wrap">
      <table className="models">
        <caption className="visually-hidden">Experiments</caption>
        <thead>
          <tr>
            <th scope="col">Experiment</th>
            <th scope="col">Status</th>
            <th scope="col">Arms</th>
            <th scope="col">Started</th>
            <th scope="col">Stopped</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} className={e.id === current ? 'active' : undefined}>
              <th scope="row">
                <a href={href.experiments(e.id)}>{e.name}</a>
              </th>
              <td>
                <span className={`badge ${e.status}`}>{e.status}</span>
              </td>
              <td>{e.arms.map((a) => a.name).join(' vs ')}</td>
              <td>{when(e.startedAt)}</td>
              <td>{when(e.stoppedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ExperimentDetail({ id, onChange }: { id: string; onChange: () => void }) {
  const r = useAsync(() => api.experimentReadout(id), [id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const act = async (what: 'start' | 'stop') => {
    setBusy(true);
    setError(undefined);
    try {
      await (what === 'start' ? api.startExperiment(id) : api.stopExperiment(id));
      r.reload();
      onChange();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const data = r.data;
  return (
    <article aria-labelledby="exp-detail" className="experiment">
      <Status loading={r.loading && !data} error={r.error ?? error} />
      {data && <Readout data={data} busy={busy} act={act} />}
    </article>
  );
}

function Readout({
  data,
  busy,
  act,
}: {
  data: ExperimentReadout;
  busy: boolean;
  act: (what: 'start' | 'stop') => void;
}) {
  const e = data.experiment;
  const metric = data.settings.primaryMetric;
  const t0 = data.series.at[0] ?? 0;
  const hours = (t: number) => Math.round(((t - t0) / 3_600_000) * 100) / 100;
  return (
    <>
      <h2 id="exp-detail">{e.name}</h2>
      <p>
        <span className={`badge ${e.status}`}>{e.status}</span> <span className="muted small">id {e.id}</span>{' '}
        {e.status === 'draft' && (
          <button type="button" disabled={busy} onClick={() => act('start')}>
            Start
          </button>
        )}
        {e.status === 'running' && (
          <button type="button" disabled={busy} onClick={() => act('stop')}>
            Stop
          </button>
        )}
      </p>
      <p className={`verdict ${data.verdict.state}`} role="status" data-testid="verdict">
        <strong>Verdict:</strong> {data.verdict.text}
      </p>
      <p className="muted small">
        Primary metric: {LABEL[metric]} per shown item. Each arm is compared with {data.arms[0]?.name} (the control) by
        a mixture sequential probability ratio test: the p-value stays valid however often this page is looked at (α ={' '}
        {data.settings.alpha}
        {data.arms.length > 2 ? `, split over ${data.arms.length - 1} comparisons` : ''}); no verdict before{' '}
        {data.settings.minUsers} users per arm.
      </p>
      <div className="table-wrap">
        <table className="models" data-testid="arms">
          <caption className="visually-hidden">Arms and their online metrics</caption>
          <thead>
            <tr>
              <th scope="col">Arm</th>
              <th scope="col">Model</th>
              <th scope="col">Share</th>
              <th scope="col">Users</th>
              <th scope="col">Items shown</th>
              {METRICS.map((m) => (
                <th scope="col" key={m}>
                  {LABEL[m]} (95 % CI)
                </th>
              ))}
              <th scope="col">Users who clicked</th>
            </tr>
          </thead>
          <tbody>
            {data.arms.map((a) => (
              <tr key={a.name} className={data.verdict.arm === a.name ? 'active' : undefined}>
                <th scope="row">{a.name}</th>
                <td>
                  {a.model ?? 'active model'}
                  {a.rules ? ` + ${JSON.stringify(a.rules)}` : ''}
                </td>
                <td>{a.share}</td>
                <td>{a.users}</td>
                <td>{a.impressions}</td>
                {METRICS.map((m) => {
                  const x = a.metrics[m].perImpression;
                  return (
                    <td key={m}>
                      {pct(x.rate)} ({pct(x.lo)}–{pct(x.hi)})
                    </td>
                  );
                })}
                <td>{pct(a.metrics.view.perUser.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.comparisons.length > 0 && (
        <ul className="comparisons">
          {data.comparisons.map((c) => (
            <li key={c.arm}>
              {c.arm} − {c.control}: {pct(c.difference)} (always-valid CI{' '}
              {c.lo === null || c.hi === null ? 'unbounded yet' : `${pct(c.lo)} to ${pct(c.hi)}`}), p ={' '}
              {c.p.toPrecision(2)}
              {c.significant ? ' — significant' : ''}
            </li>
          ))}
        </ul>
      )}
      <div className="charts">
        <BarChart
          id="exp-bars"
          title={`${LABEL[metric]} per arm with 95% CI`}
          yLabel={LABEL[metric]}
          bars={data.arms.map((a) => ({
            label: a.name,
            value: a.metrics[metric].perImpression.rate,
            lo: a.metrics[metric].perImpression.lo,
            hi: a.metrics[metric].perImpression.hi,
            highlight: data.verdict.arm === a.name,
          }))}
        />
        {data.series.at.length > 1 && (
          <LineChart
            id="exp-rate"
            title={`${LABEL[metric]} over time`}
            xLabel="hours since start"
            yLabel={LABEL[metric]}
            series={data.series.arms.map((s) => ({ label: s.name, x: data.series.at.map(hours), y: s.rate }))}
          />
        )}
        {data.series.at.length > 1 && data.series.p.length > 0 && (
          <LineChart
            id="exp-p"
            title="Always-valid p-value over time"
            xLabel="hours since start"
            yLabel="p-value"
            series={data.series.p.map((p, i) => ({
              label: `${data.comparisons[i]?.arm ?? i} vs control`,
              x: data.series.at.map(hours),
              y: p,
            }))}
          />
        )}
      </div>
    </>
  );
}
