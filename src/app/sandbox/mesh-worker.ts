/**
 * Sandbox worker entry (see mesh-pool.ts): receives `{ id, bytes, task }`, replies `{ id, result }` with the mesh
 * arrays and thumbnail transferred. Runs under the heap limit its pool gave it; the pool kills it on its clock.
Says `{ ready: true }` once loaded, so that the clock never counts the worker's start-up.
 */
import { parentPort } from 'node:worker_threads';
import { type MeshTask, runMeshTask, transferables } from './mesh-task.js';

parentPort?.on('message', (msg: { id: number; bytes: Uint8Array; task: MeshTask }) => {
  const result = runMeshTask(msg.bytes, msg.task);
  parentPort?.postMessage({ id: msg.id, result }, transferables(result));
});
parentPort?.postMessage({ ready: true });
