/** Small shared pieces: item cards, printer selector, loading / error states, the printability report. */
import type { ReactNode } from 'react';
import type { ItemSummary, PrintabilityReport, Printer, ScoredItem } from '../api';
import { href } from '../router';

export function Status({ loading, error }: { loading?: boolean; error?: Error | undefined }) {
  if (error)
    return (
      <p className="error" role="alert">
        {error.message}
      </p>
    );
  if (loading)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  return null;
}

export function ItemCard({
  item,
  reasons,
  children,
}: {
  item: ItemSummary | ScoredItem;
  reasons?: ScoredItem['reasons'];
  children?: ReactNode;
}) {
  const id = 'id' in item ? item.id : item.itemId;
  return (
    <li className="card" data-item={id}>
      <a href={href.item(id)} className="card-link">
        <img src={item.thumbnailUrl} alt="" width={160} height={160} loading="lazy" decoding="async" />
        <span className="card-title">{item.title}</span>
      </a>
      <span className="muted small">{item.category ?? 'uncategorised'}</span>
      {reasons && reasons.length > 0 && (
        <ul className="reasons" aria-label="Why">
          {reasons.slice(0, 3).map((r) => (
            <li key={`${r.kind}-${r.itemId ?? ''}-${r.text}`} className={`reason reason-${r.kind}`}>
              {r.text}
            </li>
          ))}
        </ul>
      )}
      {children}
    </li>
  );
}

export function PrinterSelect({
  printers,
  value,
  onChange,
  label = 'Printer',
  anyLabel = 'Any printer',
  id,
}: {
  printers: Printer[] | undefined;
  value: string;
  onChange: (id: string) => void;
  label?: string;
  anyLabel?: string;
  id: string;
}) {
  return (
    <label htmlFor={id} className="field">
      <span>{label}</span>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {printers?.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} ({p.buildVolumeMm.map((v) => Math.round(v)).join(' × ')} mm)
          </option>
        ))}
      </select>
    </label>
  );
}

/** Whether sorted bounding-box dimensions fit a printer's sorted build volume (one of the 6 axis permutations). */
export function fits(bbox: readonly number[], printer: Printer): boolean {
  const d = [...bbox].sort((a, b) => a - b);
  const v = [...printer.buildVolumeMm].sort((a, b) => a - b);
  return d.every((x, i) => x <= v[i]! + 1e-3);
}

export const fmt = (n: number, digits = 1) => n.toLocaleString(undefined, { maximumFractionDigits: digits });

export function ReportTable({
  report,
  printer,
  advice = true,
}: {
  report: PrintabilityReport;
  printer?: Printer | undefined;
  /** List the repair advice under the table (the item page shows it in its own panel). */
  advice?: boolean;
}) {
  const adviceList = advice ? (report.advice ?? []) : [];
  const overhangPct = report.areaMm2 > 0 ? (100 * report.overhangAreaMm2) / report.areaMm2 : 0;
  const fit = printer ? fits(report.bboxMm, printer) : report.fitsPrinter;
  const rows: [string, ReactNode][] = [
    ['Size', `${report.bboxMm.map((v) => fmt(v)).join(' × ')} mm`],
    ['Triangles', fmt(report.triangles, 0)],
    ['Shells', fmt(report.shells, 0)],
    [
      'Watertight',
      report.watertight ? 'yes' : `no (${report.openEdges} open, ${report.nonManifoldEdges} non-manifold edges)`,
    ],
    ['Volume', `${fmt(report.volumeMm3 / 1000)} cm³`],
    ['Overhang', `${fmt(overhangPct)} % of the surface (beyond ${report.overhangAngleDeg}°)`],
    [
      printer ? `Fits ${printer.name}` : 'Fits printer',
      fit === null ? 'no printer chosen' : fit ? 'yes' : 'no — too large',
    ],
    ['Mass (est.)', `${fmt(report.massG)} g`],
    ['Print time (est.)', `${fmt(report.printMinutes / 60)} h`],
  ];
  const t = report.thinWalls;
  if (t) {
    rows.push([
      'Thin walls',
      t.areaMm2 > 0
        ? `${fmt(t.areaMm2, 0)} mm² under ${fmt(t.minWidthMm, 2)} mm (thinnest ${fmt(t.minThicknessMm ?? 0, 2)} mm)`
        : `none under ${fmt(t.minWidthMm, 2)} mm`,
    ]);
  }
  const x = report.selfIntersections;
  if (x)
    rows.push(['Self-intersections', x.pairs > 0 ? `${x.pairs} face pairs in ${x.regions.length} place(s)` : 'none']);
  const b = report.bestOrientation;
  if (b) {
    rows.push([
      'Best orientation',
      `up (${b.up.map((v) => fmt(v, 2)).join(', ')}): support ${fmt(b.supportAreaBeforeMm2 / 100, 2)} → ` +
        `${fmt(b.supportAreaMm2 / 100, 2)} cm², ${fmt(b.printMinutes / 60)} h${b.stable ? '' : ', no stable base'}`,
    ]);
  }
  if (report.materialCm3 !== undefined) {
    const len = report.filamentMm ? `, ${fmt(report.filamentMm / 1000, 2)} m` : '';
    rows.push(['Material (est.)', `${fmt(report.materialCm3, 2)} cm³${len}`]);
  }
  return (
    <table className="report">
      <caption>Printability report</caption>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
      {(report.warnings.length > 0 || adviceList.length > 0) && (
        <tfoot>
          <tr>
            <td colSpan={2} className="muted small">
              {report.warnings.map((w) => w.message).join(' · ')}
              {adviceList.length > 0 && (
                <ul className="advice">
                  {adviceList.map((a) => (
                    <li key={a}>{a}</li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
