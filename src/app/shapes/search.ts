/**
 * Query-by-shape against the ingested library (`layerwise similar`, the API's shape search): parse → embed with the
 * library's fitted encoder → ANN search → items with cosine scores; hits that are the same shape up to pose, scale
 * and tessellation are flagged as near-duplicates (models/shape/near-duplicates.ts).
 */

import { readFileSync } from 'node:fs';
import type { VectorIndexKind } from '../../ann/index.js';
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import { parseMesh } from '../../io/parse.js';
import { DEFAULT_SHAPE_ENCODER, isNearDuplicate } from '../../models/shape/index.js';
import type { Store } from '../../store/ports.js';
import { embedMesh, loadLibraryEncoder, SHAPE_FEATURES } from './embed.js';
import { shapeIndexFor } from './vector-index.js';

export interface SimilarQuery {
  /** A mesh to search with, a mesh file to read, or the id of an ingested item. */
  mesh?: Pick<Mesh, 'positions' | 'indices'>;
  file?: string;
  itemId?: string;
}

export interface SimilarOptions {
  encoder?: string;
  /** Number of results (default 10). */
  k?: number;
  /** ANN backend (default usearch). */
  index?: VectorIndexKind;
  /** Where the index cache lives (no caching when absent). */
  dataDir?: string;
}

export interface SimilarHit {
  itemId: string;
  score: number;
  title: string | null;
  path: string | null;
  /** Same shape up to pose, scale and tessellation. */
  nearDuplicate: boolean;
}

export interface SimilarResult {
  encoder: string;
  encoderVersion: number;
  hits: SimilarHit[];
  /** Items searched. */
  librarySize: number;
  seconds: number;
}

export async function findSimilar(
  store: Store,
  query: SimilarQuery,
  options: SimilarOptions = {},
): Promise<SimilarResult> {
  const t0 = performance.now();
  const name = options.encoder ?? DEFAULT_SHAPE_ENCODER;
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1 || k > 1000)
    throw new LayerwiseError('invalid_argument', `k must be an integer in 1..1000, got ${k}`);
  const loaded = await loadLibraryEncoder(store, name);
  if (!loaded) {
    throw new LayerwiseError(
      'not_found',
      `no fitted "${name}" shape encoder in this library: run \`layerwise embed --encoder ${name}\` first`,
    );
  }
  let vector: Float32Array;
  let features: Float32Array | undefined;
  const mesh = query.file !== undefined ? parseMesh(new Uint8Array(readFileSync(query.file))) : query.mesh;
  if (mesh) {
    const e = embedMesh(mesh, loaded.encoder);
    vector = e.vector;
    features = e.features;
  } else if (query.itemId) {
    const v = (await store.getEmbeddings(name, [query.itemId])).get(query.itemId);
    if (!v) {
      const exists = await store.getItem(query.itemId);
      throw new LayerwiseError(
        'not_found',
        exists
          ? `item ${query.itemId} has no "${name}" embedding yet: run \`layerwise embed\``
          : `no item with id ${query.itemId}`,
      );
    }
    vector = v;
    features = (await store.getEmbeddings(SHAPE_FEATURES, [query.itemId])).get(query.itemId);
  } else {
    throw new LayerwiseError('invalid_argument', 'similar: give a mesh file or an item id');
  }
  const set = await store.allEmbeddings(name);
  if (set.itemIds.length === 0)
    throw new LayerwiseError('not_found', `the library has no "${name}" embeddings: run \`layerwise embed\``);
  if (set.dim !== vector.length) {
    throw new LayerwiseError(
      'conflict',
      `stored "${name}" vectors have ${set.dim} dims, the encoder gives ${vector.length}: run \`layerwise embed --refit\``,
    );
  }
  const { index, itemIds } = shapeIndexFor(set, loaded.version, options.index ?? 'usearch', options.dataDir);
  const raw = index.search(vector, k + (query.itemId ? 1 : 0));
  const picked = raw
    .map((h) => ({ itemId: itemIds[h.key]!, score: h.score }))
    .filter((h) => h.itemId !== query.itemId)
    .slice(0, k);
  const ids = picked.map((h) => h.itemId);
  const [items, feats] = await Promise.all([
    store.getItems(ids),
    features ? store.getEmbeddings(SHAPE_FEATURES, ids) : Promise.resolve(new Map<string, Float32Array>()),
  ]);
  const hits = picked.map((h) => {
    const item = items.get(h.itemId);
    const f = feats.get(h.itemId);
    return {
      itemId: h.itemId,
      score: h.score,
      title: item?.title ?? null,
      path: item?.path ?? null,
      nearDuplicate: Boolean(features && f && f.length === features.length && isNearDuplicate(features, f)),
    };
  });
  return {
    encoder: name,
    encoderVersion: loaded.version,
    hits,
    librarySize: set.itemIds.length,
    seconds: (performance.now() - t0) / 1000,
  };
}
