/**
 * The interactive 3-D viewer (default export, loaded lazily so three.js stays out of the first paint): drag to
 * orbit, wheel or +/- to zoom, arrow keys to pan. Overhangs are highlighted for the orientation shown (as stored, or
 * turned by `rotation`), the report's thin-wall and crossing faces are coloured and its regions outlined; the
 * printer's plate is drawn to scale.
 */
import { useEffect, useRef, useState } from 'react';
import { parseGeometry } from './load';
import { createScene, type PlateSpec, type SceneHandle, type ViewMarks, type ViewStats } from './scene';

export interface ViewerProps {
  source: { url: string } | { file: File };
  printer?: PlateSpec | undefined;
  overhangAngleDeg?: number;
  /** Row-major 3 × 3 rotation to show the model in (the report's best orientation); null/absent = as stored. */
  rotation?: readonly number[] | null | undefined;
  marks?: ViewMarks | undefined;
  label: string;
}

const NO_MARKS: ViewMarks = {};

function markKey(m: ViewMarks): string {
  const ids = (xs: readonly number[] | undefined) => `${xs?.length ?? 0}:${xs?.[0] ?? ''}:${xs?.at(-1) ?? ''}`;
  const boxes = (m.regions ?? []).map((r) => `${r.kind}${r.min.join(',')}${r.max.join(',')}`).join(';');
  return `${ids(m.thinFaceIds)}/${ids(m.crossingFaceIds)}/${boxes}`;
}

export default function Viewer({ source, printer, overhangAngleDeg = 45, rotation, marks, label }: ViewerProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const handle = useRef<SceneHandle | null>(null);
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'error'; message?: string; stats?: ViewStats }>({
    status: 'loading',
  });
  const key = 'url' in source ? source.url : `${source.file.name}:${source.file.size}:${source.file.lastModified}`;
  const view = { rotation: rotation ?? null, marks: marks ?? NO_MARKS };
  const latest = useRef(view);
  latest.current = view;

  useEffect(() => {
    if (!canvas.current) return;
    try {
      handle.current = createScene(canvas.current);
    } catch (e) {
      setState({ status: 'error', message: `The 3-D view needs WebGL (${(e as Error).message})` });
    }
    return () => {
      handle.current?.dispose();
      handle.current = null;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` identifies the source
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    const load = async () => {
      if ('url' in source) {
        const res = await fetch(source.url);
        if (!res.ok) throw new Error(`could not load the mesh (${res.status})`);
        return parseGeometry(await res.arrayBuffer(), 'model.stl');
      }
      return parseGeometry(await source.file.arrayBuffer(), source.file.name);
    };
    load().then(
      (g) => {
        if (!live || !handle.current) return;
        handle.current.setGeometry(g, overhangAngleDeg);
        const stats = handle.current.setView(latest.current.rotation, latest.current.marks);
        setState({ status: 'ready', stats });
      },
      (e: Error) => live && setState({ status: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key, overhangAngleDeg]);

  // Keyed by content, so a caller passing new but equal arrays does not redraw (or loop).
  const viewKey = `${view.rotation?.join(',') ?? ''}|${markKey(view.marks)}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `viewKey` identifies the view
  useEffect(() => {
    if (!handle.current || state.status !== 'ready') return;
    const stats = handle.current.setView(latest.current.rotation, latest.current.marks);
    setState((s) => ({ ...s, stats }));
  }, [viewKey, state.status]);

  useEffect(() => {
    handle.current?.setPrinter(printer);
  }, [printer]);

  const s = state.stats;
  const pct = (n: number) => (s && s.faces > 0 ? Math.round((100 * n) / s.faces) : 0);
  return (
    <figure
      className="viewer-figure"
      data-orientation={view.rotation ? 'best' : 'stored'}
      data-overhang-faces={s?.overhangFaces ?? ''}
    >
      <canvas
        ref={canvas}
        className="viewer"
        tabIndex={0}
        role="img"
        aria-label={`${label}. Drag to orbit, scroll or press + and - to zoom, arrow keys to pan.`}
        data-ready={state.status === 'ready' ? 'true' : 'false'}
        onKeyDown={(e) => {
          if (e.key === '+' || e.key === '=') handle.current?.zoom(0.85);
          else if (e.key === '-') handle.current?.zoom(1 / 0.85);
        }}
      />
      <figcaption className="muted small" aria-live="polite">
        {state.status === 'loading' && 'Loading mesh…'}
        {state.status === 'error' && <span className="error">{state.message}</span>}
        {state.status === 'ready' && s && (
          <>
            {view.rotation ? 'Best orientation: ' : 'As stored: '}
            <span className="swatch overhang" aria-hidden="true" /> overhang faces ({pct(s.overhangFaces)} % of
            triangles) · <span className="swatch base" aria-hidden="true" /> printable without support
            {s.thinFaces > 0 && (
              <>
                {' '}
                · <span className="swatch thin" aria-hidden="true" /> thin walls ({s.thinFaces} faces)
              </>
            )}
            {s.crossingFaces > 0 && (
              <>
                {' '}
                · <span className="swatch crossing" aria-hidden="true" /> self-intersecting ({s.crossingFaces} faces)
              </>
            )}
            {(view.marks.regions?.length ?? 0) > 0 && ' · boxes outline the regions of the report'}
          </>
        )}
      </figcaption>
    </figure>
  );
}
