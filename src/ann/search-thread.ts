/**
 * Searches of memory-mapped usearch files on worker threads, so a server's request thread does not spend its time
 * inside HNSW graph walks: at 1 M items one inner-product search for a new user's candidates is about a millisecond
 * of CPU, the largest single share of a recommendation. Each thread maps the index files it is asked about
 * (`Index.view`: the pages are the same page cache as the request thread's own view, so a second mapping costs no
 * memory) and answers one search per message. Requests go to the thread with the fewest in flight.
 *
 * A thread that fails (its native module, an unreadable file) rejects what it had in flight and every later search
 * with a typed error; callers search on their own thread instead. Like build.ts, the worker is a small CommonJS
 * script that loads usearch itself, so it runs the same from `dist` and from TypeScript sources.
 */
import { Worker } from 'node:worker_threads';
import { LayerwiseError } from '../core/errors.js';

/** An index file written by `UsearchIndex.save` (or `buildIndexFile`) and the options it was built with. */
export interface IndexFile {
  path: string;
  dim: number;
  metric: 'cos' | 'ip';
  connectivity: number;
  expansionSearch: number;
}

/** Hits of one search, best first: keys and usearch's distances (1 − similarity). */
export interface SearchHits {
  keys: Float64Array;
  distances: Float32Array;
}

/** Index files a thread keeps mapped at once (the served models' and the shape index; older ones are dropped). */
const OPEN_FILES = 4;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const { statSync } = require('node:fs');
const { Index } = createRequire(workerData.from)('usearch');
const open = new Map();
function view(f) {
  let index = open.get(f.path);
  if (index !== undefined) { open.delete(f.path); open.set(f.path, index); return index; }
  index = new Index({ dimensions: f.dim, metric: f.metric, quantization: 'f32', connectivity: f.connectivity,
    expansion_add: 128, expansion_search: f.expansionSearch, multi: false });
  // usearch's view of a file it cannot open closes descriptors it does not own: check first
  if (!statSync(f.path, { throwIfNoEntry: false })?.isFile()) throw new Error('no index file at ' + f.path);
  index.view(f.path);
  open.set(f.path, index);
  while (open.size > ${OPEN_FILES}) open.delete(open.keys().next().value);
  return index;
}
parentPort.on('message', (m) => {
  if (m.drop !== undefined) { open.delete(m.drop); return; }
  try {
    const index = view(m.file);
    const size = index.size();
    const k = Math.min(m.k, size);
    const r = k > 0 ? index.search(m.query, k, 1) : { keys: [], distances: new Float32Array(0) };
    const keys = new Float64Array(r.keys.length);
    for (let i = 0; i < keys.length; i++) keys[i] = Number(r.keys[i]);
    const distances = Float32Array.from(r.distances);
    parentPort.postMessage({ id: m.id, keys, distances }, [keys.buffer, distances.buffer]);
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});
`;

interface Pending {
  resolve: (hits: SearchHits) => void;
  reject: (e: Error) => void;
}

class SearchThread {
  readonly pending = new Map<number, Pending>();
  failure: Error | null = null;
  private readonly worker: Worker;

  constructor(from: string) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { from } });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; keys?: Float64Array; distances?: Float32Array; error?: string }) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new LayerwiseError('internal', `vector search thread: ${m.error}`));
      else p.resolve({ keys: m.keys!, distances: m.distances! });
    });
    this.worker.on('error', (e) => this.fail(new LayerwiseError('unavailable', `vector search thread: ${e.message}`)));
    this.worker.on('exit', (code) =>
      this.fail(new LayerwiseError('unavailable', `vector search thread exited (${code})`)),
    );
  }

  search(id: number, file: IndexFile, query: Float32Array, k: number): Promise<SearchHits> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, file, query, k });
    });
  }

  drop(path: string): void {
    if (this.failure === null) this.worker.postMessage({ drop: path });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.fail(new LayerwiseError('unavailable', 'vector search threads closed'));
    await this.worker.terminate();
  }
}

/** A pool of search threads, started on the first search (a server whose catalogue never needs an index pays nothing). */
export class SearchThreads {
  private readonly threads: SearchThread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 64) {
      throw new LayerwiseError('invalid_argument', `search threads: count must be an integer 1–64, got ${size}`);
    }
  }

  /** False once closed or every thread has failed (searches then reject at once). */
  get alive(): boolean {
    return !this.closed && (this.threads.length === 0 || this.threads.some((t) => t.failure === null));
  }

  /** Searches mean this many requests are queued or running on the threads now. */
  get inFlight(): number {
    let n = 0;
    for (const t of this.threads) n += t.pending.size;
    return n;
  }

  /** The `k` nearest keys of `query` in `file` (best first), searched on the least busy live thread. */
  search(file: IndexFile, query: Float32Array, k: number): Promise<SearchHits> {
    if (query.length !== file.dim) {
      return Promise.reject(
        new LayerwiseError('invalid_argument', `search: query has ${query.length} values, the index ${file.dim}`),
      );
    }
    if (this.closed) return Promise.reject(new LayerwiseError('unavailable', 'vector search threads closed'));
    if (this.threads.length === 0)
      for (let i = 0; i < this.size; i++) this.threads.push(new SearchThread(import.meta.url));
    let best: SearchThread | undefined;
    for (const t of this.threads) {
      if (t.failure !== null) continue;
      if (best === undefined || t.pending.size < best.pending.size) best = t;
    }
    if (best === undefined) return Promise.reject(this.threads[0]!.failure!);
    return best.search(this.nextId++, file, query, k);
  }

  /** Unmaps `path` in every thread (a file no longer served). */
  drop(path: string): void {
    for (const t of this.threads) t.drop(path);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
