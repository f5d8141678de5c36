/**
 * Builds a usearch index file off the calling thread: what a server does when it needs an index it does not have
 * yet — it keeps answering (exactly, by scanning) while a worker thread builds the HNSW graph and writes the file
 * (atomically: a temporary file renamed), then memory-maps it (`UsearchIndex.view`). The worker is a small CommonJS
 * script that loads usearch itself, so it runs the same from `dist` and from TypeScript sources (a worker that boots
 * through a TypeScript loader hangs loading usearch's native module). Resolves with the build time in seconds.
 */
import { Worker } from 'node:worker_threads';
import { LayerwiseError } from '../core/errors.js';
import type { VectorIndexOptions } from './vector-index.js';

export interface BuildRequest {
  options: VectorIndexOptions;
  /** Row r of `vectors` (dim values) gets key keys[r]. */
  keys: Int32Array;
  vectors: Float32Array;
  /** The index file to write. */
  path: string;
  /** Threads usearch builds with (default 1: the other core keeps serving). */
  threads?: number;
}

const WORKER = `
const { parentPort, workerData: job } = require('node:worker_threads');
const { renameSync } = require('node:fs');
const { createRequire } = require('node:module');
try {
  const { Index } = createRequire(job.from)('usearch');
  const t0 = performance.now();
  const o = job.options;
  const index = new Index({ dimensions: o.dim, metric: o.metric ?? 'cos', quantization: 'f32', connectivity: o.connectivity ?? 16,
    expansion_add: o.expansionAdd ?? 128, expansion_search: o.expansionSearch ?? 128, multi: false });
  const keys = new BigUint64Array(job.keys.length);
  for (let i = 0; i < keys.length; i++) keys[i] = BigInt(job.keys[i]);
  if (keys.length > 0) index.add(keys, job.vectors, job.threads);
  const tmp = job.path + '.' + process.pid + '.tmp';
  index.save(tmp);
  renameSync(tmp, job.path);
  parentPort.postMessage({ ok: true, seconds: (performance.now() - t0) / 1000 });
} catch (e) {
  parentPort.postMessage({ ok: false, message: String(e && e.message || e) });
}
`;

export function buildIndexFile(request: BuildRequest): Promise<{ seconds: number }> {
  const { options, keys, vectors, path } = request;
  if (vectors.length !== keys.length * options.dim) {
    throw new LayerwiseError(
      'invalid_argument',
      `buildIndexFile: ${keys.length} keys need ${keys.length * options.dim} values`,
    );
  }
  const workerData = { options, keys, vectors, path, threads: request.threads ?? 1, from: import.meta.url };
  const worker = new Worker(WORKER, { eval: true, workerData });
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; seconds?: number; message?: string }) => {
      void worker.terminate();
      if (m.ok) resolve({ seconds: m.seconds ?? 0 });
      else reject(new LayerwiseError('internal', `building the vector index failed: ${m.message}`));
    });
    worker.once('error', (e) => reject(new LayerwiseError('internal', `vector index worker: ${e.message}`)));
    worker.once('exit', (code) => {
      if (code !== 0) reject(new LayerwiseError('internal', `vector index worker exited with code ${code}`));
    });
  });
}
