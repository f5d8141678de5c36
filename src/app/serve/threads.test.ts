import { describe, expect, it } from 'vitest';
import { availableBackends, backendInfo, setThreads } from '../../nn/backend/index.js';
import { applyServingThreads } from './threads.js';

describe('serving BLAS threads', () => {
  it.runIf(availableBackends().includes('native'))('serves on one BLAS thread unless LAYERWISE_THREADS is set', () => {
    setThreads(2);
    expect(applyServingThreads({ LAYERWISE_THREADS: '2' })).toBeUndefined();
    expect(backendInfo().threads).toBe(2); // an explicit setting is left alone
    expect(applyServingThreads({})).toBe(1);
    expect(backendInfo().threads).toBe(1);
  });
});
