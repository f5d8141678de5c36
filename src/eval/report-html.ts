/**
 * A self-contained HTML report of an experiment: the table with CIs, bar charts with CI whiskers, and Recall@K and
 * NDCG@K curves over K, all as inline SVG (no scripts, no CDN).
 */
import type { ExperimentResult, ModelSummary } from './experiment.js';
import type { PublishedRow } from './published.js';
import { formatComparisons, tableRows } from './report-text.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

function barChart(
  title: string,
  models: ModelSummary[],
  metric: 'ndcg' | 'precision' | 'recall' | 'map',
  published: readonly PublishedRow[],
): string {
  const bars = [
    ...models.map((m) => ({
      name: m.name,
      v: m.metrics[metric].mean,
      lo: m.metrics[metric].lo,
      hi: m.metrics[metric].hi,
      pub: false,
    })),
    ...published.map((p) => ({ name: `${p.model}*`, v: p[metric], lo: p[metric], hi: p[metric], pub: true })),
  ].filter((b) => Number.isFinite(b.v));
  const w = 560;
  const rowH = 22;
  const left = 130;
  const h = bars.length * rowH + 30;
  const max = Math.max(...bars.map((b) => b.hi), 1e-9) * 1.1;
  const x = (v: number): number => left + ((w - left - 20) * v) / max;
  const g = bars
    .map((b, i) => {
      const y = 20 + i * rowH;
      const fill = b.pub ? '#bbb' : COLORS[i % COLORS.length];
      return (
        `<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(b.name)}</text>` +
        `<rect x="${left}" y="${y + 3}" width="${(x(b.v) - left).toFixed(1)}" height="${rowH - 8}" fill="${fill}"/>` +
        (b.pub
          ? ''
          : `<line x1="${x(b.lo).toFixed(1)}" x2="${x(b.hi).toFixed(1)}" y1="${y + 11}" y2="${y + 11}" stroke="#000"/>`) +
        `<text x="${(x(b.hi) + 4).toFixed(1)}" y="${y + 14}">${b.v.toFixed(3)}</text>`
      );
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-size="11" font-family="sans-serif">${g}</svg></figure>`;
}

function curveChart(title: string, models: ModelSummary[], key: 'recall' | 'ndcg'): string {
  const ms = models.filter((m) => m.curves.k.length > 0);
  const w = 560;
  const h = 300;
  const pad = 40;
  const maxK = Math.max(...ms.map((m) => m.curves.k.length), 1);
  const maxV = Math.max(...ms.flatMap((m) => m.curves[key]), 1e-9) * 1.05;
  const x = (k: number): number => pad + ((w - pad - 110) * (k - 1)) / Math.max(maxK - 1, 1);
  const y = (v: number): number => h - pad - ((h - 2 * pad) * v) / maxV;
  const axes =
    `<line x1="${pad}" y1="${h - pad}" x2="${w - 110}" y2="${h - pad}" stroke="#000"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#000"/>` +
    `<text x="${(w - 110 + pad) / 2}" y="${h - 8}" text-anchor="middle">K</text>` +
    [0, 0.25, 0.5, 0.75, 1]
      .map((f) => `<text x="${pad - 4}" y="${y(f * maxV) + 4}" text-anchor="end">${(f * maxV).toFixed(2)}</text>`)
      .join('') +
    [1, Math.ceil(maxK / 2), maxK]
      .map((k) => `<text x="${x(k)}" y="${h - pad + 14}" text-anchor="middle">${k}</text>`)
      .join('');
  const lines = ms
    .map((m, i) => {
      const pts = m.curves[key].map((v, j) => `${x(j + 1).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const c = COLORS[i % COLORS.length];
      return `<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"/><text x="${w - 104}" y="${pad + 14 * i}" fill="${c}">${esc(m.name)}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-size="11" font-family="sans-serif">${axes}${lines}</svg></figure>`;
}

export function renderHtmlReport(
  r: ExperimentResult,
  meta: { dataset: string; command?: string },
  published: readonly PublishedRow[] = [],
): string {
  const rows = tableRows(r, published);
  const table = `<table><thead><tr>${rows[0]!.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .slice(1)
    .map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const ok = r.models.filter((m) => !m.error);
  const k = r.k;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>layerwise eval: ${esc(meta.dataset)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}figure{display:inline-block;margin:1em}figcaption{font-weight:bold}pre{background:#f6f6f6;padding:.5em}</style></head><body>
<h1>Evaluation: ${esc(meta.dataset)}, protocol ${esc(r.protocol)}</h1>
<p>${r.data.users} users × ${r.data.items} items, ${r.data.interactions} interactions (fingerprint ${esc(r.data.fingerprint)}); seeds ${esc(r.seeds.join(', '))}; k = ${k}. Full ranking over every item unseen in training. Values: mean over seeds [95% per-user bootstrap CI, averaged over seeds]. Recall = hits/|relevant|; MAP@K as Microsoft Recommenders (÷|relevant|).${published.length ? ' Rows marked published (and bars marked *) are the published numbers of the same protocol.' : ''}</p>
${meta.command ? `<pre>${esc(meta.command)}</pre>` : ''}
${table}
<h2>Paired tests (NDCG@${k}, first seed's users)</h2><pre>${esc(formatComparisons(r) || 'one model only')}</pre>
<h2>Charts</h2>
${barChart(`NDCG@${k}`, ok, 'ndcg', published)}${barChart(`Recall@${k}`, ok, 'recall', published)}${barChart(`Precision@${k}`, ok, 'precision', published)}${barChart(`MAP@${k}`, ok, 'map', published)}
${curveChart('Recall@K over K', ok, 'recall')}${curveChart('NDCG@K over K', ok, 'ndcg')}
<h2>Hyper-parameters</h2><pre>${esc(ok.map((m) => `${m.name}: ${JSON.stringify(m.params)}`).join('\n'))}</pre>
</body></html>
`;
}
