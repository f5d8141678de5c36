/**
 * The compute self-check behind `layerwise doctor`: which backend is active (and why), its thread count, and a
 * timed fp32 GEMM probe (square matrices, repeated until the time budget is spent).
 */
import { Rng } from '../core/rng.js';
import { backend, backendInfo } from './backend/index.js';

export interface ComputeReport {
  backend: 'native' | 'js';
  threads: number;
  /** Measured fp32 GEMM throughput in GFLOP/s (2·n³ flops per product). */
  gemmGflops: number;
  /** Why this backend (e.g. why the native one is not in use). */
  reason?: string;
  /** Matrix size of the probe and the products timed. */
  gemmSize: number;
  gemmRuns: number;
}

/** Times square fp32 GEMMs for about `seconds` (default 2; size 1024 native, 256 js unless given). */
export function probeCompute(opts: { seconds?: number; size?: number } = {}): ComputeReport {
  const info = backendInfo();
  const be = backend();
  const n = opts.size ?? (be.name === 'native' ? 1024 : 256);
  const budgetMs = (opts.seconds ?? 2) * 1000;
  const rng = new Rng(1);
  const a = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
  const b = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
  const c = new Float32Array(n * n);
  be.sgemm(false, false, n, n, n, 1, a, b, 0, c); // warm-up (thread start, page faults)
  let runs = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    be.sgemm(false, false, n, n, n, 1, a, b, 0, c);
    runs++;
    elapsed = performance.now() - t0;
  } while (elapsed < budgetMs);
  const gflops = (2 * n * n * n * runs) / (elapsed / 1000) / 1e9;
  const report: ComputeReport = {
    backend: info.backend,
    threads: info.threads,
    gemmGflops: Math.round(gflops * 10) / 10,
    gemmSize: n,
    gemmRuns: runs,
  };
  if (info.reason !== undefined) report.reason = info.reason;
  return report;
}
