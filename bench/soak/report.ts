/** The soak run's tables: per minute (requests, errors, latency, server RSS and CPU, load) and per request kind. */

export interface Minute {
  minute: number;
  /** ms from due time to response, every request due in this minute. */
  lat: number[];
  errors: number;
  /** Server RSS at the end of the minute and its largest sample, MB. */
  rss: number;
  rssMax: number;
  /** Server CPU seconds used in the minute. */
  cpuS: number;
  /** 1-minute load average of the machine at the end of the minute. */
  load: number;
  /**
   * Where the resident memory is at the end of the minute, MB: anonymous (heaps, SQLite page caches, typed arrays)
   * and file-backed (mapped code and index files) from /proc; the V8 heap in use and the memory outside it
   * (ArrayBuffers, native) from the server's /metrics.
   */
  anon?: number;
  file?: number;
  heap?: number;
  external?: number;
}

export interface ReportInput {
  rate: number;
  minutes: number;
  seed: number;
  sent: number;
  uploads: number;
  /** the share of requests that were uploads (the rest of the last 20 % are event batches) */
  uploadShare: number;
  library: string;
  startupS: number;
  rssStart: number;
  buckets: Minute[];
  byKind: Map<string, number[]>;
  errorKinds: Map<string, number>;
  logLevel: string;
  exitCode: number | null;
}

const pct = (share: number): string => String(Number((share * 100).toFixed(2)));

function quantile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');

export function report(r: ReportInput): { text: string; markdown: string } {
  const errors = r.buckets.reduce((a, b) => a + b.errors, 0);
  const warm = r.buckets[0]?.rss ?? Number.NaN;
  const end = r.buckets.at(-1)?.rss ?? Number.NaN;
  const growth = (end / warm - 1) * 100;
  const minuteRows = [
    '| minute | requests | errors | p50 ms | p99 ms | max ms | server RSS MB (end · max) | anon · file MB | V8 heap · external MB | server CPU % | load (1 min) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.buckets.map(
      (b) =>
        `| ${b.minute} | ${b.lat.length} | ${b.errors} | ${f1(quantile(b.lat, 0.5))} | ${f1(quantile(b.lat, 0.99))} | ` +
        `${f0(Math.max(...b.lat))} | ${f0(b.rss)} · ${f0(b.rssMax)} | ${f0(b.anon ?? Number.NaN)} · ${f0(b.file ?? Number.NaN)} | ` +
        `${f0(b.heap ?? Number.NaN)} · ${f0(b.external ?? Number.NaN)} | ${f0((b.cpuS / 60) * 100)} | ${b.load.toFixed(1)} |`,
    ),
  ];
  const kindRows = [
    '| kind | requests | p50 ms | p99 ms | p99.9 ms |',
    '|---|---:|---:|---:|---:|',
    ...[...r.byKind.entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .map(
        ([k, xs]) =>
          `| ${k} | ${xs.length} | ${f1(quantile(xs, 0.5))} | ${f1(quantile(xs, 0.99))} | ${f1(quantile(xs, 0.999))} |`,
      ),
  ];
  const all = r.buckets.flatMap((b) => b.lat);
  const summary =
    `${r.sent} requests due at ${r.rate} req/s over ${r.minutes} min (${r.uploads} uploads); **${errors} errors**; ` +
    `p50 ${f1(quantile(all, 0.5))} ms, p99 ${f1(quantile(all, 0.99))} ms over the run; server RSS ${f0(r.rssStart)} MB ` +
    `when ready (after ${r.startupS.toFixed(0)} s), ${f0(warm)} MB after the warm-up minute, ${f0(end)} MB at the end ` +
    `(**${growth >= 0 ? '+' : ''}${growth.toFixed(1)} %**); server exit code ${r.exitCode} after SIGTERM.`;
  const errorLines = [...r.errorKinds.entries()].map(([k, n]) => `- ${k}: ${n}`);
  const text = [minuteRows.join('\n'), '', kindRows.join('\n'), '', summary, ...errorLines].join('\n');
  const markdown = [
    '## Soak: 10 minutes of mixed traffic, open loop (bench/soak, issue 15)',
    '',
    `\`npx tsx bench/soak/run.ts --data-dir <demo library> --rate ${r.rate} --minutes ${r.minutes} --seed ${r.seed} ` +
      '--write` under `flock /work/coord/bench.lock`: the built `layerwise serve` in its own process (defaults, ' +
      `request log at ${r.logLevel} to /dev/null, per-address rate limit off) on a copy of ${r.library}; ` +
      'requests due every 1/rate s whatever the answers (raw keep-alive sockets, bench/soak/open-loop.ts), latency ' +
      'from the due time. Mix: 55 % recommendations, 15 % similar, 10 % search, ' +
      `${pct(0.2 - r.uploadShare)} % event batches (1–5 events), ${pct(r.uploadShare)} % uploads (demo STLs made new)` +
      `${r.uploadShare === 0.002 ? '' : ` (--uploads ${r.uploadShare})`}. ` +
      'Target: 0 errors, RSS growth < 10 % after the warm-up minute.',
    '',
    summary,
    '',
    minuteRows.join('\n'),
    '',
    kindRows.join('\n'),
    ...(errorLines.length > 0 ? ['', 'Errors:', ...errorLines] : []),
  ].join('\n');
  return { text, markdown };
}
