/**
 * Chooses the active compute backend: the native OpenBLAS addon when it loads, the portable `js` backend otherwise.
 * `LAYERWISE_BACKEND=native|js` forces one (forcing `native` without the addon is an `unsupported` error on first
 * use); `LAYERWISE_THREADS=n` sets the native BLAS threads (default: OpenBLAS's, i.e. all cores). Tests and
 * benchmarks switch with `setBackend`.
 */
import { LayerwiseError } from '../../core/errors.js';
import { jsBackend } from './js.js';
import { loadNative, type NativeMemory } from './native.js';
import type { BackendName, ComputeBackend } from './types.js';

export interface BackendInfo {
  backend: BackendName;
  threads: number;
  /** Why this backend was chosen, when it is not the default choice or the native one is missing. */
  reason?: string;
}

let active: ComputeBackend | undefined;
let activeReason: string | undefined;

function choose(): ComputeBackend {
  const forced = process.env.LAYERWISE_BACKEND;
  if (forced === 'js') {
    activeReason = 'forced by LAYERWISE_BACKEND=js';
    return jsBackend;
  }
  const native = loadNative();
  if (forced === 'native') {
    if (!native.ok) throw new LayerwiseError('unsupported', `LAYERWISE_BACKEND=native but ${native.reason}`);
    activeReason = 'forced by LAYERWISE_BACKEND=native';
    return native.backend;
  }
  if (forced !== undefined && forced !== '')
    throw new LayerwiseError('invalid_argument', `LAYERWISE_BACKEND=${forced}: expected "native" or "js" (or unset)`);
  if (native.ok) {
    activeReason = undefined;
    return native.backend;
  }
  activeReason = native.reason;
  return jsBackend;
}

/** Applies LAYERWISE_THREADS (BLAS threads of the native backend) once, when the backend is first chosen. */
function applyThreadsEnv(): void {
  const t = process.env.LAYERWISE_THREADS;
  if (t === undefined || t === '') return;
  const n = Number(t);
  if (!(Number.isInteger(n) && n >= 1))
    throw new LayerwiseError('invalid_argument', `LAYERWISE_THREADS=${t}: expected a positive integer`);
  setThreads(n);
}

/** The active backend (chosen on first use). */
export function backend(): ComputeBackend {
  if (!active) {
    const chosen = choose();
    applyThreadsEnv();
    active = chosen;
  }
  return active;
}

/** Switches the active backend; throws `unsupported` when asking for `native` and the addon is not available. */
export function setBackend(name: BackendName): void {
  if (name === 'js') {
    active = jsBackend;
    activeReason = 'set by setBackend("js")';
    return;
  }
  const native = loadNative();
  if (!native.ok) throw new LayerwiseError('unsupported', native.reason);
  active = native.backend;
  activeReason = undefined;
}

/** Names of the backends that can run here (always includes `js`). */
export function availableBackends(): BackendName[] {
  return loadNative().ok ? ['native', 'js'] : ['js'];
}

/** Sets the native backend's BLAS thread count (no-op on `js`). */
export function setThreads(n: number): void {
  const native = loadNative();
  if (native.ok) native.backend.setThreads(n);
}

/** The C allocator's knobs where the native addon is loaded (-2 from each off glibc), else null (app/serve/memory.ts). */
export function nativeMemory(): NativeMemory | null {
  const native = loadNative();
  return native.ok ? native.memory : null;
}

export function backendInfo(): BackendInfo {
  const b = backend();
  const info: BackendInfo = { backend: b.name, threads: b.threads() };
  if (activeReason !== undefined) info.reason = activeReason;
  return info;
}

export type { NativeMemory } from './native.js';
export type { BackendName, ComputeBackend } from './types.js';
export { UnaryOp, type UnaryOpCode } from './types.js';
