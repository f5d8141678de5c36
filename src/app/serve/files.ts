/**
 * Mesh files behind the API: uploads go through the one ingest pipeline (app/ingest/pipeline.ts) with the server's
 * upload limits, their CPU work (parse, analyse, thumbnail) in the mesh sandbox (app/sandbox: worker threads with a
 * heap limit and a clock), so no upload can stall the request thread; limits are reported by name. Thumbnails are
 * stored at ingest, or rendered from the item's mesh on first request and stored; an item's mesh and thumbnail are
 * read from where ingest recorded them (app/ingest/locations.ts) — the blob store, which is PostgreSQL for a
 * PostgreSQL store, so every replica of a cluster serves them.
 */
import { LayerwiseError } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import type { Mesh } from '../../core/mesh.js';
import type { AnalyzeOptions } from '../../geometry/analyze.js';
import { renderThumbnail } from '../../geometry/render-thumbnail.js';
import type { BlobStore } from '../../store/blobs.js';
import type { Item, ModelFileRecord, Store } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import { itemSearchRoots, loadItemMesh } from '../ingest/locate.js';
import { openBlobs, readThumbnail, recordThumbnail } from '../ingest/locations.js';
import { ingestUpload, refuseUnusable } from '../ingest/pipeline.js';
import { THUMBNAIL_SIZE } from '../ingest/thumbnails.js';
import type { WorkResult } from '../ingest/work.js';
import { createMeshPool, type MeshPool } from '../sandbox/mesh-pool.js';
import { deserializeError, type MeshTaskOutput } from '../sandbox/mesh-task.js';
import type { UploadedFile, UploadMetadata } from './types.js';

/** Computes a shape embedding for a mesh with the encoder the catalogue's vectors came from. */
export type MeshEmbedder = (mesh: Mesh) => Promise<Float32Array> | Float32Array;

/**
 * How uploads are embedded: `'sandbox'` in the mesh workers with the encoder checkpoint they were given
 * (`FileServiceOptions.encoder`; `layerwise serve` does this), or a function run on the request thread (tests).
 */
export type UploadEmbedder = MeshEmbedder | 'sandbox';

export interface FileServiceOptions {
  dataDir: string;
  config: ServerConfig;
  /** Extra folders to look for ingested files in (their paths are `<root folder>/<relative path>`). */
  searchRoots?: string[];
  /** The shape encoder checkpoint the mesh workers embed uploads with (`UploadEmbedder` `'sandbox'`). */
  encoder?: Uint8Array;
}

/** What each upload limit is called in messages. */
const LIMIT_WORDS: Record<string, string> = {
  bytes: 'bytes per file',
  triangles: 'triangles',
  vertices: 'vertices',
  zipEntryBytes: 'bytes per 3MF entry (uncompressed)',
  time: 'ms of processing per file',
  memory: 'MB of memory per file',
};

export class FileService {
  private roots: string[] | undefined;
  readonly pool: MeshPool;
  /** Where uploads, thumbnails and item bytes are kept (PostgreSQL chunks for a PostgreSQL store). */
  readonly blobs: BlobStore;

  constructor(
    private readonly store: Store,
    private readonly options: FileServiceOptions,
  ) {
    const u = options.config.uploads;
    this.pool = createMeshPool({
      threads: u.workers,
      memoryMb: u.memoryMb,
      timeMs: u.timeMs,
      ...(options.encoder ? { encoder: options.encoder } : {}),
    });
    this.blobs = openBlobs(store, options.dataDir);
  }

  private limits() {
    const { maxBytes, maxTriangles, maxVertices, maxZipEntryBytes } = this.options.config.uploads;
    return { maxBytes, maxTriangles, maxVertices, maxZipEntryBytes };
  }

  /** The configured value of a named limit (for messages); undefined for parser-internal ones. */
  private limitValue(name: string): number | undefined {
    const u = this.options.config.uploads;
    const values: Record<string, number> = {
      bytes: u.maxBytes,
      triangles: u.maxTriangles,
      vertices: u.maxVertices,
      zipEntryBytes: u.maxZipEntryBytes,
      time: u.timeMs,
      memory: u.memoryMb,
    };
    return values[name];
  }

  /** Prefixes the file name and names the server's limit when a file was refused for one (422/413). */
  private explain(file: UploadedFile, e: unknown): unknown {
    if (!(e instanceof LayerwiseError)) return e;
    let message = e.message.startsWith(`${file.filename}: `) ? e.message : `${file.filename}: ${e.message}`;
    const name = typeof e.details.name === 'string' ? e.details.name : undefined;
    const value = name === undefined ? undefined : this.limitValue(name);
    if (e.code === 'limit_exceeded' && name !== undefined && value !== undefined) {
      message += ` (this server accepts at most ${value} ${LIMIT_WORDS[name] ?? name})`;
    }
    return new LayerwiseError(e.code, message, { cause: e, details: e.details });
  }

  /** Parses (and optionally analyses) an upload in the sandbox with the upload limits; typed errors only. */
  async process(
    file: UploadedFile,
    task: { analyze?: AnalyzeOptions; thumbnail?: boolean; mesh?: boolean; embed?: boolean } = {},
  ): Promise<MeshTaskOutput> {
    try {
      return await this.pool.run(file.bytes, {
        parse: this.limits(),
        ...(task.analyze ? { analyze: task.analyze } : {}),
        ...(task.thumbnail ? { thumbnailSize: THUMBNAIL_SIZE } : {}),
        ...(task.embed ? { embed: true } : {}),
        returnMesh: task.mesh ?? true,
      });
    } catch (e) {
      throw this.explain(file, e);
    }
  }

  /** The parsed mesh of an upload (sandboxed, upload limits); a corrupt file is 422, too big 422/413 by name. */
  async parseUpload(file: UploadedFile): Promise<Mesh> {
    return (await this.process(file)).mesh!;
  }

  /** The shape embedding of an upload (parsed with the upload limits; embedded in the sandbox or by `embed`). */
  async embedUpload(file: UploadedFile, embed: UploadEmbedder): Promise<Float32Array> {
    if (embed !== 'sandbox') return embed(await this.parseUpload(file));
    return this.vectorOf(file, await this.process(file, { embed: true, mesh: false }));
  }

  /** The vector a sandbox task computed, or its embedding error (file name and limit named). */
  private vectorOf(file: UploadedFile, out: MeshTaskOutput): Float32Array {
    if (out.embedError) throw this.explain(file, deserializeError(out.embedError));
    return out.vector!;
  }

  /**
   * An uploaded mesh through the one ingest pipeline (app/ingest/pipeline.ts). The CPU stage runs in the sandbox,
   * the shape embedding too with `embed` `'sandbox'`; the embedding is computed BEFORE anything is stored, so a file
   * the encoder refuses is refused whole: no item, no file, no job. Identical bytes already in the library are a 409
   * naming that item — never a second copy, never a silent overwrite of the other item's title and tags.
   */
  async upload(
    file: UploadedFile,
    meta: UploadMetadata,
    embed?: UploadEmbedder,
  ): Promise<{ item: Item; mesh: Mesh; vector: Float32Array | undefined }> {
    const existing = (await this.store.findItemsByHash([contentHash(file.bytes)])).values().next().value;
    if (existing !== undefined && existing.status !== 'failed') {
      throw new LayerwiseError('conflict', `${file.filename}: these exact bytes are already item ${existing.id}`, {
        details: { itemId: existing.id },
      });
    }
    const metadata: ModelFileRecord['metadata'] = { title: meta.title ?? file.filename.replace(/\.[^.]+$/, '') };
    if (meta.description !== undefined) metadata.description = meta.description;
    if (meta.license !== undefined) metadata.license = meta.license;
    if (meta.creator !== undefined) metadata.creator = meta.creator;
    if (meta.category !== undefined) metadata.category = meta.category;
    if (meta.tags !== undefined) metadata.tags = meta.tags;
    const out = await this.process(file, { analyze: {}, thumbnail: true, embed: embed === 'sandbox' });
    // before the embedding counts: an empty surface is refused for that, whatever the encoder made of it
    refuseUnusable(file.filename, out.report!);
    const mesh = out.mesh!;
    let vector: Float32Array | undefined;
    try {
      vector = embed === undefined ? undefined : embed === 'sandbox' ? this.vectorOf(file, out) : await embed(mesh);
    } catch (e) {
      throw this.explain(file, e);
    }
    const result: WorkResult = { ok: true, format: out.format, report: out.report!, mesh };
    if (out.thumbnail) result.thumbnail = out.thumbnail;
    try {
      const { item } = await ingestUpload(
        this.store,
        { filename: file.filename, bytes: file.bytes, metadata },
        { dataDir: this.options.dataDir, limits: this.limits(), blobs: this.blobs, process: () => result },
      );
      return { item, mesh, vector };
    } catch (e) {
      throw this.explain(file, e);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async renderThumbnail(id: string, mesh: Pick<Mesh, 'positions' | 'indices'>): Promise<Uint8Array> {
    const png = renderThumbnail(mesh, { size: THUMBNAIL_SIZE });
    await recordThumbnail(this.store, this.blobs, id, png);
    return png;
  }

  /** PNG thumbnail of an item: the recorded one, else rendered from its mesh and recorded (404 without a mesh). */
  async thumbnail(item: Item): Promise<Uint8Array> {
    const stored = await readThumbnail(this.store, this.blobs, item.id);
    if (stored !== null) return stored;
    return this.renderThumbnail(item.id, await this.mesh(item));
  }

  /** The item's parsed mesh, read from where ingest recorded it (404 when the item has no reachable file). */
  async mesh(item: Item): Promise<Mesh> {
    try {
      return await loadItemMesh(this.store, this.blobs, item, async () => {
        this.roots ??= await itemSearchRoots(this.store, this.options.dataDir, this.options.searchRoots ?? []);
        return this.roots;
      });
    } catch (e) {
      this.roots = undefined; // new ingests may have added roots: look again next time
      throw e;
    }
  }
}
