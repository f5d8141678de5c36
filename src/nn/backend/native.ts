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
}

export type NativeLoad =
  | { ok: true; backend: ComputeBackend & { setThreads(n: number): void } }
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
      cached = { ok: true, backend };
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
