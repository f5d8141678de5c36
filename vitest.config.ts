import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // `layerwise serve` run in-process or as a child logs nothing unless a test asks for the log
    env: { LAYERWISE_LOG_LEVEL: 'silent' },
    reporters: ['default'],
  },
});
