/**
 * BLAS threads for a serving process. The request path's linear algebra is small — a history's fold-in solves a
 * 64 × 64 system, an explanation factors one — so extra BLAS threads cannot speed it up; they only hand each call to
 * a thread that then spins in `sched_yield` waiting for the next. Measured under the soak's mixed traffic on the
 * 2-core machine (perf, bench/RESULTS.md "Soak"): with OpenBLAS's default of one thread per core, 40–45 % of the
 * server's CPU went to that spinning. A server therefore runs its BLAS on the calling thread, unless
 * `LAYERWISE_THREADS` says otherwise.
 */
import { setThreads } from '../../nn/backend/index.js';

/** One BLAS thread for serving, unless LAYERWISE_THREADS is set (then it was applied already). Returns the count. */
export function applyServingThreads(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (env.LAYERWISE_THREADS !== undefined && env.LAYERWISE_THREADS !== '') return undefined;
  setThreads(1);
  return 1;
}
