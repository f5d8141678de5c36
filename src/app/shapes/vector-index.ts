/**
 * The library's shape index: an ANN index (usearch by default) over one encoder's embeddings, keyed by row number,
 * cached under `<dataDir>/indexes/` with a sidecar naming the encoder version and a hash of the item ids, so it is
 * rebuilt only when the embeddings change. The app layer owns these files; the ann layer only reads/writes paths.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BruteForceIndex,
  createVectorIndex,
  HnswlibIndex,
  UsearchIndex,
  type VectorIndex,
  type VectorIndexKind,
} from '../../ann/index.js';
import type { EmbeddingSet } from '../../store/ports.js';

export interface ShapeIndex {
  index: VectorIndex;
  /** Item id of each key (key = position). */
  itemIds: string[];
  /** True when it came from the cache. */
  cached: boolean;
}

interface Sidecar {
  encoder: string;
  version: number;
  kind: VectorIndexKind;
  dim: number;
  idsHash: string;
  itemIds: string[];
}

function idsHash(set: EmbeddingSet): string {
  const h = createHash('sha256');
  for (const id of set.itemIds) h.update(id).update('\n');
  // a cheap fingerprint of the vectors too (first value of each row)
  const probe = new Float32Array(set.itemIds.length);
  for (let r = 0; r < probe.length; r++) probe[r] = set.vectors[r * set.dim] ?? 0;
  h.update(new Uint8Array(probe.buffer));
  return h.digest('hex').slice(0, 24);
}

/** Saves any index kind to `path` (brute force as bytes; the native ones through their own writers). */
export function saveVectorIndex(index: VectorIndex, path: string): void {
  if (index instanceof BruteForceIndex) writeFileSync(path, index.toBytes());
  else if (index instanceof UsearchIndex || index instanceof HnswlibIndex) index.save(path);
}

/** Loads an index file written by `saveVectorIndex`. */
export function loadVectorIndex(kind: VectorIndexKind, dim: number, path: string): VectorIndex {
  if (kind === 'brute') return BruteForceIndex.fromBytes(new Uint8Array(readFileSync(path)));
  const index = kind === 'hnswlib' ? new HnswlibIndex({ dim }) : new UsearchIndex({ dim });
  index.load(path);
  return index;
}

/** The index over `set`, from the cache when it is current, else built (and cached when `dataDir` is given). */
export function shapeIndexFor(set: EmbeddingSet, version: number, kind: VectorIndexKind, dataDir?: string): ShapeIndex {
  const base = dataDir ? join(dataDir, 'indexes', `shape-${set.encoder}-${kind}`) : null;
  const hash = idsHash(set);
  if (base && existsSync(`${base}.json`) && existsSync(`${base}.index`)) {
    try {
      const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Sidecar;
      if (meta.version === version && meta.idsHash === hash && meta.dim === set.dim && meta.kind === kind) {
        return { index: loadVectorIndex(kind, set.dim, `${base}.index`), itemIds: meta.itemIds, cached: true };
      }
    } catch {
      // a damaged cache is rebuilt below
    }
  }
  const index = createVectorIndex({ kind, dim: set.dim, capacity: Math.max(16, set.itemIds.length) });
  index.addMany(
    set.itemIds.map((_, i) => i),
    set.vectors,
  );
  if (base) {
    mkdirSync(join(dataDir!, 'indexes'), { recursive: true });
    saveVectorIndex(index, `${base}.index`);
    const meta: Sidecar = { encoder: set.encoder, version, kind, dim: set.dim, idsHash: hash, itemIds: set.itemIds };
    writeFileSync(`${base}.json`, JSON.stringify(meta));
  }
  return { index, itemIds: set.itemIds, cached: false };
}
