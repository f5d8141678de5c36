/**
 * The blob store: mesh bytes, thumbnails, model artifacts and ANN index snapshots behind one interface, so that a
 * stage hands bytes to the next through the store and never through a guessed folder. Two backends:
 * `LocalBlobStore` (files under `<dataDir>/blobs`, the embedded default) and `DbBlobStore` (bytea/blob chunks in the
 * store's own database — with PostgreSQL, a cluster needs nothing but PostgreSQL and Redis). Keys are relative,
 * slash-separated names (`mesh/<sha256>`, `thumbnail/<item>.png`, `model/<name>@<version>`, `ann/<encoder>/<hash>`).
 * A *location* is what the store records for an item: a blob key, or a `file:` URL for bytes a local ingest left in
 * place (both backends can read those, when the file is on this machine).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LayerwiseError } from '../core/errors.js';

export interface BlobInfo {
  key: string;
  size: number;
  sha256: string;
}

export interface BlobStore {
  readonly backend: 'local' | 'database';
  /** Writes (or replaces) `key` atomically: a reader sees the old bytes or the new ones, never a part. */
  put(key: string, bytes: Uint8Array): Promise<BlobInfo>;
  /** The bytes at `key`, or null when there is no such blob. */
  get(key: string): Promise<Uint8Array | null>;
  has(key: string): Promise<boolean>;
  /** True when something was deleted. */
  delete(key: string): Promise<boolean>;
  /** Reads a recorded location (a blob key or a `file:` URL); throws not_found with the location when absent. */
  read(location: string): Promise<Uint8Array>;
}

const KEY = /^[A-Za-z0-9._@=+-]+(\/[A-Za-z0-9._@=+-]+)*$/;

/** Throws invalid_argument unless `key` is a safe relative name (no `..`, no absolute paths, ≤ 512 chars). */
export function checkBlobKey(key: string): string {
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > 512 ||
    !KEY.test(key) ||
    key.split('/').includes('..')
  ) {
    throw new LayerwiseError(
      'invalid_argument',
      `blob key must be slash-separated names of [A-Za-z0-9._@=+-] (no '..', at most 512 characters), got ${JSON.stringify(key)}`,
    );
  }
  return key;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A `file:` URL for an absolute path (what a local ingest records for files it leaves in place). */
export function fileLocation(path: string): string {
  return `file://${resolve(path)
    .split('/')
    .map((p) => encodeURIComponent(p))
    .join('/')}`;
}

/** Reads a `file:` location; null when the file does not exist. */
export async function readFileLocation(location: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(fileURLToPath(location)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LayerwiseError('io_error', `cannot read ${location}: ${(e as Error).message}`, { cause: e });
  }
}

/** Shared `read(location)`: `file:` URLs from disk, anything else as a key of `store`. */
export async function readLocation(store: BlobStore, location: string): Promise<Uint8Array> {
  const bytes = location.startsWith('file:') ? await readFileLocation(location) : await store.get(location);
  if (bytes === null) {
    throw new LayerwiseError('not_found', `blob ${location} is not in the ${store.backend} blob store`, {
      details: { location },
    });
  }
  return bytes;
}

/** Files under one folder; writes go to a temporary name first, then `rename` (atomic on one file system). */
export class LocalBlobStore implements BlobStore {
  readonly backend = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    return join(this.root, checkBlobKey(key));
  }

  async put(key: string, bytes: Uint8Array): Promise<BlobInfo> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return { key, size: bytes.length, sha256: sha256(bytes) };
  }

  async get(key: string): Promise<Uint8Array | null> {
    return readFileLocation(`file://${this.path(key)}`);
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<boolean> {
    const had = await this.has(key);
    await rm(this.path(key), { force: true });
    return had;
  }

  read(location: string): Promise<Uint8Array> {
    return readLocation(this, location);
  }
}
