/**
 * Evaluation dashboard: the trained models' validation results (table, NDCG and recall bars with 95% bootstrap
 * CIs, NDCG@K curves), training loss curves (recommenders with an iterative fit, and the shape encoder), and a
 * 2-D PCA map of the library's shape embeddings coloured by category (a click opens the item). "Print next" models
 * (registry name `sequential`, validated leave-one-out) are listed apart: their metrics are not comparable.
 */
import { api, type ModelInfo } from '../api';
import { BarChart, LineChart, ScatterMap, type Series } from '../components/charts';
import { Status } from '../components/common';
import { href, useAsync } from '../router';

/** The newest version of each model kind (the list comes newest first). */
function latestPerKind(models: ModelInfo[]): ModelInfo[] {
  const seen = new Map<string, ModelInfo>();
  for (const m of [...models].sort((a, b) => b.version - a.version)) if (!seen.has(m.kind)) seen.set(m.kind, m);
  return [...seen.values()].sort((a, b) => (b.metrics.ndcg ?? 0) - (a.metrics.ndcg ?? 0));
}

const f4 = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(4));

export function DashboardPage() {
  const models = useAsync(() => api.models(), []);
  const map = useAsync(() => api.shapeMap(1500), []);
  const list = models.data ? latestPerKind(models.data.filter((m) => m.name !== 'sequential')) : [];
  const sequential = models.data ? latestPerKind(models.data.filter((m) => m.name === 'sequential')) : [];
  const k = list[0]?.metrics.k ?? 10;
  const curves: Series[] = list
    .filter((m) => m.metrics.curves)
    .map((m) => ({ label: m.kind, x: m.metrics.curves!.k, y: m.metrics.curves!.ndcg }));
  const losses: Series[] = list
    .filter((m) => (m.metrics.losses?.length ?? 0) > 1)
    .map((m) => ({ label: m.kind, x: m.metrics.losses!.map((_, i) => i + 1), y: m.metrics.losses! }));
  const encoderLosses = map.data?.encoderLosses ?? [];
  const groups = [...new Set(map.data?.points.map((p) => p.category ?? 'none') ?? [])].sort();

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Evaluation</h1>
      <Status loading={models.loading && !models.data} error={models.error} />
      {models.data && list.length === 0 && (
        <p role="status">No trained models yet: run `layerwise train` (or `npm start`).</p>
      )}
      {list.length > 0 && (
        <>
          <h2>Model comparison</h2>
          <p className="muted small">
            Validation on a random per-user hold-out of the store's events (metrics at K = {k}, 95% per-user bootstrap
            confidence intervals); the active model serves recommendations.
          </p>
          <div className="table-wrap">
            <table className="models">
              <caption className="visually-hidden">Validation metrics per model</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Version</th>
                  <th scope="col">NDCG@{k}</th>
                  <th scope="col">95% CI</th>
                  <th scope="col">Recall@{k}</th>
                  <th scope="col">Precision@{k}</th>
                  <th scope="col">MAP@{k}</th>
                  <th scope="col">Fit (s)</th>
                  <th scope="col">Item features</th>
                </tr>
              </thead>
              <tbody>
                {list.map((m) => (
                  <tr key={m.id} className={m.active ? 'active' : undefined}>
                    <th scope="row">
                      {m.kind}
                      {m.active ? ' (active)' : ''}
                    </th>
                    <td>{m.id}</td>
                    <td>{f4(m.metrics.ndcg)}</td>
                    <td>{m.metrics.ci?.ndcg ? `${f4(m.metrics.ci.ndcg[0])}–${f4(m.metrics.ci.ndcg[1])}` : '–'}</td>
                    <td>{f4(m.metrics.recall)}</td>
                    <td>{f4(m.metrics.precision)}</td>
                    <td>{f4(m.metrics.map)}</td>
                    <td>{m.metrics.fitSeconds?.toFixed(2) ?? '–'}</td>
                    <td data-testid={`features-${m.kind}`}>
                      {m.features && m.features.length > 0
                        ? m.features.map((b) => `${b.name} ${b.dim}`).join(', ')
                        : 'behaviour only'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {sequential.length > 0 && (
            <>
              <h2>Print next models</h2>
              <p className="muted small">
                Sequential models validated leave-one-out (each user's latest event ranked against every item) — not
                comparable with the table above; the active one serves "Print next".
              </p>
              <div className="table-wrap">
                <table className="models sequential-models">
                  <caption className="visually-hidden">Leave-one-out validation of the print-next models</caption>
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col">Version</th>
                      <th scope="col">NDCG@{k}</th>
                      <th scope="col">95% CI</th>
                      <th scope="col">HR@{k}</th>
                      <th scope="col">Fit (s)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sequential.map((m) => (
                      <tr key={m.id} className={m.active ? 'active' : undefined}>
                        <th scope="row">
                          {m.kind}
                          {m.active ? ' (active)' : ''}
                        </th>
                        <td>{m.id}</td>
                        <td>{f4(m.metrics.ndcg)}</td>
                        <td>{m.metrics.ci?.ndcg ? `${f4(m.metrics.ci.ndcg[0])}–${f4(m.metrics.ci.ndcg[1])}` : '–'}</td>
                        <td>{f4(m.metrics.hitRate)}</td>
                        <td>{m.metrics.fitSeconds?.toFixed(2) ?? '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <div className="charts">
            <figure className="chart-figure">
              <BarChart
                id="chart-ndcg"
                title={`NDCG@${k} by model with 95% confidence intervals`}
                yLabel={`NDCG@${k}`}
                bars={list.map((m) => ({
                  label: m.kind,
                  value: m.metrics.ndcg ?? 0,
                  lo: m.metrics.ci?.ndcg?.[0],
                  hi: m.metrics.ci?.ndcg?.[1],
                  highlight: m.active,
                }))}
              />
              <figcaption>NDCG@{k} (bars) and 95% CI (whiskers); dark bar: the active model</figcaption>
            </figure>
            <figure className="chart-figure">
              <BarChart
                id="chart-recall"
                title={`Recall@${k} by model with 95% confidence intervals`}
                yLabel={`Recall@${k}`}
                bars={list.map((m) => ({
                  label: m.kind,
                  value: m.metrics.recall ?? 0,
                  lo: m.metrics.ci?.recall?.[0],
                  hi: m.metrics.ci?.recall?.[1],
                  highlight: m.active,
                }))}
              />
              <figcaption>Recall@{k} with 95% CI</figcaption>
            </figure>
            {curves.length > 0 && (
              <LineChart id="chart-ndcg-k" title="NDCG@K curves" series={curves} xLabel="K" yLabel="NDCG@K" />
            )}
          </div>
          <h2>Training loss</h2>
          <div className="charts">
            {losses.length > 0 ? (
              <LineChart
                id="chart-loss"
                title="Recommender training loss per epoch"
                series={losses}
                xLabel="epoch"
                yLabel="loss"
              />
            ) : (
              <p className="muted">
                None of the trained recommenders reports a loss per epoch (closed-form or ALS fits).
              </p>
            )}
            {encoderLosses.length > 1 && (
              <LineChart
                id="chart-encoder-loss"
                title={`Shape encoder (${map.data?.encoder}) training loss per epoch`}
                series={[
                  { label: `${map.data?.encoder} (InfoNCE)`, x: encoderLosses.map((_, i) => i + 1), y: encoderLosses },
                ]}
                xLabel="epoch"
                yLabel="loss"
              />
            )}
          </div>
        </>
      )}
      <h2>Shape map</h2>
      <Status loading={map.loading && !map.data} error={map.error} />
      {map.data && map.data.points.length === 0 && <p className="muted">No shape embeddings: run `layerwise embed`.</p>}
      {map.data && map.data.points.length > 0 && (
        <>
          <p className="muted small">
            {map.data.points.length} of {map.data.total} items, embeddings of the {map.data.encoder} encoder projected
            on their first two principal components ({Math.round(100 * (map.data.explained[0] + map.data.explained[1]))}
            % of the variance). Click a point to open the item.
          </p>
          <ScatterMap
            id="chart-shape-map"
            title="2-D map of shape embeddings coloured by category"
            groups={groups}
            points={map.data.points.map((p) => ({
              id: p.itemId,
              label: p.title,
              group: p.category ?? 'none',
              x: p.x,
              y: p.y,
            }))}
            linkFor={(p) => href.item(p.id)}
          />
        </>
      )}
    </section>
  );
}
