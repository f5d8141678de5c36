/**
 * The item page's printability panels: the orientation comparison (as stored vs the report's best orientation:
 * support area, height, estimated time) with the "show best orientation" switch, and the print checks — thin-wall
 * regions, self-intersections, degenerate faces — with the repair advice in plain words. `viewMarks` turns a report
 * into what the 3-D viewer colours and outlines.
 */
import type { PrintabilityReport } from '../api';
import type { ViewMarks } from '../viewer/scene';
import { fmt } from './common';

type Vec = readonly number[];
const at = (c: Vec) => `(${c.map((v) => fmt(v, 1)).join(', ')}) mm`;
const span = (min: Vec, max: Vec) => `${min.map((v, i) => fmt(max[i]! - v, 1)).join(' × ')} mm`;

/** "18 min", "2 h 05 min". */
export function duration(minutes: number): string {
  const m = Math.round(minutes);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The report's thin and crossing faces and regions, for the viewer. */
export function viewMarks(report: PrintabilityReport): ViewMarks {
  const thin = report.thinWalls;
  const crossing = report.selfIntersections;
  return {
    thinFaceIds: thin?.faceIds ?? [],
    crossingFaceIds: crossing?.faceIds ?? [],
    regions: [
      ...(thin?.regions ?? []).map((r) => ({ kind: 'thin' as const, min: r.bboxMinMm, max: r.bboxMaxMm })),
      ...(crossing?.regions ?? []).map((r) => ({ kind: 'crossing' as const, min: r.bboxMinMm, max: r.bboxMaxMm })),
    ],
  };
}

export function OrientationPanel({
  report,
  showBest,
  onToggle,
}: {
  report: PrintabilityReport;
  showBest: boolean;
  onToggle: () => void;
}) {
  const b = report.bestOrientation;
  if (!b) return null;
  const same = b.rotation.every((v, i) => Math.abs(v - (i % 4 === 0 ? 1 : 0)) < 1e-9);
  return (
    <section aria-labelledby="orientation-title" data-testid="orientation">
      <h2 id="orientation-title">Orientation</h2>
      <table className="report compare">
        <thead>
          <tr>
            <td />
            <th scope="col">As stored</th>
            <th scope="col">Best</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Support area</th>
            <td>{fmt(b.supportAreaBeforeMm2 / 100, 2)} cm²</td>
            <td data-testid="best-support">{fmt(b.supportAreaMm2 / 100, 2)} cm²</td>
          </tr>
          <tr>
            <th scope="row">Height</th>
            <td>{fmt(report.bboxMm[2], 1)} mm</td>
            <td data-testid="best-height">{fmt(b.heightMm, 1)} mm</td>
          </tr>
          <tr>
            <th scope="row">Print time (est.)</th>
            <td>{duration(report.printMinutes)}</td>
            <td data-testid="best-time">{duration(b.printMinutes)}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">
        {same
          ? 'As stored is already the best orientation found.'
          : `Best: the mesh direction (${b.up.map((v) => fmt(v, 2)).join(', ')}) points up`}
        {b.stable ? '' : '; no stable base in any orientation — use a brim or supports'}
        {b.fitsPrinter === false ? '; it does not fit the printer this way' : ''}
      </p>
      <button type="button" aria-pressed={showBest} onClick={onToggle} disabled={same}>
        {showBest ? 'Show as stored' : 'Show best orientation'}
      </button>
    </section>
  );
}

export function PrintChecks({ report }: { report: PrintabilityReport }) {
  const t = report.thinWalls;
  const x = report.selfIntersections;
  const d = report.degenerate;
  const advice = report.advice ?? [];
  return (
    <section aria-labelledby="checks-title" className="checks">
      <h2 id="checks-title">Print checks</h2>
      <h3>Thin walls</h3>
      {!t && <p className="muted">Not measured.</p>}
      {t && t.areaMm2 === 0 && <p>No walls thinner than {fmt(t.minWidthMm, 2)} mm.</p>}
      {t && t.areaMm2 > 0 && (
        <>
          <p>
            {fmt(t.areaMm2, 0)} mm² thinner than {fmt(t.minWidthMm, 2)} mm (the printer's narrowest line), thinnest{' '}
            {fmt(t.minThicknessMm ?? 0, 2)} mm:
          </p>
          <ul data-testid="thin-walls">
            {t.regions.map((r) => (
              <li key={r.centerMm.join()}>
                {fmt(r.areaMm2, 0)} mm², {fmt(r.minThicknessMm, 2)} mm thin, around {at(r.centerMm)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Self-intersections</h3>
      {!x || x.pairs === 0 ? (
        <p>None.</p>
      ) : (
        <>
          <p>
            {x.pairs} pairs of faces cross ({x.faces} faces) in {x.regions.length} place(s):
          </p>
          <ul data-testid="intersections">
            {x.regions.map((r) => (
              <li key={r.centerMm.join()}>
                {r.faces} faces around {at(r.centerMm)}, within {span(r.bboxMinMm, r.bboxMaxMm)}
              </li>
            ))}
          </ul>
        </>
      )}
      {d && d.zeroArea + d.slivers + d.duplicates > 0 && (
        <>
          <h3>Degenerate faces</h3>
          <p>
            {d.zeroArea} with zero area, {d.slivers} slivers, {d.duplicates} duplicates
          </p>
        </>
      )}
      <h3>Repair advice</h3>
      {advice.length === 0 ? (
        <p>Nothing to repair.</p>
      ) : (
        <ol className="advice" data-testid="advice">
          {advice.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
