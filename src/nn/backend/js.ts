/** The portable `js` compute backend: pure TypeScript kernels, used when the native addon is absent or disabled. */
import { adamJs, softmaxGradJs, softmaxJs, unaryGradJs, unaryJs } from './js-kernels.js';
import { csrmmJs, gemmJs, potrfJs, potriJs, potrsJs } from './js-linalg.js';
import type { ComputeBackend } from './types.js';

export const jsBackend: ComputeBackend = {
  name: 'js',
  threads: () => 1,
  sgemm: gemmJs,
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
};
