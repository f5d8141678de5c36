/**
 * The portable `js` compute backend, used when the native addon is absent or disabled: TypeScript kernels, with fp32
 * GEMM on a WebAssembly SIMD micro-kernel (assembled in wasm-gemm.ts) for all but tiny products.
 */

import { sgemmJs } from './js-gemm.js';
import { ialsCgJs } from './js-ials.js';
import { adamJs, softmaxGradJs, softmaxJs, unaryGradJs, unaryJs } from './js-kernels.js';
import { csrmmJs, gemmJs, potrfJs, potriJs, potrsJs } from './js-linalg.js';
import type { ComputeBackend } from './types.js';
import { wasmSgemm } from './wasm-gemm.js';

/** Below this many multiply-adds the packing overhead of the WASM kernel outweighs its speed. */
const WASM_MIN_WORK = 32_768;

function sgemm(...args: Parameters<ComputeBackend['sgemm']>): void {
  const [, , m, n, k] = args;
  if (m * n * k >= WASM_MIN_WORK && wasmSgemm(...args)) return;
  sgemmJs(...args);
}

export const jsBackend: ComputeBackend = {
  name: 'js',
  threads: () => 1,
  sgemm,
  dgemm: gemmJs,
  csrmm: csrmmJs,
  potrf: potrfJs,
  potri: potriJs,
  potrs: potrsJs,
  unary: unaryJs,
  unaryGrad: unaryGradJs,
  softmax: softmaxJs,
  softmaxGrad: softmaxGradJs,
  adam: adamJs,
  ialsCg: ialsCgJs,
};
