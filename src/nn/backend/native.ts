/**
 * Loader for the optional native addon (native/, built by scripts/build-native.mjs with node-gyp against Debian's
 * OpenBLAS). Returns the backend, or the reason it is unavailable. Loading uses `createRequire` only (no file I/O).
 */
import { createRequire } from 'node:module';
import { ialsCgJs } from './js-ials.js';
import type { ComputeBackend } from './types.js';

interface Addon extends Omit<ComputeBackend, 'name' | 'threads'> {
  threads(): number;
  setThreads(n: number): void;
  version(): string;
  /** Absent in an addon built before it existed (a stale native/build). */
  arenaMax?(n: number): number;
  trim?(): Promise<number>;
}

/** The C allocator's knobs (native/src/memory.c): -2 where the allocator is not glibc's. */
export interface NativeMemory {
  /** At most n malloc arenas for the process: 0 when set. */
  arenaMax(n: number): number;
  /** malloc_trim(0) on libuv's thread pool: 1 when pages went back to the kernel. */
  trim(): Promise<number>;
}

export type NativeLoad =
  | { ok: true; backend: ComputeBackend & { setThreads(n: number): void }; memory: NativeMemory | null }
  | { ok: false; reason: string };

const candidates = [
  // from src/nn/backend/ (tsx, vitest) and from dist/src/nn/backend/ (compiled CLI)
  '../../../native/build/Release/layerwise_native.node',
  '../../../../native/build/Release/layerwise_native.node',
];

let cached: NativeLoad | undefined;

export function loadNative(): NativeLoad {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const paths = process.env.LAYERWISE_NATIVE_PATH ? [process.env.LAYERWISE_NATIVE_PATH] : candidates;
  const errors: string[] = [];
  for (const p of paths) {
    try {
      const target = p.startsWith('/') ? p : new URL(p, import.meta.url).pathname;
      const addon = require(target) as Addon;
      const backend = {
        ...addon,
        // An addon built before the kernel existed (stale native/build) still works: portable kernel instead.
        ialsCg: typeof addon.ialsCg === 'function' ? addon.ialsCg : ialsCgJs,
        name: 'native' as const,
        threads: () => addon.threads(),
        setThreads: (n: number) => addon.setThreads(n),
      };
      const memory =
        typeof addon.arenaMax === 'function' && typeof addon.trim === 'function'
          ? { arenaMax: addon.arenaMax.bind(addon), trim: addon.trim.bind(addon) }
          : null;
      cached = { ok: true, backend, memory };
      return cached;
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      errors.push(msg);
    }
  }
  const missing = errors.every((m) => m.includes('Cannot find module'));
  cached = {
    ok: false,
    reason: missing
      ? 'native addon not built (apt-get install libopenblas-dev, then npm rebuild layerwise or node scripts/build-native.mjs)'
      : `native addon failed to load: ${errors.find((m) => !m.includes('Cannot find module')) ?? errors[0]}`,
  };
  return cached;
}
