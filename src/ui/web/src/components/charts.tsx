/**
 * Plain-SVG charts (no chart library): bars with confidence intervals, line charts, and a clickable scatter map.
 * Each has a title and description for screen readers; values are also in the tables beside them.
 */
import type { ReactNode } from 'react';

const W = 560;
const H = 260;
const M = { l: 48, r: 12, t: 12, b: 40 };
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#ad494a',
  '#637939',
  '#7b4173',
];

function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = 10 ** Math.floor(Math.log10((hi - lo) / n));
  const err = (hi - lo) / n / step;
  const s = step * (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1);
  const out: number[] = [];
  for (let v = Math.ceil(lo / s) * s; v <= hi + 1e-12; v += s) out.push(Number(v.toPrecision(12)));
  return out;
}

function Frame({ id, title, desc, children }: { id: string; title: string; desc: string; children: ReactNode }) {
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="chart"
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      data-testid={id}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {children}
    </svg>
  );
}

function YAxis({ y, values, fmt }: { y: (v: number) => number; values: number[]; fmt: (v: number) => string }) {
  return (
    <g className="axis">
      {values.map((v) => (
        <g key={v}>
          <line x1={M.l} x2={W - M.r} y1={y(v)} y2={y(v)} className="gridline" />
          <text x={M.l - 6} y={y(v) + 4} textAnchor="end">
            {fmt(v)}
          </text>
        </g>
      ))}
    </g>
  );
}

export interface Bar {
  label: string;
  value: number;
  lo?: number | undefined;
  hi?: number | undefined;
  highlight?: boolean;
}

export function BarChart({ id, title, bars, yLabel }: { id: string; title: string; bars: Bar[]; yLabel: string }) {
  const max = Math.max(1e-9, ...bars.map((b) => b.hi ?? b.value)) * 1.1;
  const y = (v: number) => H - M.b - (v / max) * (H - M.t - M.b);
  const slot = (W - M.l - M.r) / Math.max(1, bars.length);
  const desc = bars.map((b) => `${b.label}: ${b.value.toFixed(3)}`).join('; ');
  return (
    <Frame id={id} title={title} desc={desc}>
      <YAxis y={y} values={ticks(0, max)} fmt={(v) => v.toFixed(2)} />
      <text x={12} y={H / 2} transform={`rotate(-90 12 ${H / 2})`} textAnchor="middle" className="axis-label">
        {yLabel}
      </text>
      {bars.map((b, i) => {
        const x = M.l + i * slot + slot * 0.15;
        const w = slot * 0.7;
        return (
          <g key={b.label} className="bar">
            <rect x={x} y={y(b.value)} width={w} height={y(0) - y(b.value)} fill={b.highlight ? '#2a6f97' : '#8fb3d9'}>
              <title>{`${b.label}: ${b.value.toFixed(4)}${b.lo !== undefined ? ` (95% CI ${b.lo.toFixed(4)}–${b.hi?.toFixed(4)})` : ''}`}</title>
            </rect>
            {b.lo !== undefined && b.hi !== undefined && (
              <g className="ci" stroke="#1d2d3a">
                <line x1={x + w / 2} x2={x + w / 2} y1={y(b.lo)} y2={y(b.hi)} />
                <line x1={x + w / 4} x2={x + (3 * w) / 4} y1={y(b.lo)} y2={y(b.lo)} />
                <line x1={x + w / 4} x2={x + (3 * w) / 4} y1={y(b.hi)} y2={y(b.hi)} />
              </g>
            )}
            <text x={x + w / 2} y={H - M.b + 16} textAnchor="middle" className="tick">
              {b.label}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}

export interface Series {
  label: string;
  x: number[];
  y: number[];
}

export function LineChart({
  id,
  title,
  series,
  xLabel,
  yLabel,
}: {
  id: string;
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
}) {
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y).filter(Number.isFinite);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  const yMin = Math.min(0, ...ys);
  const yMax = Math.max(...ys, yMin + 1e-9) * 1.05;
  const integerX = xs.every(Number.isInteger);
  const x = (v: number) => M.l + ((v - x0) / (x1 - x0)) * (W - M.l - M.r);
  const y = (v: number) => H - M.b - ((v - yMin) / (yMax - yMin)) * (H - M.t - M.b);
  const desc = series.map((s) => `${s.label}: ${s.y.length} points, last ${s.y.at(-1)?.toFixed(3)}`).join('; ');
  return (
    <figure className="chart-figure">
      <Frame id={id} title={title} desc={desc}>
        <YAxis y={y} values={ticks(yMin, yMax)} fmt={(v) => (Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2))} />
        <g className="axis">
          {ticks(x0, x1, 8)
            .filter((v) => !integerX || Number.isInteger(v))
            .map((v) => (
              <text key={v} x={x(v)} y={H - M.b + 16} textAnchor="middle">
                {v}
              </text>
            ))}
          <text x={(M.l + W - M.r) / 2} y={H - 6} textAnchor="middle" className="axis-label">
            {xLabel}
          </text>
          <text x={12} y={H / 2} transform={`rotate(-90 12 ${H / 2})`} textAnchor="middle" className="axis-label">
            {yLabel}
          </text>
        </g>
        {series.map((s, i) => (
          <path
            key={s.label}
            className="series"
            fill="none"
            stroke={PALETTE[i % PALETTE.length]}
            strokeWidth={2}
            d={s.x.map((v, j) => `${j === 0 ? 'M' : 'L'}${x(v).toFixed(1)},${y(s.y[j]!).toFixed(1)}`).join('')}
          >
            <title>{s.label}</title>
          </path>
        ))}
      </Frame>
      <figcaption>
        <Legend labels={series.map((s) => s.label)} />
      </figcaption>
    </figure>
  );
}

export function Legend({ labels }: { labels: string[] }) {
  return (
    <ul className="legend">
      {labels.map((l, i) => (
        <li key={l}>
          <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} aria-hidden="true" />
          {l}
        </li>
      ))}
    </ul>
  );
}

export interface Point {
  id: string;
  label: string;
  group: string;
  x: number;
  y: number;
}

/** A scatter plot whose points are links (keyboard-focusable, Enter opens the item). */
export function ScatterMap({
  id,
  title,
  points,
  groups,
  linkFor,
}: {
  id: string;
  title: string;
  points: Point[];
  groups: string[];
  linkFor: (p: Point) => string;
}) {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const pad = 14;
  const x = (v: number) => pad + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const y = (v: number) => H - pad - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const colour = (g: string) => PALETTE[Math.max(0, groups.indexOf(g)) % PALETTE.length];
  return (
    <figure className="chart-figure">
      <Frame id={id} title={title} desc={`${points.length} items in ${groups.length} categories`}>
        {points.map((p) => (
          <a key={p.id} href={linkFor(p)} aria-label={`${p.label} (${p.group})`}>
            <circle cx={x(p.x)} cy={y(p.y)} r={4} fill={colour(p.group)} fillOpacity={0.8} className="point">
              <title>{`${p.label} (${p.group})`}</title>
            </circle>
          </a>
        ))}
      </Frame>
      <figcaption>
        <Legend labels={groups} />
      </figcaption>
    </figure>
  );
}
