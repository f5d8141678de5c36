/**
 * `ingestModels`: the model-file ingest behind `layerwise ingest models` and the demo generator. Scan (sorted) →
 * read + hash in the main thread → skip files whose hash is already a ready item → parse + analyse in worker
 * threads → commit results in scan order, in batches, each batch one transaction. Because identity is the content
 * hash (then the path) and commits are ordered, a run killed at any moment and re-run ends with exactly the rows of
 * an uninterrupted run.
 */
import { readFile } from 'node:fs/promises';
import { contentHash } from '../../core/ids.js';
import type { BlobStore } from '../../store/blobs.js';
import type { IngestOutcome, Store } from '../../store/ports.js';
import { openBlobs } from './locations.js';
import { commitProcessed, modelRecord, type ProcessedFile } from './pipeline.js';
import { createIngestPool, defaultWorkers, type IngestPool } from './pool.js';
import type { Progress } from './progress.js';
import { type ScannedFile, scanModelFiles } from './scan.js';
import { THUMBNAIL_SIZE } from './thumbnails.js';
import type { WorkResult } from './work.js';

export interface IngestModelsOptions {
  /** Worker threads (default min(2, cores)); 0 = in-thread. */
  workers?: number;
  /** Files per committed transaction (default 32). */
  batchSize?: number;
  /** Called as files finish (throttle in the callee). */
  onProgress?: (p: Progress) => void;
  /** Largest number of errors listed in the summary (all are stored in the job); default 1000. */
  maxErrors?: number;
  /**
   * Data directory: when given, thumbnails are rendered in the workers, and thumbnails and where each file's bytes
   * are go to the blob store that goes with the store (locations.ts).
   */
  thumbnailDir?: string;
  /** Blob store to use instead of the default one for `thumbnailDir`. */
  blobs?: BlobStore;
}

export interface IngestError {
  file: string;
  code: string;
  message: string;
}

export interface IngestModelsSummary {
  scanned: number;
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: IngestError[];
  jobId: number;
  bytes: number;
  seconds: number;
  workers: number;
}

async function prepare(
  store: Store,
  f: ScannedFile,
  run: (b: Uint8Array) => Promise<WorkResult>,
  keepBytes: boolean,
): Promise<Prepared> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(f.abs);
  } catch (e) {
    const message = `cannot read ${f.abs}: ${(e as Error).message}`;
    const hash = contentHash(Buffer.from(`unreadable:${f.key}`));
    return { record: modelRecord(f.key, hash, 0, null, f.metadata, { code: 'io_error', message }) };
  }
  const hash = contentHash(bytes);
  const known = (await store.findItemsByHash([hash])).get(hash);
  if (known && known.status === 'ready') {
    // unchanged content: the commit records the path against the known item, nothing is parsed again
    return {
      record: { ...modelRecord(f.key, hash, bytes.byteLength, null, f.metadata), format: known.format },
      abs: f.abs,
      ...(keepBytes ? { bytes } : {}),
    };
  }
  const r = await run(bytes);
  return {
    record: modelRecord(f.key, hash, bytes.byteLength, r, f.metadata),
    thumbnail: r.ok ? r.thumbnail : undefined,
    abs: f.abs,
    ...(keepBytes ? { bytes } : {}),
  };
}

type Prepared = ProcessedFile;

export async function ingestModels(
  store: Store,
  paths: string[],
  options: IngestModelsOptions = {},
): Promise<IngestModelsSummary> {
  const t0 = Date.now();
  const { files, errors: scanErrors } = scanModelFiles(paths);
  const workers = options.workers ?? defaultWorkers();
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const maxErrors = options.maxErrors ?? 1000;
  const jobId = await store.startJob('models', { paths, workers });
  // Started on the first file that needs parsing: a re-run of an unchanged library spawns no threads.
  let pool: IngestPool | null = null;
  const thumbnailDir = options.thumbnailDir;
  const blobs = options.blobs ?? (thumbnailDir === undefined ? undefined : openBlobs(store, thumbnailDir));
  // A database blob store (cluster) gets a copy of the bytes; a local one references the files in place.
  const keepBytes = blobs !== undefined && blobs.backend !== 'local';
  const work = thumbnailDir === undefined ? {} : { thumbnailSize: THUMBNAIL_SIZE };
  const run = (bytes: Uint8Array) => {
    pool ??= createIngestPool(workers);
    summary.workers = pool.threads;
    return pool.run(bytes, work);
  };
  const summary: IngestModelsSummary = {
    scanned: files.length,
    added: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    errors: [],
    jobId,
    bytes: 0,
    seconds: 0,
    workers: 0,
  };
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  const results: (Prepared | undefined)[] = new Array(files.length);
  let next = 0;
  let committed = 0;
  let done = 0;
  let commitChain: Promise<void> = Promise.resolve();
  let commitError: unknown;

  const tally = (outcomes: IngestOutcome[]) => {
    for (const o of outcomes) {
      summary[o.outcome]++;
      if (o.outcome === 'failed' && summary.errors.length < maxErrors) {
        summary.errors.push({ file: o.file, code: o.code ?? 'internal', message: o.message ?? '' });
      }
    }
  };
  // Commits the contiguous finished prefix (in scan order) in batches; serialised through commitChain.
  const flush = (final: boolean) => {
    commitChain = commitChain
      .then(async () => {
        for (;;) {
          let end = committed;
          while (end < files.length && end - committed < batchSize && results[end]) end++;
          if (end === committed || (!final && end - committed < batchSize)) return;
          const batch = results.slice(committed, end) as Prepared[];
          tally(await commitProcessed(store, jobId, batch, blobs));
          for (let i = committed; i < end; i++) results[i] = undefined;
          committed = end;
        }
      })
      .catch((e) => {
        commitError ??= e;
      });
    return commitChain;
  };

  const concurrency = Math.max(1, workers) * 4;
  const runner = async () => {
    for (;;) {
      const i = next++;
      if (i >= files.length || commitError !== undefined) return;
      const f = files[i]!;
      results[i] = await prepare(store, f, run, keepBytes);
      summary.bytes += f.size;
      done++;
      options.onProgress?.({ done, total: files.length, bytes: summary.bytes, totalBytes });
      void flush(false);
    }
  };
  let status: 'done' | 'failed' = 'done';
  try {
    await Promise.all(Array.from({ length: concurrency }, runner));
    await flush(true);
    if (commitError !== undefined) throw commitError;
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    await (pool as IngestPool | null)?.close();
    for (const e of scanErrors) if (summary.errors.length < maxErrors) summary.errors.push(e);
    if (scanErrors.length > 0) {
      await store.addJobOutcomes(
        jobId,
        scanErrors.map((e) => ({
          file: e.file,
          outcome: 'failed' as const,
          itemId: null,
          code: e.code,
          message: e.message,
        })),
      );
    }
    summary.seconds = (Date.now() - t0) / 1000;
    const { errors, ...counts } = summary;
    await store.finishJob(jobId, status, { ...counts, errorCount: summary.failed + scanErrors.length });
  }
  return summary;
}
