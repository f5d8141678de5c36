/**
 * A sandbox for untrusted mesh work: a small pool of worker threads, each with its own V8 heap limit
 * (`resourceLimits`), and a wall-clock limit per task after which the worker is terminated and replaced. The request
 * thread only waits on a promise, so a hostile upload (a 3MF whose entry inflates to hundreds of MB, a 2 M-triangle
 * mesh) costs one worker, never the event loop. Outcomes are `LayerwiseError`s with limits named as the parsers name
 * them (`details.name`: `time` for the clock, `memory` for the heap), so the API can say which limit was hit.
 *
 * The queue is bounded: when `threads × queueFactor` tasks already wait, `run` fails at once with `unavailable`
 * (`details.retryAfterS`) rather than letting work pile up. Workers start lazily and do not keep the process alive
 * while idle. Under TypeScript sources (vitest, tsx) the worker loads its `.ts` entry through tsx's loader, so tests
 * exercise the same isolation as production.
 */
import type { Worker } from 'node:worker_threads';
import { LayerwiseError } from '../../core/errors.js';
import { loadShapeEncoder, type ShapeEncoder } from '../../models/shape/index.js';
import { deserializeError, type MeshTask, type MeshTaskOutput, type MeshTaskResult, runMeshTask } from './mesh-task.js';
import { spawnModuleWorker } from './spawn-worker.js';

export interface MeshPoolOptions {
  /** Worker threads (default 2; 0 = run in-thread, without isolation — trusted input only). */
  threads?: number;
  /** V8 old-generation heap limit per worker in MB (default 512). Typed arrays are bounded by the parse limits. */
  memoryMb?: number;
  /** Wall-clock limit per task in ms, from the moment a worker takes it (default 30 s). */
  timeMs?: number;
  /** Waiting tasks allowed per thread before `run` answers `unavailable` (default 8). */
  queueFactor?: number;
  /**
   * A shape encoder checkpoint (`shape-encoder-<name>` artifact payload): each worker restores it once, and tasks
   * with `embed` get the mesh's embedding computed there — off the request thread, with the same code and weights.
   */
  encoder?: Uint8Array;
  /**
   * Tasks a worker runs before it is retired and replaced when next needed (default 100): a worker's heap grows
   * with what it parsed and V8 rarely gives it back, so a long-running server would otherwise keep the high-water
   * mark of every worker (the soak saw ~110 MB of growth over 577 uploads); ending the thread returns its heap.
   */
  maxTasks?: number;
  /**
   * A worker left without a task this long (ms) is retired too (default 15 s; 0 = never): an upload burst's second
   * worker otherwise keeps its heap for as long as the server runs.
   */
  idleMs?: number;
}

export interface MeshPool {
  readonly threads: number;
  /** Parses (and analyses, per `task`) the bytes in a worker; throws the task's `LayerwiseError`. */
  run(bytes: Uint8Array, task?: MeshTask): Promise<MeshTaskOutput>;
  /** Tasks running and waiting now, and workers started so far (retired and replaced ones included). */
  load(): { running: number; queued: number; started?: number };
  close(): Promise<void>;
}

interface Job {
  id: number;
  bytes: Uint8Array;
  task: MeshTask;
  resolve: (v: MeshTaskOutput) => void;
  reject: (e: LayerwiseError) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job | undefined;
  timer?: NodeJS.Timeout | undefined;
  /** Tasks finished. */
  done: number;
  /** Retires the worker when it stays idle (set while it has no task). */
  idle?: NodeJS.Timeout | undefined;
}

function spawnWorker(memoryMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
  return spawnModuleWorker(new URL('./mesh-worker.js', import.meta.url), { resourceLimits });
}

export function createMeshPool(options: MeshPoolOptions = {}): MeshPool {
  const threads = Math.max(0, Math.floor(options.threads ?? 2));
  const memoryMb = options.memoryMb ?? 512;
  const timeMs = options.timeMs ?? 30_000;
  const maxQueue = threads * (options.queueFactor ?? 8);
  const maxTasks = Math.max(1, Math.floor(options.maxTasks ?? 100));
  const idleMs = Math.max(0, options.idleMs ?? 15_000);
  let started = 0;
  if (threads === 0) {
    let encoder: ShapeEncoder | undefined;
    return {
      threads,
      run: async (bytes, task) => {
        if (task?.embed && options.encoder) encoder ??= loadShapeEncoder(options.encoder);
        return unwrap(runMeshTask(bytes, task, encoder));
      },
      load: () => ({ running: 0, queued: 0 }),
      close: async () => {},
    };
  }
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  const finish = (slot: Slot): Job | undefined => {
    const job = slot.job;
    if (slot.timer) clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    slot.worker.unref();
    return job;
  };

  const retire = (slot: Slot): void => {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = undefined;
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    void slot.worker.terminate();
  };

  /** A ready worker without a task: retired unless a task comes within idleMs. */
  const idleFrom = (slot: Slot): void => {
    if (idleMs === 0 || closed || slot.job !== undefined || !slots.includes(slot)) return;
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (slot.job === undefined) retire(slot);
    }, idleMs);
    slot.idle.unref();
  };

  const replace = (slot: Slot, error: LayerwiseError): void => {
    const job = finish(slot);
    if (slot.idle) clearTimeout(slot.idle);
    slots.splice(slots.indexOf(slot), 1);
    void slot.worker.terminate();
    job?.reject(error);
    pump();
  };

  const startSlot = (): Slot => {
    const slot: Slot = { worker: spawnWorker(memoryMb), ready: false, done: 0 };
    started++;
    slot.worker.on('message', (msg: { id: number; result: MeshTaskResult } | { ready: true }) => {
      if ('ready' in msg) {
        // the checkpoint goes first: messages arrive in order, so every task finds the encoder restored
        if (options.encoder) slot.worker.postMessage({ encoder: options.encoder });
        slot.ready = true;
        pump();
        idleFrom(slot);
        return;
      }
      if (slot.job?.id !== msg.id) return;
      const job = finish(slot)!;
      // retired: a fresh worker starts when a task needs one
      if (++slot.done >= maxTasks) retire(slot);
      if (msg.result.ok) job.resolve(msg.result.value);
      else job.reject(deserializeError(msg.result.error));
      pump();
      idleFrom(slot);
    });
    slot.worker.on('error', (e: Error & { code?: string }) => {
      if (!slot.ready) {
        // cannot even start: fail one waiting task instead of respawning forever
        slots.splice(slots.indexOf(slot), 1);
        queue.shift()?.reject(new LayerwiseError('internal', `mesh worker failed to start: ${e.message}`));
        pump();
        return;
      }
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      replace(
        slot,
        oom
          ? new LayerwiseError('limit_exceeded', `the mesh needs more than the ${memoryMb} MB of memory allowed`, {
              details: { name: 'memory', limit: memoryMb },
            })
          : new LayerwiseError('internal', `mesh worker failed: ${e.message}`, { cause: e }),
      );
    });
    slot.worker.on('exit', () => {
      if (slots.includes(slot)) {
        replace(slot, new LayerwiseError('internal', 'mesh worker exited unexpectedly'));
      }
    });
    slot.worker.unref();
    slots.push(slot);
    return slot;
  };

  const pump = (): void => {
    while (!closed && queue.length > 0) {
      const slot = slots.find((s) => s.ready && s.job === undefined);
      if (!slot) {
        const starting = slots.filter((s) => !s.ready).length;
        for (let i = starting; i < queue.length && slots.length < threads; i++) startSlot();
        return;
      }
      const job = queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = undefined;
      slot.job = job;
      slot.worker.ref();
      const s = slot;
      slot.timer = setTimeout(() => {
        replace(
          s,
          new LayerwiseError('limit_exceeded', `processing the mesh took longer than the ${timeMs} ms allowed`, {
            details: { name: 'time', limit: timeMs },
          }),
        );
      }, timeMs);
      // copied, not transferred: the caller still hashes and stores the bytes afterwards
      slot.worker.postMessage({ id: job.id, bytes: job.bytes, task: job.task });
    }
  };

  return {
    threads,
    run(bytes, task = {}) {
      if (closed) return Promise.reject(new LayerwiseError('unavailable', 'the mesh pool is closed'));
      if (queue.length >= maxQueue) {
        return Promise.reject(
          new LayerwiseError('unavailable', `too many meshes are being processed (${queue.length} waiting); retry`, {
            details: { retryAfterS: 5 },
          }),
        );
      }
      return new Promise<MeshTaskOutput>((resolve, reject) => {
        queue.push({ id: nextId++, bytes, task, resolve, reject });
        pump();
      });
    },
    load: () => ({ running: slots.filter((s) => s.job).length, queued: queue.length, started }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new LayerwiseError('unavailable', 'the mesh pool is closed'));
      const all = slots.splice(0);
      for (const s of all) if (s.idle) clearTimeout(s.idle);
      for (const s of all) finish(s)?.reject(new LayerwiseError('unavailable', 'the mesh pool is closed'));
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}

function unwrap(r: MeshTaskResult): MeshTaskOutput {
  if (r.ok) return r.value;
  throw deserializeError(r.error);
}
