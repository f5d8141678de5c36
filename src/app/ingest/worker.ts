/** Worker-thread entry for model ingest: receives `{ id, bytes, options }`, replies `{ id, result }` (see ingest-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { processModelBytes, type WorkOptions } from './work.js';

parentPort?.on('message', (msg: { id: number; bytes: Uint8Array; options?: WorkOptions }) => {
  const result = processModelBytes(msg.bytes, msg.options);
  const transfer = result.ok && result.thumbnail ? [result.thumbnail.buffer as ArrayBuffer] : [];
  parentPort?.postMessage({ id: msg.id, result }, transfer);
});
