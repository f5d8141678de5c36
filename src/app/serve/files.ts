/**
 * Mesh files behind the API: uploads go through the one ingest pipeline (app/ingest/pipeline.ts) with the server's
 * upload limits; thumbnails are stored at ingest, or rendered from the item's mesh on first request and stored;
 * an item's mesh and thumbnail are read from where ingest recorded them (app/ingest/locations.ts) — the blob store,
 * which is PostgreSQL for a PostgreSQL store, so every replica of a cluster serves them.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { renderThumbnail } from '../../geometry/render-thumbnail.js';
import { parseMesh } from '../../io/parse.js';
import type { BlobStore } from '../../store/blobs.js';
import type { Item, ModelFileRecord, Store } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import { itemSearchRoots, loadItemMesh } from '../ingest/locate.js';
import { openBlobs, readThumbnail, recordThumbnail } from '../ingest/locations.js';
import { ingestUpload } from '../ingest/pipeline.js';
import { THUMBNAIL_SIZE } from '../ingest/thumbnails.js';
import type { UploadedFile, UploadMetadata } from './types.js';

/** Computes a shape embedding for a mesh with the encoder the catalogue's vectors came from. */
export type MeshEmbedder = (mesh: Mesh) => Promise<Float32Array> | Float32Array;

export interface FileServiceOptions {
  dataDir: string;
  config: ServerConfig;
  /** Extra folders to look for ingested files in (their paths are `<root folder>/<relative path>`). */
  searchRoots?: string[];
}

export class FileService {
  private roots: string[] | undefined;
  /** Where uploads, thumbnails and item bytes are kept (PostgreSQL chunks for a PostgreSQL store). */
  readonly blobs: BlobStore;

  constructor(
    private readonly store: Store,
    private readonly options: FileServiceOptions,
  ) {
    this.blobs = openBlobs(store, options.dataDir);
  }

  private limits() {
    const { maxBytes, maxTriangles } = this.options.config.uploads;
    return { maxBytes, maxTriangles };
  }

  /** Names the server's limit when the parser refused a file for its size (422 limit_exceeded). */
  private explain(filename: string, e: unknown): unknown {
    if (e instanceof LayerwiseError && e.code === 'limit_exceeded') {
      const max = this.options.config.uploads.maxTriangles;
      return new LayerwiseError('limit_exceeded', `${e.message} (this server accepts ${max} triangles)`, {
        cause: e,
        details: { ...e.details, limit: 'triangles', maxTriangles: max },
      });
    }
    return e;
  }

  /** Parses with the upload limits; a corrupt file is 422 (parse_error), too many triangles 422 (limit_exceeded). */
  parseUpload(file: UploadedFile): Mesh {
    try {
      return parseMesh(file.bytes, this.limits());
    } catch (e) {
      if (e instanceof LayerwiseError && e.code === 'limit_exceeded') throw this.explain('', prefixed(file, e));
      if (e instanceof LayerwiseError && (e.code === 'parse_error' || e.code === 'unsupported'))
        throw prefixed(file, e);
      throw new LayerwiseError('parse_error', `${file.filename}: could not read the mesh: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /** An uploaded mesh through the one ingest pipeline (app/ingest/pipeline.ts); returns the item and its mesh. */
  async upload(file: UploadedFile, meta: UploadMetadata): Promise<{ item: Item; mesh: Mesh }> {
    const metadata: ModelFileRecord['metadata'] = { title: meta.title ?? file.filename.replace(/\.[^.]+$/, '') };
    if (meta.description !== undefined) metadata.description = meta.description;
    if (meta.license !== undefined) metadata.license = meta.license;
    if (meta.creator !== undefined) metadata.creator = meta.creator;
    if (meta.category !== undefined) metadata.category = meta.category;
    if (meta.tags !== undefined) metadata.tags = meta.tags;
    try {
      const { item, mesh } = await ingestUpload(
        this.store,
        { filename: file.filename, bytes: file.bytes, metadata },
        { dataDir: this.options.dataDir, limits: this.limits(), blobs: this.blobs },
      );
      return { item, mesh: mesh ?? this.parseUpload(file) };
    } catch (e) {
      throw this.explain(file.filename, e);
    }
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

function prefixed(file: UploadedFile, e: LayerwiseError): LayerwiseError {
  return new LayerwiseError(e.code, `${file.filename}: ${e.message}`, { cause: e, details: e.details });
}
