/**
 * Finding an ingested item's mesh again: first where ingest recorded its bytes (locations.ts: a blob key or a
 * `file:` URL); for items ingested before locations were recorded, item paths (`<ingest root folder name>/<relative
 * path>`) are resolved against the parents of the roots recorded in model-ingest jobs, the data dir and the working
 * dir.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { parseMesh } from '../../io/parse.js';
import type { BlobStore } from '../../store/blobs.js';
import type { Item, Store } from '../../store/ports.js';
import { readMeshBytes } from './locations.js';

/** Folders that item paths may be relative to (most specific first). */
export async function itemSearchRoots(store: Store, dataDir: string, extra: readonly string[] = []): Promise<string[]> {
  const roots = new Set<string>(extra.map((r) => resolve(r)));
  const collect = (v: unknown): void => {
    if (typeof v === 'string' && v.length < 4096 && existsSync(v)) roots.add(dirname(resolve(v)));
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const job of await store.listJobs({ limit: 1000 })) if (job.kind === 'models') collect(job.params);
  roots.add(resolve(dataDir));
  roots.add(process.cwd());
  return [...roots];
}

/** Reads and parses the mesh of a ready item; `not_found` when no root holds its file. */
export function readItemMesh(item: Item, roots: readonly string[]): Mesh {
  if (item.path === null || item.status !== 'ready') {
    throw new LayerwiseError('not_found', `item ${item.id} has no mesh file (status ${item.status})`);
  }
  for (const root of roots) {
    const candidate = join(root, item.path);
    if (existsSync(candidate)) return parseMesh(new Uint8Array(readFileSync(candidate)));
  }
  throw new LayerwiseError(
    'not_found',
    `the mesh file of item ${item.id} (${item.path}) was not found under ${roots.length} search roots; run the command from the folder you ingested from`,
  );
}

/** Every ready item in the store (pages through `listItems`). */
export async function allReadyItems(store: Store): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listItems({ status: 'ready', limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The parsed mesh of a ready item: from its recorded location, else (older stores) from the search roots, computed
 * only when needed by `roots()`.
 */
export async function loadItemMesh(
  store: Store,
  blobs: BlobStore,
  item: Item,
  roots: () => Promise<readonly string[]>,
): Promise<Mesh> {
  const bytes = await readMeshBytes(store, blobs, item);
  if (bytes !== null) return parseMesh(bytes);
  return readItemMesh(item, await roots());
}
