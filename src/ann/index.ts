/** The ANN layer's entry point: the `VectorIndex` role and a factory over its implementations. */
import { BruteForceIndex } from './brute-force.js';
import { HnswlibIndex } from './hnswlib-index.js';
import { UsearchIndex } from './usearch-index.js';
import type { VectorIndex, VectorIndexKind, VectorIndexOptions } from './vector-index.js';

export { BruteForceIndex } from './brute-force.js';
export { HnswlibIndex } from './hnswlib-index.js';
export { type IndexFile, type SearchHits, SearchThreads } from './search-thread.js';
export { UsearchIndex } from './usearch-index.js';
export type { Neighbor, VectorIndex, VectorIndexKind, VectorIndexOptions } from './vector-index.js';

export const VECTOR_INDEX_KINDS: readonly VectorIndexKind[] = ['usearch', 'hnswlib', 'brute'];

/** A new empty index of the given kind (default usearch). */
export function createVectorIndex(options: VectorIndexOptions & { kind?: VectorIndexKind }): VectorIndex {
  switch (options.kind ?? 'usearch') {
    case 'brute':
      return new BruteForceIndex(options);
    case 'hnswlib':
      return new HnswlibIndex(options);
    default:
      return new UsearchIndex(options);
  }
}
