/**
 * A small worker-thread pool for model ingest. Tasks go to idle workers (bytes are transferred, not copied); a
 * worker that dies fails its task and is replaced. When the compiled worker file is absent (vitest and tsx run the
 * TypeScript sources) or `threads` is 0, work runs in-thread — same function, same results.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { processModelBytes, type WorkOptions, type WorkResult } from './work.js';

export interface IngestPool {
  /** Worker threads in use (0 = in-thread). */
  readonly threads: number;
  run(bytes: Uint8Array, options?: WorkOptions): Promise<WorkResult>;
  close(): Promise<void>;
}

export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

const workerUrl = new URL('./worker.js', import.meta.url);

/** True when the compiled worker file exists next to this module. */
export function workerFileAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(workerUrl));
}

interface Task {
  id: number;
  bytes: Uint8Array;
  options: WorkOptions | undefined;
  resolve: (r: WorkResult) => void;
}

export function createIngestPool(threads: number): IngestPool {
  if (threads <= 0 || !workerFileAvailable()) {
    return { threads: 0, run: async (bytes, options) => processModelBytes(bytes, options), close: async () => {} };
  }
  const queue: Task[] = [];
  const idle: Worker[] = [];
  const busy = new Map<Worker, Task>();
  let nextId = 1;
  let closed = false;

  const spawn = (): void => {
    const w = new Worker(workerUrl);
    w.on('message', (msg: { id: number; result: WorkResult }) => {
      const t = busy.get(w);
      busy.delete(w);
      if (t && t.id === msg.id) t.resolve(msg.result);
      idle.push(w);
      pump();
    });
    w.on('error', (e) => {
      const t = busy.get(w);
      busy.delete(w);
      t?.resolve({ ok: false, error: { code: 'internal', message: `worker crashed: ${e.message}` } });
    });
    w.on('exit', () => {
      const i = idle.indexOf(w);
      if (i >= 0) idle.splice(i, 1);
      const t = busy.get(w);
      busy.delete(w);
      t?.resolve({ ok: false, error: { code: 'internal', message: 'worker exited (out of memory?)' } });
      if (!closed) {
        spawn();
        pump();
      }
    });
    idle.push(w);
  };

  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const t = queue.shift()!;
      busy.set(w, t);
      const whole = t.bytes.byteOffset === 0 && t.bytes.byteLength === t.bytes.buffer.byteLength;
      const bytes = whole ? t.bytes : t.bytes.slice();
      w.postMessage({ id: t.id, bytes, options: t.options }, [bytes.buffer as ArrayBuffer]);
    }
  };

  for (let i = 0; i < threads; i++) spawn();
  return {
    threads,
    run: (bytes, options) =>
      new Promise<WorkResult>((resolve) => {
        queue.push({ id: nextId++, bytes, options, resolve });
        pump();
      }),
    close: async () => {
      closed = true;
      await Promise.all([...idle, ...busy.keys()].map((w) => w.terminate()));
    },
  };
}
