/**
 * The interactive 3-D viewer (default export, loaded lazily so three.js stays out of the first paint): drag to
 * orbit, wheel or +/- to zoom, arrow keys to pan. Overhangs are highlighted; the printer's plate is drawn to scale.
 */
import { useEffect, useRef, useState } from 'react';
import { parseGeometry } from './load';
import { createScene, type PlateSpec, type SceneHandle } from './scene';

export interface ViewerProps {
  source: { url: string } | { file: File };
  printer?: PlateSpec | undefined;
  overhangAngleDeg?: number;
  label: string;
}

export default function Viewer({ source, printer, overhangAngleDeg = 45, label }: ViewerProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const handle = useRef<SceneHandle | null>(null);
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'error'; message?: string; overhang?: number }>({
    status: 'loading',
  });
  const key = 'url' in source ? source.url : `${source.file.name}:${source.file.size}:${source.file.lastModified}`;

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
        const s = handle.current.setGeometry(g, overhangAngleDeg);
        setState({ status: 'ready', overhang: s.faces > 0 ? s.overhangFaces / s.faces : 0 });
      },
      (e: Error) => live && setState({ status: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key, overhangAngleDeg]);

  useEffect(() => {
    handle.current?.setPrinter(printer);
  }, [printer]);

  return (
    <figure className="viewer-figure">
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
        {state.status === 'ready' && (
          <>
            <span className="swatch overhang" aria-hidden="true" /> overhang faces (
            {Math.round((state.overhang ?? 0) * 100)} % of triangles) ·{' '}
            <span className="swatch base" aria-hidden="true" /> printable without support
          </>
        )}
      </figcaption>
    </figure>
  );
}
