/**
 * Sandbox worker entry (see mesh-pool.ts): receives `{ id, bytes, task }`, replies `{ id, result }` with the mesh
 * arrays, thumbnail and embedding transferred. Runs under the heap limit its pool gave it; the pool kills it on its
 * clock. Says `{ ready: true }` once loaded, so that the clock never counts the worker's start-up. A pool with a shape
 * encoder sends its checkpoint first (`{ encoder }`), restored here once per worker.
 */
import { parentPort } from 'node:worker_threads';
import { loadShapeEncoder, type ShapeEncoder } from '../../models/shape/index.js';
import { type MeshTask, runMeshTask, transferables } from './mesh-task.js';

let encoder: ShapeEncoder | undefined;
let encoderError: Error | undefined;

parentPort?.on('message', (msg: { id: number; bytes: Uint8Array; task: MeshTask } | { encoder: Uint8Array }) => {
  if ('encoder' in msg) {
    try {
      encoder = loadShapeEncoder(msg.encoder);
    } catch (e) {
      encoderError = e as Error; // each embedding then says why
    }
    return;
  }
  const result = runMeshTask(msg.bytes, msg.task, encoder);
  if (encoderError && result.ok && result.value.embedError)
    result.value.embedError.message += `: ${encoderError.message}`;
  parentPort?.postMessage({ id: msg.id, result }, transferables(result));
});
parentPort?.postMessage({ ready: true });
