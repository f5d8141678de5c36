/**
 * Worker-thread entry of `ingest events`: parses the file given in `workerData` (parseEventBatches) and posts each
 * batch with its typed arrays transferred; stays at most `AHEAD` batches ahead of the inserting thread, which sends
 * a `credit` message per batch it has consumed (memory stays bounded by a few batches).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { batchBuffers, type ParseBatchOptions, parseEventBatches } from './event-batches.js';

export const AHEAD = 2;

const port = parentPort;
if (port) {
  const { file, options } = workerData as { file: string; options: ParseBatchOptions };
  let credits = AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits++;
    wake?.();
    wake = null;
  });
  try {
    for await (const batch of parseEventBatches(file, options)) {
      while (credits <= 0) await new Promise<void>((r) => (wake = r));
      credits--;
      port.postMessage({ kind: 'batch', batch }, batchBuffers(batch));
    }
    port.postMessage({ kind: 'done' });
  } catch (e) {
    const err = e as { code?: string; message?: string };
    port.postMessage({ kind: 'error', code: err.code ?? 'internal', message: err.message ?? String(e) });
  }
  port.close();
}
