/** Worker-thread entry for model ingest: receives `{ id, bytes }`, replies `{ id, result }` (see ingest-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { processModelBytes } from './ingest-work.js';

parentPort?.on('message', (msg: { id: number; bytes: Uint8Array }) => {
  parentPort?.postMessage({ id: msg.id, result: processModelBytes(msg.bytes) });
});
