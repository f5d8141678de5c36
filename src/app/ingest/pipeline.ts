/**
 * The one per-file pipeline of model ingest, shared by `layerwise ingest models` (ingest/models.ts, many files in
 * worker threads), API uploads (`ingestUpload` below, one file) and cluster workers:
 *   bytes → hash → process (parse within limits → analyse → thumbnail; work.ts, in a worker or in-thread)
 *         → record → commit in the store (one transaction per batch) → thumbnails written for the committed items.
 * Identity is the content hash (then the path), so re-running any stage changes nothing twice.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import type { Mesh } from '../../core/mesh.js';
import type { IngestOutcome, Item, ModelFileRecord, Store } from '../../store/ports.js';
import { safeName, THUMBNAIL_SIZE, writeThumbnail } from './thumbnails.js';
import { processModelBytes, type WorkOptions, type WorkResult } from './work.js';

/** The store record of one processed file (a failed parse is recorded with its error, never dropped). */
export function modelRecord(
  key: string,
  fileHash: string,
  sizeBytes: number,
  result: WorkResult | null,
  metadata: ModelFileRecord['metadata'],
  readError: ModelFileRecord['error'] = null,
): ModelFileRecord {
  if (result === null || !result.ok) {
    const error =
      readError ?? (result && !result.ok ? { code: result.error.code, message: result.error.message } : null);
    return { path: key, fileHash, sizeBytes, format: null, report: null, error, metadata };
  }
  return { path: key, fileHash, sizeBytes, format: result.format, report: result.report, error: null, metadata };
}

/**
 * Commits processed files in one transaction and writes the thumbnails of the committed items (a thumbnail that
 * cannot be written is rendered again on first request: it never fails the commit).
 */
export async function commitProcessed(
  store: Store,
  jobId: number,
  batch: { record: ModelFileRecord; thumbnail?: Uint8Array | undefined }[],
  thumbnailDir: string | undefined,
): Promise<IngestOutcome[]> {
  const outcomes = await store.commitModelFiles(
    jobId,
    batch.map((b) => b.record),
  );
  if (thumbnailDir !== undefined) {
    const byKey = new Map(batch.map((b) => [b.record.path, b.thumbnail]));
    for (const o of outcomes) {
      const png = byKey.get(o.file);
      if (png && o.itemId) await writeThumbnail(thumbnailDir, o.itemId, png).catch(() => undefined);
    }
  }
  return outcomes;
}

export interface UploadInput {
  filename: string;
  bytes: Uint8Array;
  metadata: ModelFileRecord['metadata'];
}

export interface UploadOptions {
  /** The data dir: the file is kept under `<dataDir>/uploads`, its thumbnail under `<dataDir>/thumbnails`. */
  dataDir: string;
  /** Parser limits for uploads. */
  limits: NonNullable<WorkOptions['limits']>;
  /** Runs the CPU stage (default: in-thread `processModelBytes`); a worker pool with its own limits plugs in here. */
  process?: (bytes: Uint8Array, options: WorkOptions) => Promise<WorkResult> | WorkResult;
}

/**
 * One uploaded file through the pipeline: processed first (a file that does not parse, or has no triangles, is
 * refused with a typed error and nothing is stored), then kept under uploads/, committed as a one-file job, and its
 * thumbnail written. Returns the stored item and, when the CPU stage ran in-thread, the parsed mesh for embedding.
 */
export async function ingestUpload(
  store: Store,
  file: UploadInput,
  options: UploadOptions,
): Promise<{ item: Item; mesh: Mesh | null }> {
  const run = options.process ?? processModelBytes;
  const result = await run(file.bytes, { limits: options.limits, thumbnailSize: THUMBNAIL_SIZE, keepMesh: true });
  if (!result.ok) {
    const { code, message, details } = result.error;
    throw new LayerwiseError(code as LayerwiseError['code'], `${file.filename}: ${message}`, {
      ...(details ? { details } : {}),
    });
  }
  if (result.report.triangles === 0) {
    throw new LayerwiseError('parse_error', `${file.filename}: the mesh has no triangles`);
  }
  const hash = contentHash(file.bytes);
  const dir = join(options.dataDir, 'uploads');
  await mkdir(dir, { recursive: true });
  const name = `${hash.slice(0, 12)}-${safeName(basename(file.filename))}`;
  await writeFile(join(dir, name), file.bytes);
  const jobId = await store.startJob('models', { source: 'api', paths: [resolve(dir)] });
  const record = modelRecord(`uploads/${name}`, hash, file.bytes.length, result, file.metadata);
  const [outcome] = await commitProcessed(store, jobId, [{ record, thumbnail: result.thumbnail }], options.dataDir);
  await store.finishJob(jobId, 'done', { files: 1, outcome: outcome?.outcome ?? 'unknown' });
  const item = outcome?.itemId ? await store.getItem(outcome.itemId) : null;
  if (item === null) throw new LayerwiseError('internal', `upload of ${file.filename} was not stored`);
  return { item, mesh: result.mesh ?? null };
}
