/**
 * `ingestItemsFile`: streams a catalogue file (metadata-only items — JSON lines or CSV, see src/io/catalog-rows.ts)
 * into the store with constant memory: lines are read in chunks, decoded, and each batch is compared with the
 * stored rows so that only new or changed items are written. Re-running a file is therefore cheap and reports every
 * row `unchanged`; a killed run can simply be run again. Rows with a precomputed printability report become `ready`
 * items; rows with a shape vector store it under their encoder (`--encoder` names it for bare vectors).
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import type { PrintabilityReport } from '../../core/printability.js';
import { type CatalogFormat, type CatalogRow, createCatalogCodec, guessCatalogFormat } from '../../io/catalog-rows.js';
import type { IngestOutcome, Item, ItemInput, Store } from '../../store/ports.js';
import { readLineBatches } from './lines.js';

export interface IngestItemsOptions {
  /** Default: csv for `.csv`, else jsonl. */
  format?: CatalogFormat;
  /** Encoder name for shape vectors given as bare lists of numbers. */
  encoder?: string;
  /** Rows per store transaction (default 5,000). */
  batchSize?: number;
  /** Largest number of errors listed (default 1000). */
  maxErrors?: number;
  onProgress?: (p: { done: number; total: number | null; bytes: number; totalBytes: number | null }) => void;
}

export interface IngestItemsSummary {
  scanned: number;
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Shape vectors stored. */
  vectors: number;
  errors: { file: string; line: number; code: string; message: string }[];
  jobId: number;
  bytes: number;
  seconds: number;
}

const META = ['title', 'description', 'category', 'creator', 'license', 'remixOf', 'createdAt'] as const;

/** A full report from a partial one: a catalogue may know a few figures (volume, size) but not the mesh details. */
export function completeReport(p: Record<string, unknown>, line: number): PrintabilityReport {
  const bbox = p.bboxMm;
  if (!Array.isArray(bbox) || bbox.length !== 3 || bbox.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new LayerwiseError('parse_error', `line ${line}: printability.bboxMm must be [x, y, z] in mm`, {
      details: { line },
    });
  }
  const base: PrintabilityReport = {
    triangles: 0,
    vertices: 0,
    shells: 1,
    watertight: true,
    openEdges: 0,
    nonManifoldEdges: 0,
    inconsistentEdges: 0,
    degenerateFaces: 0,
    signedVolumeMm3: 0,
    volumeMm3: 0,
    insideOut: false,
    areaMm2: 0,
    bboxMm: [0, 0, 0],
    genus: null,
    overhangAreaMm2: 0,
    overhangAngleDeg: 45,
    fitsPrinter: null,
    fitOrientation: null,
    printer: null,
    massG: 0,
    printMinutes: 0,
    warnings: [],
  };
  const r = { ...base, ...p } as PrintabilityReport;
  if (p.signedVolumeMm3 === undefined) r.signedVolumeMm3 = r.volumeMm3;
  return r;
}

function sameTags(a: string[], b: string[] | undefined): boolean {
  return b === undefined || (a.length === b.length && a.every((t, i) => t === b[i]));
}

/** The input to write for `row`, or null when the stored item already says the same. */
function diff(row: CatalogRow, report: PrintabilityReport | undefined, stored: Item | undefined): ItemInput | null {
  const input: ItemInput = { id: row.id };
  for (const k of META) if (row[k] !== undefined) (input as Record<string, unknown>)[k] = row[k];
  if (row.tags !== undefined) input.tags = row.tags;
  if (report) {
    input.report = report;
    input.status = 'ready';
  }
  if (!stored) return input;
  const same =
    META.every((k) => row[k] === undefined || row[k] === stored[k]) &&
    sameTags(stored.tags, row.tags) &&
    (report === undefined || JSON.stringify(report) === JSON.stringify(stored.report));
  return same ? null : input;
}

export async function ingestItemsFile(
  store: Store,
  file: string,
  options: IngestItemsOptions = {},
): Promise<IngestItemsSummary> {
  const t0 = Date.now();
  let totalBytes: number;
  try {
    totalBytes = statSync(file).size;
  } catch (e) {
    throw new LayerwiseError('not_found', `no such catalogue file: ${file}`, { cause: e });
  }
  const format = options.format ?? guessCatalogFormat(file);
  const codec = createCatalogCodec(format);
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  const maxErrors = options.maxErrors ?? 1000;
  const name = basename(file);
  const jobId = await store.startJob('items', { file, format });
  const s: IngestItemsSummary = {
    ...{ scanned: 0, added: 0, updated: 0, unchanged: 0, failed: 0, vectors: 0, errors: [] },
    ...{ jobId, bytes: 0, seconds: 0 },
  };
  const fail = (line: number, code: string, message: string) => {
    s.failed++;
    if (s.errors.length < maxErrors) s.errors.push({ file: name, line, code, message });
  };
  const dims = new Map<string, number>();
  let batch = new Map<string, { row: CatalogRow; line: number; report?: PrintabilityReport }>();
  const flush = async () => {
    if (batch.size === 0) return;
    const stored = await store.getItems([...batch.keys()]);
    const writes: ItemInput[] = [];
    const vectors = new Map<string, { itemId: string; vector: Float32Array }[]>();
    for (const { row, report } of batch.values()) {
      const input = diff(row, report, stored.get(row.id));
      if (input === null) s.unchanged++;
      else {
        writes.push(input);
        if (stored.has(row.id)) s.updated++;
        else s.added++;
      }
      if (row.shape) {
        const enc = row.shape.encoder ?? options.encoder!;
        const list = vectors.get(enc) ?? [];
        list.push({ itemId: row.id, vector: row.shape.vector });
        vectors.set(enc, list);
      }
    }
    if (writes.length > 0) await store.upsertItems(writes);
    for (const [enc, rows] of vectors) {
      await store.putEmbeddings(enc, rows);
      s.vectors += rows.length;
    }
    batch = new Map();
    options.onProgress?.({ done: s.scanned, total: null, bytes: s.bytes, totalBytes });
  };
  let status: 'done' | 'failed' = 'done';
  try {
    for await (const { lines, firstLine, bytes } of readLineBatches(file)) {
      for (let i = 0; i < lines.length; i++) {
        const line = firstLine + i;
        const r = codec(lines[i]!, line);
        if (r.kind === 'skip') continue;
        s.scanned++;
        if (r.kind === 'error') {
          fail(line, r.error.code, r.error.message);
          continue;
        }
        const row = r.item;
        try {
          if (row.shape) {
            const enc = row.shape.encoder ?? options.encoder;
            if (!enc) throw new LayerwiseError('parse_error', 'a bare shape vector needs --encoder <name>');
            const dim = dims.get(enc) ?? row.shape.vector.length;
            if (dim !== row.shape.vector.length)
              throw new LayerwiseError('parse_error', `shape has ${row.shape.vector.length} values, ${enc} has ${dim}`);
            dims.set(enc, dim);
          }
          const report = row.printability ? completeReport(row.printability, line) : undefined;
          // A later row of the same id in one batch wins, as it would in a later batch.
          batch.set(row.id, report ? { row, line, report } : { row, line });
        } catch (e) {
          const err = e as LayerwiseError;
          fail(
            line,
            err.code ?? 'parse_error',
            err.message.startsWith('line') ? err.message : `line ${line}: ${err.message}`,
          );
          continue;
        }
        if (batch.size >= batchSize) await flush();
      }
      s.bytes = bytes;
    }
    await flush();
  } catch (e) {
    status = 'failed';
    throw e;
  } finally {
    s.errors.sort((a, b) => a.line - b.line);
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
