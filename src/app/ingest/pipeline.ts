/**
 * The one per-file pipeline of model ingest, shared by `layerwise ingest models` (ingest/models.ts, many files in
 * worker threads), API uploads (`ingestUpload` below, one file) and cluster workers:
 *   bytes → hash → process (parse within limits → analyse → thumbnail; work.ts, in a worker or in-thread)
 *         → record → commit in the store (one transaction per batch) → where each item's bytes are recorded
 *         (locations.ts: blob store or file: URL) and its thumbnail stored.
 * Identity is the content hash (then the path), so re-running any stage changes nothing twice.
 */
import { basename } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import type { Mesh } from '../../core/mesh.js';
import type { PrintabilityReport } from '../../core/printability.js';
import type { BlobStore } from '../../store/blobs.js';
import type { IngestOutcome, Item, ModelFileRecord, Store } from '../../store/ports.js';
import { meshKey, openBlobs, recordMeshes, recordThumbnail } from './locations.js';
import { safeName, THUMBNAIL_SIZE } from './thumbnails.js';
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

/** One processed file of a batch: its record, thumbnail, and where its bytes are (recorded for the item). */
export interface ProcessedFile {
  record: ModelFileRecord;
  thumbnail?: Uint8Array | undefined;
  /** The file's bytes (copied into a database blob store) … */
  bytes?: Uint8Array | undefined;
  /** … or its absolute path on this machine (referenced in place by a local blob store). */
  abs?: string | undefined;
}

/**
 * Commits processed files in one transaction, then records where each committed item's bytes are and stores the
 * thumbnails (a thumbnail that cannot be stored is rendered again on first request: it never fails the commit;
 * the failure is logged).
 */
export async function commitProcessed(
  store: Store,
  jobId: number,
  batch: ProcessedFile[],
  blobs: BlobStore | undefined,
): Promise<IngestOutcome[]> {
  const outcomes = await store.commitModelFiles(
    jobId,
    batch.map((b) => b.record),
  );
  if (blobs === undefined) return outcomes;
  const byKey = new Map(batch.map((b) => [b.record.path, b]));
  const meshes = [];
  for (const o of outcomes) {
    const b = byKey.get(o.file);
    if (!b || !o.itemId || o.outcome === 'failed') continue;
    meshes.push({
      itemId: o.itemId,
      hash: b.record.fileHash,
      ...(b.bytes ? { bytes: b.bytes } : {}),
      ...(b.abs ? { abs: b.abs } : {}),
    });
    if (b.thumbnail) {
      await recordThumbnail(store, blobs, o.itemId, b.thumbnail).catch((e: unknown) => {
        console.warn(`thumbnail of ${o.itemId} not stored (rendered on first request): ${(e as Error).message}`);
      });
    }
  }
  await recordMeshes(store, blobs, meshes);
  return outcomes;
}

export interface UploadInput {
  filename: string;
  bytes: Uint8Array;
  metadata: ModelFileRecord['metadata'];
}

export interface UploadOptions {
  /** The data dir (its blob store keeps the file and thumbnail unless `blobs` is given). */
  dataDir: string;
  /** Where the file and thumbnail go (default: the blob store that goes with `store`). */
  blobs?: BlobStore;
  /** Parser limits for uploads. */
  limits: NonNullable<WorkOptions['limits']>;
  /** Runs the CPU stage (default: in-thread `processModelBytes`); a worker pool with its own limits plugs in here. */
  process?: (bytes: Uint8Array, options: WorkOptions) => Promise<WorkResult> | WorkResult;
}

/**
 * Refuses a file that parsed but cannot become an item: no triangles (`parse_error`, 422), or no surface — every
 * triangle of zero area after welding (`invalid_argument`, 400): nothing to print, and nothing for a shape encoder to
 * sample. Runs before anything is stored.
 */
export function refuseUnusable(
  filename: string,
  report: Pick<PrintabilityReport, 'triangles' | 'degenerateFaces' | 'areaMm2'>,
): void {
  if (report.triangles === 0) throw new LayerwiseError('parse_error', `${filename}: the mesh has no triangles`);
  if (report.degenerateFaces >= report.triangles || !(report.areaMm2 > 0)) {
    throw new LayerwiseError(
      'invalid_argument',
      `${filename}: all ${report.triangles} triangles have zero area, so the mesh has no surface to print or to ` +
        'compare by shape (check the exporter: collapsed or collinear vertices)',
    );
  }
}

/**
 * One uploaded file through the pipeline: processed first (a file that does not parse, has no triangles or no
 * surface is refused with a typed error and nothing is stored), then kept under uploads/, committed as a one-file job, and its
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
  refuseUnusable(file.filename, result.report);
  const hash = contentHash(file.bytes);
  const blobs = options.blobs ?? openBlobs(store, options.dataDir);
  const name = `${hash.slice(0, 12)}-${safeName(basename(file.filename))}`;
  const jobId = await store.startJob('models', { source: 'api', blob: meshKey(hash) });
  const record = modelRecord(`uploads/${name}`, hash, file.bytes.length, result, file.metadata);
  const [outcome] = await commitProcessed(
    store,
    jobId,
    [{ record, thumbnail: result.thumbnail, bytes: file.bytes }],
    blobs,
  );
  await store.finishJob(jobId, 'done', { files: 1, outcome: outcome?.outcome ?? 'unknown' });
  const item = outcome?.itemId ? await store.getItem(outcome.itemId) : null;
  if (item === null) throw new LayerwiseError('internal', `upload of ${file.filename} was not stored`);
  return { item, mesh: result.mesh ?? null };
}
