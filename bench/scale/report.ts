/**
 * Turns bench/scale/results.jsonl into the "Scale" section of bench/RESULTS.md (between scale:start/scale:end
 * markers; the latest row per (events, dialect, stage) wins) and bench/scale/cost.svg, a log–log plot of each
 * stage's CPU seconds against the number of events.
 *
 *   npx tsx bench/scale/report.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Row {
  events: number;
  items: number;
  dialect: string;
  stage: string;
  wall: number;
  cpu: number | null;
  rssMb: number;
  note?: string;
  load: string;
}

const here = import.meta.dirname;
const lines = readFileSync(join(here, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
const latest = new Map<string, Row>();
for (const l of lines) {
  const r = JSON.parse(l) as Row & { nnz?: number };
  if (r.events === undefined) continue;
  latest.set(`${r.events}|${r.dialect}|${r.stage}`, r);
}
const rows = [...latest.values()].sort((a, b) => a.dialect.localeCompare(b.dialect) || a.events - b.events);
const fmt = (x: number | null, d = 1) => (x === null || Number.isNaN(x) ? '—' : x.toFixed(d));
const table = [
  '| events | items | store | stage | wall s | CPU s | peak RSS MB | load (1/5/15 min) | note |',
  '|---:|---:|---|---|---:|---:|---:|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.events.toLocaleString('en')} | ${r.items.toLocaleString('en')} | ${r.dialect} | ${r.stage} | ${fmt(r.wall)} | ${fmt(r.cpu)} | ${fmt(r.rssMb, 0)} | ${r.load} | ${r.note ?? ''} |`,
  ),
];

// Log–log SVG: CPU seconds (wall for serve start-up) against events, one polyline per stage.
const W = 640;
const H = 400;
const pad = 60;
const stages = [...new Set(rows.map((r) => r.stage))];
const pts = rows.map((r) => ({ s: r.stage, x: r.events, y: r.cpu && r.cpu > 0 ? r.cpu : r.wall }));
const lx = pts.map((p) => Math.log10(p.x));
const ly = pts.map((p) => Math.log10(Math.max(p.y, 0.01)));
const [x0, x1] = [Math.min(...lx) - 0.2, Math.max(...lx) + 0.2];
const [y0, y1] = [Math.floor(Math.min(...ly)), Math.ceil(Math.max(...ly))];
const px = (x: number) => pad + ((Math.log10(x) - x0) / (x1 - x0)) * (W - 2 * pad);
const py = (y: number) => H - pad - ((Math.log10(Math.max(y, 0.01)) - y0) / (y1 - y0)) * (H - 2 * pad);
const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
  '<title>layerwise scale: CPU seconds per pipeline stage against events, log–log</title>',
  `<rect width="${W}" height="${H}" fill="white"/>`,
  `<text x="${W / 2}" y="20" text-anchor="middle" font-size="13">layerwise scale: CPU seconds per stage vs events (log–log; serve: wall)</text>`,
  `<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}" stroke="black"/>`,
  `<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}" stroke="black"/>`,
  ...Array.from({ length: y1 - y0 + 1 }, (_, i) => {
    const y = py(10 ** (y0 + i));
    return `<text x="${pad - 6}" y="${y + 4}" text-anchor="end">${10 ** (y0 + i)} s</text><line x1="${pad}" y1="${y}" x2="${W - pad}" y2="${y}" stroke="#ddd"/>`;
  }),
  ...[...new Set(pts.map((p) => p.x))].map(
    (x) => `<text x="${px(x)}" y="${H - pad + 16}" text-anchor="middle">${(x / 1e6).toFixed(0)} M events</text>`,
  ),
  ...stages.map((s, i) => {
    const p = pts.filter((q) => q.s === s).sort((a, b) => a.x - b.x);
    const c = colors[i % colors.length];
    const path = p.map((q) => `${px(q.x).toFixed(1)},${py(q.y).toFixed(1)}`).join(' ');
    return (
      `<polyline points="${path}" fill="none" stroke="${c}" stroke-width="2"/>` +
      p.map((q) => `<circle cx="${px(q.x).toFixed(1)}" cy="${py(q.y).toFixed(1)}" r="3" fill="${c}"/>`).join('') +
      `<text x="${W - pad - 150}" y="${pad + 14 * i}" fill="${c}">${s}</text>`
    );
  }),
  '</svg>',
].join('\n');
writeFileSync(join(here, 'cost.svg'), `${svg}\n`);

const resultsPath = join(here, '..', 'RESULTS.md');
const md = readFileSync(resultsPath, 'utf8');
const section = `<!-- scale:start -->\n${table.join('\n')}\n<!-- scale:end -->`;
const next = /<!-- scale:start -->[\s\S]*<!-- scale:end -->/.test(md)
  ? md.replace(/<!-- scale:start -->[\s\S]*<!-- scale:end -->/, section)
  : md;
writeFileSync(resultsPath, next);
console.log(table.join('\n'));
