/**
 * Resident memory of a serving process: applies `ServerConfig.memory` (see its comment in app/config.ts) — the
 * allocator's settings at start-up, the heap's once the state is loaded (`serving()`) — and keeps trimming the C
 * allocator's free pages while the server runs. Together they hold a server's RSS near its live data over hours of
 * traffic instead of letting it drift up by the allocator's and the garbage collector's headroom (bench/RESULTS.md
 * "Soak: reading", session 11); none of it changes what the server answers.
 */
import { setFlagsFromString } from 'node:v8';
import { nativeMemory } from '../../nn/backend/index.js';

export interface MemorySettings {
  mallocArenas: number;
  heapGrowthPercent: number;
  trimEveryS: number;
}

export interface ServingMemory {
  /** The arena cap in force, or why none is (`default`: configured 0; `unsupported`: no native addon or not glibc). */
  mallocArenas: number | 'default' | 'unsupported';
  heapGrowthPercent: number | 'default';
  /** Seconds between trims, or why there are none. */
  trimEveryS: number | 'off' | 'unsupported';
  /** Trims that gave memory back so far. */
  trims(): number;
  /**
   * Applies `heapGrowthPercent` — call once the server has loaded its state: while the catalogue and models load,
   * the heap grows from nothing to its working size, and a small growth factor would collect it many times on the
   * way (start-up at 1 M items: 27–29 → 33–41 s).
   */
  serving(): void;
  /** Stops the trim timer (the server is closing). */
  stop(): void;
}

export function applyServingMemory(settings: MemorySettings): ServingMemory {
  const memory = nativeMemory();
  let mallocArenas: ServingMemory['mallocArenas'] = 'default';
  if (settings.mallocArenas > 0) {
    mallocArenas =
      memory !== null && memory.arenaMax(settings.mallocArenas) === 0 ? settings.mallocArenas : 'unsupported';
  }
  let trimEveryS: ServingMemory['trimEveryS'] = 'off';
  let timer: NodeJS.Timeout | null = null;
  let returned = 0;
  if (settings.trimEveryS > 0) {
    trimEveryS = memory === null ? 'unsupported' : settings.trimEveryS;
    if (memory !== null) {
      let running = false;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        memory.trim().then(
          (r) => {
            running = false;
            if (r === 1) returned++;
            else if (r === -2 && timer !== null) clearInterval(timer); // not glibc: nothing to trim
          },
          () => {
            running = false;
          },
        );
      }, settings.trimEveryS * 1000);
      timer.unref();
    }
  }
  return {
    mallocArenas,
    heapGrowthPercent: settings.heapGrowthPercent > 0 ? settings.heapGrowthPercent : 'default',
    trimEveryS,
    trims: () => returned,
    serving: () => {
      // read by V8 each time it sets the next old-generation limit, so setting it after start-up takes effect
      if (settings.heapGrowthPercent > 0) setFlagsFromString(`--heap-growing-percent=${settings.heapGrowthPercent}`);
    },
    stop: () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}
