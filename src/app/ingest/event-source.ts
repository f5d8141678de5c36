/**
 * Where `ingest events` gets its parsed batches: from a worker thread (event-worker.ts) when the compiled worker
 * file exists — parsing then runs on a second core while this thread inserts — or in-thread otherwise (vitest and
 * tsx run the TypeScript sources). Same generator, same batches, same order either way.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ErrorCode, LayerwiseError } from '../../core/errors.js';
import { type ParseBatchOptions, type ParsedBatch, parseEventBatches } from './event-batches.js';

const workerUrl = new URL('./event-worker.js', import.meta.url);

function workerAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(workerUrl));
}

type Message =
  | { kind: 'batch'; batch: ParsedBatch }
  | { kind: 'done' }
  | { kind: 'error'; code: string; message: string };

/** Parsed batches of `file` in file order; `threads: 0` parses in-thread. */
export async function* eventBatches(
  file: string,
  options: ParseBatchOptions,
  threads = 1,
): AsyncGenerator<ParsedBatch> {
  if (threads <= 0 || !workerAvailable()) {
    yield* parseEventBatches(file, options);
    return;
  }
  const worker = new Worker(workerUrl, { workerData: { file, options } });
  const queue: Message[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: Message) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (e) => {
    failure = e;
    notify();
  });
  worker.on('exit', (code) => {
    failure ??= new LayerwiseError('internal', `event parser thread exited with code ${code}`);
    notify();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if (m.kind === 'done') return;
      if (m.kind === 'error') throw new LayerwiseError(m.code as ErrorCode, m.message);
      yield m.batch;
      worker.postMessage('credit');
    }
  } finally {
    await worker.terminate();
  }
}
