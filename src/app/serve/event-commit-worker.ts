/**
 * Worker-thread entry of the event commit thread (event-commit-thread.ts): its own connection to the SQLite file,
 * `Store.addEvents` per message — the same code, transaction and durability as on the main thread, but the
 * commit's fsync and any wait for another writer's lock block only this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toLayerwiseError } from '../../core/errors.js';
import type { AddEventsOptions, EventInput } from '../../store/ports.js';
import { openSqliteStore, type SqliteStoreOptions } from '../../store/sqlite.js';

const { file, options } = workerData as { file: string; options: SqliteStoreOptions };
// it only appends events: a small page cache, and no impression thread of its own (the main connection has one)
const opened = openSqliteStore(file, { cacheKiB: 8192, ...options, impressionThread: false });
opened.then(
  () => parentPort?.postMessage({ ready: true }),
  (e: unknown) => parentPort?.postMessage({ ready: false, error: errorOf(e) }),
);

function errorOf(e: unknown) {
  const err = toLayerwiseError(e, 'internal');
  return { code: err.code, message: err.message, details: { ...err.details } };
}

parentPort?.on('message', (msg: { id: number; events: EventInput[]; options: AddEventsOptions } | 'close') => {
  if (msg === 'close') {
    void opened.then((s) => s.close()).finally(() => parentPort?.close());
    return;
  }
  opened
    .then((store) => store.addEvents(msg.events, msg.options))
    .then(
      (value) => parentPort?.postMessage({ id: msg.id, ok: true, value }),
      (e: unknown) => parentPort?.postMessage({ id: msg.id, ok: false, error: errorOf(e) }),
    );
});
