/**
 * Progress for long ingests: a one-line bar with count, rate and ETA redrawn on a terminal, or a plain log line at
 * most every `intervalMs` otherwise (CI logs, pipes). Writes through the given sink, never to the console directly.
 */
export interface ProgressSink {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  isTty: boolean;
}

export interface Progress {
  done: number;
  /** Total when known (files), else null (event rows: the bar shows bytes instead). */
  total: number | null;
  bytes: number;
  totalBytes: number | null;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function createProgressReporter(sink: ProgressSink, unit: string, intervalMs = sink.isTty ? 100 : 5000) {
  const start = Date.now();
  let last = 0;
  let shown = false;
  const line = (p: Progress): string => {
    const secs = Math.max(1e-3, (Date.now() - start) / 1000);
    const rate = p.done / secs;
    const frac = p.total ? p.done / p.total : p.totalBytes ? p.bytes / p.totalBytes : null;
    const eta = frac !== null && frac > 0 ? formatDuration((secs * (1 - frac)) / frac) : '?';
    const count = p.total !== null ? `${p.done}/${p.total}` : `${p.done}`;
    const mb = `${(p.bytes / 1e6).toFixed(1)} MB`;
    if (!sink.isTty) return `ingest: ${count} ${unit} (${mb}, ${rate.toFixed(1)} ${unit}/s, ETA ${eta})\n`;
    const width = 24;
    const filled = frac === null ? 0 : Math.min(width, Math.round(frac * width));
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    return `\r${bar} ${count} ${unit} ${mb} ${rate.toFixed(1)}/s ETA ${eta}   `;
  };
  return {
    update(p: Progress): void {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      shown = true;
      sink.write(line(p));
    },
    done(p: Progress): void {
      if (sink.isTty) sink.write(`${line(p)}\n`);
      else if (shown) sink.write(line(p));
    },
  };
}
