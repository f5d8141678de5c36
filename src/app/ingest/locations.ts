/**
 * Where an item's bytes are, recorded at ingest and read by every later stage (embedding, thumbnails, `mesh.stl`,
 * cluster workers): the store's item locations (`item_blobs`) point at a key of the blob store — PostgreSQL chunks
 * when the store is PostgreSQL, so any machine of a cluster reads them; `<dataDir>/blobs` otherwise — or, for files
 * a local ingest left in place, at a `file:` URL. Items ingested before locations were recorded are still found by
 * the old search roots (locate.ts), as a fallback only.
 */
import { join } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import { type BlobStore, fileLocation, LocalBlobStore } from '../../store/blobs.js';
import { DbBlobStore } from '../../store/blobs-db.js';
import { KyselyStore } from '../../store/kysely-store.js';
import type { Item, Store } from '../../store/ports.js';
import { safeName } from './thumbnails.js';

/** The blob store that goes with `store`: its own database for PostgreSQL, `<dataDir>/blobs` otherwise. */
export function openBlobs(store: Store, dataDir: string): BlobStore {
  if (store.dialect === 'postgres' && store instanceof KyselyStore) return new DbBlobStore(store.db);
  return new LocalBlobStore(join(dataDir, 'blobs'));
}

export const meshKey = (hash: string): string => `mesh/${hash}`;
export const thumbnailKey = (itemId: string): string => `thumbnail/${safeName(itemId)}.png`;

/** One file's bytes to record for an item: kept in place (`abs`, local store) or copied into the blob store. */
export interface MeshBytes {
  itemId: string;
  hash: string;
  /** The bytes (needed unless `abs` is kept in place). */
  bytes?: Uint8Array;
  /** Absolute path of the source file, when it is on this machine. */
  abs?: string;
}

/**
 * Records where each item's mesh bytes are. With a local blob store a file on disk is referenced in place; with a
 * database blob store (a cluster) the bytes are copied in, since other machines cannot see this disk. Idempotent:
 * the key is the content hash.
 */
export async function recordMeshes(store: Store, blobs: BlobStore, files: MeshBytes[]): Promise<void> {
  const rows: { itemId: string; kind: 'mesh'; location: string }[] = [];
  for (const f of files) {
    if (blobs.backend === 'local' && f.abs !== undefined) {
      rows.push({ itemId: f.itemId, kind: 'mesh', location: fileLocation(f.abs) });
      continue;
    }
    if (f.bytes === undefined) continue;
    const key = meshKey(f.hash);
    if (!(await blobs.has(key))) await blobs.put(key, f.bytes);
    rows.push({ itemId: f.itemId, kind: 'mesh', location: key });
  }
  if (rows.length > 0) await store.setItemBlobs(rows);
}

/** Stores a rendered thumbnail and records it for the item. */
export async function recordThumbnail(store: Store, blobs: BlobStore, itemId: string, png: Uint8Array): Promise<void> {
  const key = thumbnailKey(itemId);
  await blobs.put(key, png);
  await store.setItemBlobs([{ itemId, kind: 'thumbnail', location: key }]);
}

/** The item's recorded thumbnail, or null when none was recorded (or its blob is gone). */
export async function readThumbnail(store: Store, blobs: BlobStore, itemId: string): Promise<Uint8Array | null> {
  const location = (await store.itemBlobs([itemId], 'thumbnail')).get(itemId);
  if (location === undefined) return null;
  try {
    return await blobs.read(location);
  } catch (e) {
    if (e instanceof LayerwiseError && e.code === 'not_found') return null;
    throw e;
  }
}

/** The item's mesh bytes from its recorded location, or null when none is recorded. */
export async function readMeshBytes(store: Store, blobs: BlobStore, item: Item): Promise<Uint8Array | null> {
  if (item.status !== 'ready') {
    throw new LayerwiseError('not_found', `item ${item.id} has no mesh file (status ${item.status})`);
  }
  const location = (await store.itemBlobs([item.id], 'mesh')).get(item.id);
  return location === undefined ? null : blobs.read(location);
}
