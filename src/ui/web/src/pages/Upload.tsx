/**
 * Search by upload: drop (or choose) an STL / OBJ / 3MF file → its printability report for the chosen printer,
 * a 3-D view with overhangs, and the library models closest in shape. Nothing is stored on the server.
 */
import { lazy, Suspense, useState } from 'react';
import { api, type InspectResult, type Similar } from '../api';
import { ItemCard, PrinterSelect, ReportTable, Status } from '../components/common';
import { useAsync } from '../router';

const Viewer = lazy(() => import('../viewer/Viewer'));
const ACCEPT = '.stl,.obj,.3mf';

export function UploadPage() {
  const printers = useAsync(() => api.printers(), []);
  const [printerId, setPrinterId] = useState('prusa-mk4');
  const printer = printers.data?.find((p) => p.id === printerId);
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [result, setResult] = useState<{
    report?: InspectResult;
    similar?: Similar;
    error?: Error;
    loading: boolean;
  }>({ loading: false });

  const run = async (f: File, p: string) => {
    setFile(f);
    setResult({ loading: true });
    const [report, similar] = await Promise.allSettled([api.inspect(f, p || undefined), api.shapeSearch(f, 12)]);
    const error =
      report.status === 'rejected' ? report.reason : similar.status === 'rejected' ? similar.reason : undefined;
    setResult({
      loading: false,
      ...(report.status === 'fulfilled' ? { report: report.value } : {}),
      ...(similar.status === 'fulfilled' ? { similar: similar.value } : {}),
      ...(error ? { error: error as Error } : {}),
    });
  };

  return (
    <section aria-labelledby="upload-title">
      <h1 id="upload-title">Search by upload</h1>
      <div className="filters">
        <PrinterSelect
          id="upload-printer"
          label="Printer"
          anyLabel="No printer"
          printers={printers.data}
          value={printerId}
          onChange={(p) => {
            setPrinterId(p);
            if (file) void run(file, p);
          }}
        />
      </div>
      <label
        htmlFor="upload-file"
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const f = e.dataTransfer.files[0];
          if (f) void run(f, printerId);
        }}
      >
        <span>
          Drop an STL, OBJ or 3MF file here, or <u>choose a file</u>
        </span>
        <input
          id="upload-file"
          type="file"
          accept={ACCEPT}
          className="visually-hidden"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void run(f, printerId);
          }}
        />
      </label>
      <Status loading={result.loading} error={result.error} />
      {file && (
        <div className="item-layout">
          <Suspense fallback={<div className="viewer placeholder">Loading 3-D viewer…</div>}>
            <Viewer
              source={{ file }}
              printer={printer}
              overhangAngleDeg={result.report?.printability.overhangAngleDeg ?? 45}
              label={`3-D view of ${file.name}`}
            />
          </Suspense>
          <div data-testid="upload-report">
            <h2>{file.name}</h2>
            {result.report && <ReportTable report={result.report.printability} printer={printer} />}
          </div>
        </div>
      )}
      {result.similar && (
        <section aria-labelledby="upload-similar">
          <h2 id="upload-similar">Most similar library models</h2>
          <ul className="grid" aria-label="Most similar library models" data-testid="upload-similar">
            {result.similar.items.map((it) => (
              <ItemCard key={it.itemId} item={it} reasons={it.reasons} />
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
