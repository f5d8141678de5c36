/**
 * Item page: the 3-D viewer (three.js, loaded lazily; thin walls and self-intersections coloured, "show best
 * orientation" turns the model), build plate of the chosen printer, printability report, orientation comparison,
 * print checks with repair advice, "shaped like this" (shape embeddings), "people who printed this also printed"
 * (the served model's item–item) and the remix tree (the original it remixes, and its remixes).
 */
import { lazy, type ReactNode, Suspense, useMemo, useState } from 'react';
import { api, type Remixes, type Similar } from '../api';
import { ItemCard, PrinterSelect, ReportTable, Status } from '../components/common';
import { OrientationPanel, PrintChecks, viewMarks } from '../components/printability';
import { href, useAsync } from '../router';

const Viewer = lazy(() => import('../viewer/Viewer'));

export function ItemPage({ id }: { id: string }) {
  const item = useAsync(() => api.item(id), [id]);
  const printers = useAsync(() => api.printers(), []);
  const [printerId, setPrinterId] = useState('prusa-mk4');
  const printer = printers.data?.find((p) => p.id === printerId);
  const shape = useAsync(() => api.similar(id, 'shape', 8), [id]);
  const behaviour = useAsync(() => api.similar(id, 'behaviour', 8), [id]);
  const remixes = useAsync(() => api.remixes(id), [id]);
  const d = item.data;
  const report = d?.printability ?? null;
  const marks = useMemo(() => (report ? viewMarks(report) : undefined), [report]);
  const [showBest, setShowBest] = useState(false);

  return (
    <article aria-labelledby="item-title">
      <Status loading={item.loading && !d} error={item.error} />
      {d && (
        <>
          <h1 id="item-title">{d.title}</h1>
          <p className="muted">
            {d.category ?? 'uncategorised'}
            {d.creator ? ` · by ${d.creator}` : ''}
            {d.license ? ` · ${d.license}` : ''}
            {d.tags.length > 0 ? ` · ${d.tags.map((t) => `#${t}`).join(' ')}` : ''}
          </p>
          <div className="item-layout">
            <div>
              <PrinterSelect
                id="item-printer"
                label="Build plate"
                anyLabel="No printer"
                printers={printers.data}
                value={printerId}
                onChange={setPrinterId}
              />
              <Suspense fallback={<div className="viewer placeholder">Loading 3-D viewer…</div>}>
                <Viewer
                  source={{ url: api.meshUrl(id) }}
                  printer={printer}
                  overhangAngleDeg={d.printability?.overhangAngleDeg ?? 45}
                  rotation={showBest ? report?.bestOrientation?.rotation : null}
                  marks={marks}
                  label={`3-D view of ${d.title}`}
                />
              </Suspense>
            </div>
            <div>
              {d.description && <p>{d.description}</p>}
              {report ? <ReportTable report={report} printer={printer} advice={false} /> : <p>No report.</p>}
              {report && (
                <OrientationPanel report={report} showBest={showBest} onToggle={() => setShowBest((b) => !b)} />
              )}
              <p className="muted small">
                {Object.entries(d.stats)
                  .map(([k, v]) => `${v} ${k}`)
                  .join(' · ') || 'No interactions yet'}
              </p>
            </div>
          </div>
          {report && <PrintChecks report={report} />}
          <SimilarList title="Shaped like this" id="shape" result={shape} />
          <SimilarList title="People who printed this also printed" id="behaviour" result={behaviour} />
          {remixes.data && <RemixTree tree={remixes.data} />}
        </>
      )}
    </article>
  );
}

function SimilarList({
  title,
  id,
  result,
}: {
  title: string;
  id: string;
  result: { data: Similar | undefined; error: Error | undefined; loading: boolean };
}) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <Status loading={result.loading && !result.data} error={result.error} />
      {result.data && result.data.items.length === 0 && <p className="muted">Nothing yet.</p>}
      <ul className="grid small-grid" aria-label={title} data-testid={`similar-${id}`}>
        {result.data?.items.map((it) => (
          <ItemCard key={it.itemId} item={it} />
        ))}
      </ul>
    </section>
  );
}

/** The remix lineage as a small nested list: ancestors (the original first) down to this item and its remixes. */
function RemixTree({ tree }: { tree: Remixes }) {
  if (tree.ancestors.length === 0 && tree.descendants.length === 0) return null;
  const link = (r: { itemId: string; title: string }) => <a href={href.item(r.itemId)}>{r.title}</a>;
  const children = (parentId: string): ReactNode => {
    const kids = tree.descendants.filter((d) => d.parentId === parentId);
    return (
      kids.length > 0 && (
        <ul>
          {kids.map((n) => (
            <li key={n.itemId}>
              {link(n)}
              {children(n.itemId)}
            </li>
          ))}
        </ul>
      )
    );
  };
  let inner = (
    <li>
      <strong aria-current="page">{tree.item.title}</strong>
      {children(tree.item.itemId)}
      {tree.truncated > 0 && <p className="muted small">and {tree.truncated} more remixes</p>}
    </li>
  );
  // wrap outwards: the parent holds the item, the grandparent the parent, … the original is the root
  for (const a of tree.ancestors)
    inner = (
      <li>
        {link(a)}
        <ul>{inner}</ul>
      </li>
    );
  return (
    <section aria-labelledby="remix-title">
      <h2 id="remix-title">Remix tree</h2>
      <ul className="remix-tree" data-testid="remix-tree">
        {inner}
      </ul>
    </section>
  );
}
