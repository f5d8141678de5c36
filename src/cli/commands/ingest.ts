/**
 * `layerwise ingest models <dir|files…>`, `layerwise ingest items <file>` and `layerwise ingest events <file>`: bring
 * model files (parsed and analysed in worker threads), catalogue rows without meshes (streamed) and interaction
 * events (streamed) into the store. Per-file / per-row errors are
 * reported, not fatal. `--json` prints the summary `{ scanned, added, updated, unchanged, failed, errors }`.
 */

import { EVENT_FORMATS, type EventFormat } from '../../app/choices.js';
import { loadConfig } from '../../app/config.js';
import { ingestEvents } from '../../app/ingest/events.js';
import { ingestItemsFile } from '../../app/ingest/items.js';
import { ingestModels } from '../../app/ingest/models.js';
import { createProgressReporter, type Progress, type ProgressSink } from '../../app/ingest/progress.js';
import { withStore } from '../../app/store.js';
import { LayerwiseError } from '../../core/errors.js';
import type { CommandContext, RegisterCommand } from './types.js';

interface Common {
  json?: boolean;
  dataDir?: string;
  progress?: boolean;
}

function sink(ctx: CommandContext): ProgressSink {
  return ctx.io.isTty
    ? { isTty: true, write: (t) => void process.stderr.write(t) }
    : { isTty: false, write: (t) => ctx.io.err(t) };
}

function reporter(ctx: CommandContext, opts: Common, unit: string) {
  if (opts.progress === false) return { update: (_: Progress) => {}, done: (_: Progress) => {} };
  return createProgressReporter(sink(ctx), unit);
}

function printErrors(ctx: CommandContext, errors: { file: string; code: string; message: string }[], failed: number) {
  for (const e of errors.slice(0, 20)) ctx.io.out(`  ${e.file}: ${e.code}: ${e.message}`);
  if (failed > 20) ctx.io.out(`  … ${failed - 20} more (see the ingest job's outcomes)`);
}

export const register: RegisterCommand = (program, ctx) => {
  const ingest = program.command('ingest').description('bring model files or interaction events into the store');

  ingest
    .command('models')
    .description('ingest mesh files (STL, OBJ, PLY, OFF, 3MF) from folders (recursive) or files, with sidecar metadata')
    .argument('<paths...>', 'folders and/or files')
    .option('--json', 'print the summary as one JSON object')
    .option('--workers <n>', 'worker threads for parsing and analysis (default min(2, cores); 0 = in-thread)')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--no-progress', 'no progress bar or log lines')
    .action(async (paths: string[], opts: Common & { workers?: string }) => {
      let workers: number | undefined;
      if (opts.workers !== undefined) {
        workers = Number(opts.workers);
        if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
          throw new LayerwiseError('invalid_argument', `--workers must be an integer in 0..64, got "${opts.workers}"`);
        }
      }
      const config = loadConfig({ flags: { dataDir: opts.dataDir } });
      workers ??= config.ingestWorkers ?? undefined;
      const progress = reporter(ctx, opts, 'files');
      let last: Progress = { done: 0, total: 0, bytes: 0, totalBytes: 0 };
      const s = await withStore(config, (store) =>
        ingestModels(store, paths, {
          ...(workers !== undefined ? { workers } : {}),
          thumbnailDir: config.dataDir,
          onProgress: (p) => progress.update((last = p)),
        }),
      );
      progress.done(last);
      if (opts.json) {
        const { scanned, added, updated, unchanged, failed, errors } = s;
        ctx.io.out(JSON.stringify({ scanned, added, updated, unchanged, failed, errors }));
        return;
      }
      const rate =
        s.seconds > 0
          ? ` — ${(s.scanned / s.seconds).toFixed(1)} files/s, ${(s.bytes / 1e6 / s.seconds).toFixed(1)} MB/s`
          : '';
      ctx.io.out(
        `scanned ${s.scanned}: ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed ` +
          `(${s.seconds.toFixed(1)} s, ${s.workers} worker threads${rate})`,
      );
      printErrors(ctx, s.errors, s.errors.length);
    });

  ingest
    .command('events')
    .description('stream interaction events (user, item, type, timestamp[, weight]) from a file')
    .argument('<file>', 'event file')
    .option('--format <format>', `one of ${EVENT_FORMATS.join(', ')} (default: from the file name, else csv)`)
    .option(
      '--unknown-items <mode>',
      'stub: create stub items for unknown ids; reject: report and skip the rows',
      'stub',
    )
    .option('--json', 'print the summary as one JSON object')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--no-progress', 'no progress bar or log lines')
    .action(async (file: string, opts: Common & { format?: string; unknownItems: string }) => {
      if (opts.format !== undefined && !(EVENT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new LayerwiseError(
          'invalid_argument',
          `--format must be one of ${EVENT_FORMATS.join(', ')}, got "${opts.format}"`,
        );
      }
      if (opts.unknownItems !== 'stub' && opts.unknownItems !== 'reject') {
        throw new LayerwiseError(
          'invalid_argument',
          `--unknown-items must be stub or reject, got "${opts.unknownItems}"`,
        );
      }
      const config = loadConfig({ flags: { dataDir: opts.dataDir } });
      const progress = reporter(ctx, opts, 'rows');
      let last: Progress = { done: 0, total: null, bytes: 0, totalBytes: null };
      const s = await withStore(config, (store) =>
        ingestEvents(store, file, {
          ...(opts.format ? { format: opts.format as EventFormat } : {}),
          unknownItems: opts.unknownItems as 'stub' | 'reject',
          onProgress: (p) => progress.update((last = p)),
        }),
      );
      progress.done(last);
      if (opts.json) {
        const { scanned, added, updated, unchanged, failed, duplicates, rejected, errors } = s;
        ctx.io.out(JSON.stringify({ scanned, added, updated, unchanged, failed, duplicates, rejected, errors }));
        return;
      }
      ctx.io.out(
        `read ${s.scanned} rows: ${s.added} added, ${s.duplicates} duplicates, ${s.failed} failed (${s.rejected} rejected) ` +
          `in ${s.seconds.toFixed(1)} s (${Math.round(s.scanned / Math.max(s.seconds, 1e-3))} rows/s)`,
      );
      printErrors(ctx, s.errors, s.failed);
    });

  ingest
    .command('items')
    .description(
      'stream catalogue rows without meshes (id, title, tags, category, creator, license, …) from JSONL or CSV',
    )
    .argument('<file>', 'items.jsonl or items.csv')
    .option('--format <format>', 'jsonl or csv (default: from the file name)')
    .option('--encoder <name>', 'encoder name for shape vectors given as bare lists of numbers')
    .option('--json', 'print the summary as one JSON object')
    .option('--data-dir <dir>', 'data directory (env LAYERWISE_DATA_DIR, default ./.layerwise)')
    .option('--no-progress', 'no progress bar or log lines')
    .action(async (file: string, opts: Common & { format?: string; encoder?: string }) => {
      if (opts.format !== undefined && opts.format !== 'jsonl' && opts.format !== 'csv') {
        throw new LayerwiseError('invalid_argument', `--format must be jsonl or csv, got "${opts.format}"`);
      }
      const config = loadConfig({ flags: { dataDir: opts.dataDir } });
      const progress = reporter(ctx, opts, 'items');
      let last: Progress = { done: 0, total: null, bytes: 0, totalBytes: null };
      const s = await withStore(config, (store) =>
        ingestItemsFile(store, file, {
          ...(opts.format ? { format: opts.format as 'jsonl' | 'csv' } : {}),
          ...(opts.encoder ? { encoder: opts.encoder } : {}),
          onProgress: (p) => progress.update((last = p)),
        }),
      );
      progress.done(last);
      if (opts.json) {
        const { scanned, added, updated, unchanged, failed, vectors, errors } = s;
        ctx.io.out(JSON.stringify({ scanned, added, updated, unchanged, failed, vectors, errors }));
        return;
      }
      ctx.io.out(
        `read ${s.scanned} items: ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed` +
          `${s.vectors > 0 ? `, ${s.vectors} shape vectors` : ''} in ${s.seconds.toFixed(1)} s`,
      );
      printErrors(ctx, s.errors, s.failed);
    });
};
