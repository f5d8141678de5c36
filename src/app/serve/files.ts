/**
 * Mesh files behind the API: uploads (saved under `<dataDir>/uploads`, parsed with the configured limits,
 * analysed, committed through the store's ingest path as a one-file job, embedded for shape search) and thumbnails
 * (rendered from the item's mesh on first request, cached under `<dataDir>/thumbnails`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import { contentHash } from '../../core/ids.js';
import type { Mesh } from '../../core/mesh.js';
import { analyzeMesh } from '../../geometry/analyze.js';
import { renderThumbnail } from '../../geometry/render-thumbnail.js';
import { parseMesh } from '../../io/parse.js';
import type { Item, ModelFileRecord, Store } from '../../store/ports.js';
import type { ServerConfig } from '../config.js';
import { safeName, THUMBNAIL_SIZE, thumbnailPath } from '../ingest/thumbnails.js';
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

  constructor(
    private readonly store: Store,
    private readonly options: FileServiceOptions,
  ) {}

  /** Parses with the upload limits; a corrupt file is 422 (parse_error), too many triangles 422 (limit_exceeded). */
  parseUpload(file: UploadedFile): Mesh {
    const max = this.options.config.uploads.maxTriangles;
    try {
      return parseMesh(file.bytes, { maxTriangles: max, maxBytes: this.options.config.uploads.maxBytes });
    } catch (e) {
      if (e instanceof LayerwiseError && e.code === 'limit_exceeded') {
        throw new LayerwiseError(
          'limit_exceeded',
          `${file.filename}: ${e.message} (this server accepts ${max} triangles)`,
          {
            cause: e,
            details: { limit: 'triangles', maxTriangles: max },
          },
        );
      }
      if (e instanceof LayerwiseError && (e.code === 'parse_error' || e.code === 'unsupported')) {
        throw new LayerwiseError(e.code, `${file.filename}: ${e.message}`, { cause: e, details: e.details });
      }
      throw new LayerwiseError('parse_error', `${file.filename}: could not read the mesh: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  /** Saves, parses, analyses and commits an uploaded mesh; returns the stored item and the parsed mesh. */
  async upload(file: UploadedFile, meta: UploadMetadata): Promise<{ item: Item; mesh: Mesh }> {
    const mesh = this.parseUpload(file);
    if (mesh.indices.length === 0) {
      throw new LayerwiseError('parse_error', `${file.filename}: the mesh has no triangles`);
    }
    const report = analyzeMesh(mesh);
    const hash = contentHash(file.bytes);
    const dir = join(this.options.dataDir, 'uploads');
    await mkdir(dir, { recursive: true });
    const name = `${hash.slice(0, 12)}-${safeName(basename(file.filename))}`;
    await writeFile(join(dir, name), file.bytes);
    const jobId = await this.store.startJob('models', { source: 'api', paths: [resolve(dir)] });
    const metadata: ModelFileRecord['metadata'] = { title: meta.title ?? file.filename.replace(/\.[^.]+$/, '') };
    if (meta.description !== undefined) metadata.description = meta.description;
    if (meta.license !== undefined) metadata.license = meta.license;
    if (meta.creator !== undefined) metadata.creator = meta.creator;
    if (meta.category !== undefined) metadata.category = meta.category;
    if (meta.tags !== undefined) metadata.tags = meta.tags;
    const [outcome] = await this.store.commitModelFiles(jobId, [
      {
        path: `uploads/${name}`,
        fileHash: hash,
        sizeBytes: file.bytes.length,
        format: mesh.format,
        report,
        error: null,
        metadata,
      },
    ]);
    await this.store.finishJob(jobId, 'done', { files: 1, outcome: outcome?.outcome ?? 'unknown' });
    const item = outcome?.itemId ? await this.store.getItem(outcome.itemId) : null;
    if (item === null) throw new LayerwiseError('internal', `upload of ${file.filename} was not stored`);
    await this.writeThumbnail(item.id, mesh).catch(() => undefined);
    return { item, mesh };
  }

  private thumbPath(id: string): string {
    return thumbnailPath(this.options.dataDir, id);
  }

  private async writeThumbnail(id: string, mesh: Pick<Mesh, 'positions' | 'indices'>): Promise<Uint8Array> {
    const png = renderThumbnail(mesh, { size: THUMBNAIL_SIZE });
    const path = this.thumbPath(id);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, png);
    return png;
  }

  /** Folders an item path `<root>/<relative>` may be relative to: data dir, cwd, the parents of ingest roots. */
  private async searchRoots(): Promise<string[]> {
    if (this.roots) return this.roots;
    const roots = new Set<string>([resolve(this.options.dataDir), process.cwd(), ...(this.options.searchRoots ?? [])]);
    const collect = (v: unknown): void => {
      if (typeof v === 'string' && v.length < 4096 && existsSync(v)) roots.add(dirname(resolve(v)));
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
    };
    for (const job of await this.store.listJobs({ limit: 100 })) if (job.kind === 'models') collect(job.params);
    this.roots = [...roots];
    return this.roots;
  }

  /** PNG thumbnail of an item: cached file, else rendered from its mesh file (404 when the file is not found). */
  async thumbnail(item: Item): Promise<Uint8Array> {
    const cached = this.thumbPath(item.id);
    if (existsSync(cached)) return new Uint8Array(await readFile(cached));
    return this.writeThumbnail(item.id, await this.mesh(item));
  }

  /** The item's parsed mesh, read from its file (404 when the item has no reachable file). */
  async mesh(item: Item): Promise<Mesh> {
    if (item.path === null || item.status !== 'ready') {
      throw new LayerwiseError('not_found', `item ${item.id} has no mesh file (status ${item.status})`);
    }
    for (const root of await this.searchRoots()) {
      const candidate = join(root, item.path);
      if (!existsSync(candidate)) continue;
      return parseMesh(new Uint8Array(await readFile(candidate)));
    }
    this.roots = undefined; // new ingests may have added roots: look again next time
    throw new LayerwiseError(
      'not_found',
      `the mesh file of item ${item.id} (${item.path}) is not reachable from this server`,
    );
  }
}
