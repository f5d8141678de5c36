/**
 * Event batches committed on a thread of their own. better-sqlite3 is synchronous, so on the request thread every
 * commit of the group-committed API events (event-writer.ts) blocked the event loop for its fsync — ~3 ms per commit
 * under `synchronous=FULL` on the soak machine, 6 % of the server's wall time at 300 req/s of mixed traffic
 * (bench/RESULTS.md "Soak") — and a wait for another process' write lock blocked it for SQLite's busy timeout per
 * try. Here a worker thread holds a second connection to the same file and runs `Store.addEvents` there: same
 * transaction, same durability (the answer still waits for the commit), and the main thread reads the new events
 * through its own connection (WAL) when it applies them. SQLite stores only; PostgreSQL commits are asynchronous.
 */
import type { Worker } from 'node:worker_threads';
import { LayerwiseError } from '../../core/errors.js';
import type { AddEventsOptions, AddEventsResult, EventInput } from '../../store/ports.js';
import type { SqliteStoreOptions } from '../../store/sqlite.js';
import { spawnModuleWorker } from '../sandbox/spawn-worker.js';

type Reply =
  | { ready: true }
  | { ready: false; error: WireError }
  | { id: number; ok: true; value: AddEventsResult }
  | { id: number; ok: false; error: WireError };

interface WireError {
  code: LayerwiseError['code'];
  message: string;
  details: Record<string, unknown>;
}

export interface EventCommitThread {
  addEvents(events: EventInput[], options: AddEventsOptions): Promise<AddEventsResult>;
  close(): Promise<void>;
}

export function startEventCommitThread(file: string, options: SqliteStoreOptions = {}): EventCommitThread {
  const worker: Worker = spawnModuleWorker(new URL('./event-commit-worker.js', import.meta.url), {
    workerData: { file, options },
  });
  const pending = new Map<number, { resolve: (r: AddEventsResult) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  let failed: LayerwiseError | undefined;
  const failAll = (e: LayerwiseError) => {
    failed = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('message', (msg: Reply) => {
    if ('ready' in msg) {
      if (!msg.ready) failAll(new LayerwiseError(msg.error.code, msg.error.message, { details: msg.error.details }));
      return;
    }
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new LayerwiseError(msg.error.code, msg.error.message, { details: msg.error.details }));
  });
  worker.on('error', (e) => failAll(new LayerwiseError('internal', `event commit thread failed: ${e.message}`)));
  worker.on('exit', () => failAll(new LayerwiseError('unavailable', 'the event commit thread has stopped')));
  worker.unref();
  return {
    addEvents(events, opts) {
      if (failed) return Promise.reject(failed);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        if (pending.size === 1) worker.ref(); // a commit in flight keeps the process alive
        worker.postMessage({ id, events, options: opts });
      }).finally(() => {
        if (pending.size === 0) worker.unref();
      }) as Promise<AddEventsResult>;
    },
    async close() {
      if (failed) return;
      // kept alive until the thread has closed its connection (an unref'd worker would let the process exit first)
      worker.ref();
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage('close');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
