import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BruteForceIndex } from './brute-force.js';
import { runVectorIndexContract } from './contract.case.js';
import { HnswlibIndex } from './hnswlib-index.js';
import { UsearchIndex } from './usearch-index.js';

const dir = mkdtempSync(join(tmpdir(), 'layerwise-ann-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

runVectorIndexContract('brute', {
  create: (dim) => new BruteForceIndex({ dim, capacity: 4 }),
  roundTrip: (index) => BruteForceIndex.fromBytes((index as BruteForceIndex).toBytes()),
});

runVectorIndexContract('usearch', {
  create: (dim) => new UsearchIndex({ dim }),
  roundTrip: (index) => {
    const path = join(dir, `u${files++}.usearch`);
    (index as UsearchIndex).save(path);
    const loaded = new UsearchIndex({ dim: index.dim });
    loaded.load(path);
    return loaded;
  },
});

runVectorIndexContract('hnswlib', {
  create: (dim) => new HnswlibIndex({ dim, capacity: 16 }),
  roundTrip: (index) => {
    const path = join(dir, `h${files++}.hnsw`);
    (index as HnswlibIndex).save(path);
    const loaded = new HnswlibIndex({ dim: index.dim });
    loaded.load(path);
    return loaded;
  },
});
