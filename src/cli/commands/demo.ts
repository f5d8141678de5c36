/**
 * `layerwise demo`: generates the procedural demo library (meshes, listings, users, events, ground truth) into
 * `--out` and, unless `--no-ingest`, ingests it into the data directory. `--scale` streams metadata-only items and
 * events for load tests instead.
 */
import { join } from 'node:path';
import { loadConfig } from '../../app/config.js';
import type { Progress } from '../../app/ingest/progress.js';
import { withStore } from '../../app/store.js';
import { LayerwiseError } from '../../core/errors.js';
import { generateDemo, generateScale, ingestDemo, ingestScaleDemo } from '../../demo/index.js';
import type { CommandContext, RegisterCommand } from './types.js';

interface DemoFlags {
  items?: string;
  users?: string;
  events?: string;
  seed: string;
  out?: string;
  reuse: string;
  ingest: boolean;
  scale?: boolean;
  dataDir?: string;
  json?: boolean;
  progress: boolean;
}

function int(name: string, raw: string, min: number): number {
  const v = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(v) || v < min)
    throw new LayerwiseError('invalid_argument', `--${name} must be an integer ≥ ${min}; got "${raw}"`);
  return v;
}

/** Progress on stderr: a redrawn line on a terminal, otherwise a log line every 10 %. */
function progress(ctx: CommandContext, enabled: boolean) {
  const t0 = Date.now();
  let lastTenth = -1;
  let lastDraw = 0;
  return (stage: string, done: number, total: number | null) => {
    if (!enabled) return;
    const secs = (Date.now() - t0) / 1000;
    const of = total ? `/${total}` : '';
    if (ctx.io.isTty) {
      if (Date.now() - lastDraw < 100 && done !== total) return;
      lastDraw = Date.now();
      process.stderr.write(`\rdemo: ${stage} ${done}${of} (${secs.toFixed(1)} s)   ${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = total ? Math.floor((10 * done) / total) : -1;
    if (total && tenth === lastTenth) return;
    lastTenth = tenth;
    ctx.io.err(`demo: ${stage} ${done}${of} (${secs.toFixed(1)} s)`);
  };
}

const ingestProgress = (report: ReturnType<typeof progress>) => (stage: 'models' | 'items' | 'events', p: Progress) =>
  report(`ingest ${stage}`, p.done, p.total);

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('demo')
    .description('generate a procedural demo library (printable models, users, events, ground truth) and ingest it')
    .option('--items <n>', 'number of models (default 2000; scale mode: metadata-only items, default 1000000)')
    .option('--users <n>', 'number of synthetic users (default 2000; scale mode: about events/40)')
    .option('--events <n>', 'scale mode: number of events to stream (default 100000000)')
    .option('--seed <s>', 'random seed: the same seed gives the same files byte for byte', '42')
    .option('--out <dir>', 'output folder (default <data-dir>/demo)')
    .option('--reuse <r>', 'models per built design; the rest are scaled/rotated variants (1 = build every model)', '2')
    .option('--scale', 'stream metadata-only items and events for load tests (constant memory)')
    .option('--no-ingest', 'only write the files')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--json', 'print the summary as one JSON object')
    .option('--no-progress', 'no progress output')
    .action(async (opts: DemoFlags) => {
      const config = loadConfig({ flags: { dataDir: opts.dataDir } });
      const out = opts.out ?? join(config.dataDir, opts.scale ? 'demo-scale' : 'demo');
      const seed = int('seed', opts.seed, 0);
      const report = progress(ctx, opts.progress);
      let summary: Record<string, unknown>;
      if (opts.scale) {
        const s = await generateScale({
          out,
          seed,
          items: int('items', opts.items ?? '1000000', 1),
          events: int('events', opts.events ?? '100000000', 0),
          ...(opts.users === undefined ? {} : { users: int('users', opts.users, 1) }),
          onProgress: report,
        });
        const ingested = opts.ingest
          ? await withStore(config, (store) => ingestScaleDemo(store, out, { onProgress: ingestProgress(report) }))
          : null;
        summary = { ...s, ingested };
      } else {
        const s = await generateDemo({
          out,
          seed,
          items: int('items', opts.items ?? '2000', 1),
          users: int('users', opts.users ?? '2000', 0),
          reuse: Number(opts.reuse),
          onProgress: report,
        });
        const ingested = opts.ingest
          ? await withStore(config, (store) =>
              ingestDemo(store, out, { thumbnailDir: config.dataDir, onProgress: ingestProgress(report) }),
            )
          : null;
        summary = { ...s, ingested };
      }
      const ingested = summary.ingested as { events: { failed: number }; models: { failed: number } | null } | null;
      if (ingested && (ingested.events.failed > 0 || (ingested.models?.failed ?? 0) > 0)) ctx.setExitCode(1);
      if (opts.json) {
        ctx.io.out(JSON.stringify(summary));
        return;
      }
      ctx.io.out(describe(summary));
    });
};

function describe(s: Record<string, unknown>): string {
  const lines = [`demo library in ${s.out}: ${s.items} items, ${s.users} users, ${s.events} events`];
  if (s.files) {
    const f = s.files as { stl: number; '3mf': number; bytes: number };
    const t = s.triangles as { min: number; median: number; max: number };
    const sec = s.seconds as { models: number; events: number };
    lines.push(
      `  ${f.stl} STL + ${f['3mf']} 3MF files (${(f.bytes / 1e6).toFixed(1)} MB), ${s.designsBuilt} designs built, ` +
        `triangles ${t.min}/${t.median}/${t.max} (min/median/max); models ${sec.models.toFixed(1)} s, events ${sec.events.toFixed(1)} s`,
    );
  } else lines.push(`  streamed in ${(s.seconds as number).toFixed(1)} s`);
  const ing = s.ingested as {
    models: { added: number; unchanged: number; failed: number } | null;
    items: number;
    users: number;
    events: { added: number; duplicates: number; failed: number };
  } | null;
  if (ing) {
    const m = ing.models
      ? `${ing.models.added} models added (${ing.models.unchanged} unchanged, ${ing.models.failed} failed), `
      : `${ing.items} items, `;
    lines.push(
      `  ingested: ${m}${ing.users} users, ${ing.events.added} events added (${ing.events.duplicates} duplicates, ${ing.events.failed} failed)`,
    );
  } else lines.push('  not ingested (--no-ingest)');
  return lines.join('\n');
}
