/** Plain-text and Markdown tables of an experiment, with the published rows beside ours when they apply. */
import type { ExperimentResult } from './experiment.js';
import type { PublishedRow } from './published.js';

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');
const ci = (m: { mean: number; lo: number; hi: number }): string =>
  Number.isFinite(m.mean) ? `${m.mean.toFixed(3)} [${m.lo.toFixed(3)}, ${m.hi.toFixed(3)}]` : '—';

/** Rows of the main table: model, NDCG, P, R, MAP (each with CI), HR, MRR, AUC, coverage, fit seconds. */
export function tableRows(r: ExperimentResult, published: readonly PublishedRow[] = []): string[][] {
  const k = r.k;
  const head = ['model', `NDCG@${k}`, `P@${k}`, `R@${k}`, `MAP@${k}`, `HR@${k}`, 'MRR', 'AUC', 'coverage', 'fit s'];
  const rows = r.models.map((m) =>
    m.error
      ? [m.name, `failed: ${m.error}`, '', '', '', '', '', '', '', '']
      : [
          m.name,
          ci(m.metrics.ndcg),
          ci(m.metrics.precision),
          ci(m.metrics.recall),
          ci(m.metrics.map),
          f3(m.metrics.hitRate.mean),
          f3(m.metrics.mrr.mean),
          f3(m.metrics.auc.mean),
          f3(m.coverage),
          m.fitSeconds.toFixed(2),
        ],
  );
  const pub = published.map((p) => [
    `${p.model} (${p.source}, published)`,
    f3(p.ndcg),
    f3(p.precision),
    f3(p.recall),
    f3(p.map),
    '',
    '',
    '',
    '',
    '',
  ]);
  return [head, ...rows, ...pub];
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((x, c) => x.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatMarkdown(rows: string[][]): string {
  const [head, ...body] = rows;
  return [
    `| ${head!.join(' | ')} |`,
    `|${head!.map(() => '---').join('|')}|`,
    ...body.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The paired tests as text lines. */
export function formatComparisons(r: ExperimentResult): string {
  return r.comparisons
    .map(
      (c) =>
        `${c.model} vs ${c.against}: ΔNDCG@${r.k} ${c.meanDiff >= 0 ? '+' : ''}${c.meanDiff.toFixed(4)}, paired t p=${c.pT.toExponential(2)}, randomisation p=${c.pRandom.toFixed(4)}`,
    )
    .join('\n');
}
