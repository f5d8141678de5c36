/**
 * `ingestEvents`: streams an event file into the store with constant memory — the file is read in chunks with
 * backpressure, split into lines, decoded by the pure codecs in src/io/events*.ts and inserted in batches (one
 * transaction each). Bad rows are reported with their line numbers while the rest imports; exact duplicates are
 * dropped by the store's unique index, so a killed import can simply be run again.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import { createEventCodec, type EventCodecOptions, type EventFormat, guessEventFormat } from '../../io/events.js';
import type { IngestOutcome, Store } from '../../store/ports.js';
import type { ParsedBatch } from './event-batches.js';
import { eventBatches } from './event-source.js';
import type { IngestError } from './models.js';
import type { Progress } from './progress.js';

export interface IngestEventsOptions extends EventCodecOptions {
  /** Default: guessed from the file name (u.data → movielens, .jsonl, .tsv), else csv. */
  format?: EventFormat;
  /** `stub` (default): unknown item ids become stub items; `reject`: such rows are reported and skipped. */
  unknownItems?: 'stub' | 'reject';
  /** Rows per transaction (default 50,000: fewer, larger commits are ~2× faster on SQLite). */
  batchSize?: number;
  onProgress?: (p: Progress) => void;
  /** Largest number of errors listed in the summary and stored in the job (default 1000). */
  maxErrors?: number;
  /** Parser threads: 1 (default) parses on a worker thread while this one inserts; 0 parses in-thread. */
  threads?: number;
  /** Batches being inserted at once (default 4 on PostgreSQL, 1 on SQLite, whose writes are synchronous). */
  inFlight?: number;
  /**
   * PostgreSQL: commit each batch without waiting for its WAL flush (default true). A server crash can then lose the
   * last batches committed before it; re-running the import restores them (exact duplicates are dropped). The job's
   * final bookkeeping commits synchronously, which flushes every batch before it, so a finished import is durable.
   */
  asyncCommit?: boolean;
}

function codecOptions(o: IngestEventsOptions): EventCodecOptions {
  return {
    ...(o.weights ? { weights: o.weights } : {}),
    ...(o.ratingMax !== undefined ? { ratingMax: o.ratingMax } : {}),
  };
}

export interface IngestEventsSummary {
  /** Data rows read (blank lines and headers excluded). */
  scanned: number;
  added: number;
  updated: number;
  /** Rows already stored (exact duplicates). */
  unchanged: number;
  /** Bad rows + rejected rows. */
  failed: number;
  duplicates: number;
  rejected: number;
  errors: (IngestError & { line: number })[];
  jobId: number;
  bytes: number;
  seconds: number;
}

/** Yields the lines of a file with backpressure: memory stays bounded by one chunk plus one line. */
export async function* readLines(file: string): AsyncGenerator<string> {
  let carry = '';
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = carry + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      yield text.slice(start, nl);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry !== '') yield carry;
}

export async function ingestEvents(
  store: Store,
  file: string,
  options: IngestEventsOptions = {},
): Promise<IngestEventsSummary> {
  const t0 = Date.now();
  let totalBytes: number;
  try {
    totalBytes = statSync(file).size;
  } catch (e) {
    throw new LayerwiseError('not_found', `no such event file: ${file}`, { cause: e });
  }
  const format = options.format ?? guessEventFormat(file);
  createEventCodec(format, options); // bad options fail here, before a job is started
  const unknownItems = options.unknownItems ?? 'stub';
  const batchSize = Math.max(1, options.batchSize ?? 50_000);
  const maxErrors = options.maxErrors ?? 1000;
  const name = basename(file);
  const jobId = await store.startJob('events', { file, format, unknownItems });
  const s: IngestEventsSummary = {
    scanned: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    duplicates: 0,
    rejected: 0,
    errors: [],
    jobId,
    bytes: 0,
    seconds: 0,
  };
  const fail = (line: number, code: string, message: string) => {
    s.failed++;
    if (s.errors.length < maxErrors) s.errors.push({ file: name, line, code, message });
  };
  let status: 'done' | 'failed' = 'done';
  try {
    // Parsing runs on a worker thread where one is available: this thread only inserts (event-source.ts). On
    // PostgreSQL four batches are in flight, so the server's backends insert in parallel while others wait on WAL
    // (each batch is still one transaction that drops exact duplicates, so a killed import re-run ends with the
    // same rows).
    const parse = { format, batchSize, maxErrors, ...codecOptions(options) };
    const depth = Math.max(1, options.inFlight ?? (store.dialect === 'postgres' ? 4 : 1));
    const asyncCommit = options.asyncCommit ?? true;
    const pending: Promise<void>[] = [];
    const insert = async (p: ParsedBatch) => {
      const r = await store.addEventBatch(p.events, { unknownItems, asyncCommit });
      s.added += r.inserted;
      s.duplicates += r.duplicates;
      s.rejected += r.rejected.length;
      for (const i of r.rejected) {
        const line = p.lines[i]!;
        const item = p.events.itemIds[p.events.item[i]!]!;
        fail(
          line,
          'not_found',
          `line ${line}: unknown item ${JSON.stringify(item)} rejected (--unknown-items reject); ingest the models first or use stub`,
        );
      }
    };
    try {
      for await (const p of eventBatches(file, parse, options.threads ?? 1)) {
        s.scanned += p.scanned;
        s.failed += p.failed;
        for (const e of p.errors) if (s.errors.length < maxErrors) s.errors.push({ file: name, ...e });
        if (p.events.length > 0) {
          const done = insert(p);
          done.catch(() => undefined); // awaited below, in order; this only keeps a later failure from being unhandled
          pending.push(done);
        }
        while (pending.length >= depth) await pending.shift();
        s.bytes = p.bytes;
        options.onProgress?.({ done: s.scanned, total: null, bytes: s.bytes, totalBytes });
      }
      while (pending.length > 0) await pending.shift();
    } finally {
      // A failed batch must not leave another one running against a store that is about to be used or closed.
      await Promise.allSettled(pending);
    }
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    s.bytes = Math.min(s.bytes, totalBytes);
    s.errors.sort((a, b) => a.line - b.line);
    s.unchanged = s.duplicates;
    s.seconds = (Date.now() - t0) / 1000;
    const outcomes: IngestOutcome[] = s.errors.map((e) => ({
      file: `${e.file}:${e.line}`,
      outcome: 'failed',
      itemId: null,
      code: e.code,
      message: e.message,
    }));
    await store.addJobOutcomes(jobId, outcomes);
    const { errors, ...counts } = s;
    await store.finishJob(jobId, status, counts);
  }
  return s;
}
