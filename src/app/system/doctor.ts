/**
 * The doctor use case: which compute backend runs (native OpenBLAS or portable), why, its threads, and a short fp32
 * GEMM probe — what `layerwise doctor` prints.
 */
export { type ComputeReport, probeCompute } from '../../nn/probe.js';
