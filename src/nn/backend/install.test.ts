import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const script = resolve(import.meta.dirname, '../../../scripts/build-native.mjs');
function runInstall(env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('the install script never fails the install', () => {
  it('skips with LAYERWISE_SKIP_NATIVE=1', () => {
    const r = runInstall({ LAYERWISE_SKIP_NATIVE: '1' });
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/skipping the native backend/);
  });

  it('falls back when the OpenBLAS headers are missing', () => {
    const r = runInstall({ LAYERWISE_BLAS_INCLUDE: '/nonexistent/include' });
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/OpenBLAS headers not found.*apt-get install libopenblas-dev/);
  });

  it('exits 0 when the C build itself fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-native-'));
    try {
      writeFileSync(
        join(dir, 'binding.gyp'),
        JSON.stringify({ targets: [{ target_name: 'broken', sources: ['broken.c'] }] }),
      );
      writeFileSync(join(dir, 'broken.c'), 'this is not C;\n');
      const r = runInstall({ LAYERWISE_NATIVE_DIR: dir });
      expect(r.status).toBe(0);
      expect(r.out).toMatch(/native backend build failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('backend selection without the addon', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('uses js and says why when the addon cannot be found', async () => {
    vi.stubEnv('LAYERWISE_NATIVE_PATH', '/nonexistent/layerwise_native.node');
    vi.stubEnv('LAYERWISE_BACKEND', '');
    vi.resetModules();
    const b = await import('./index.js');
    expect(b.backendInfo()).toMatchObject({ backend: 'js', threads: 1, reason: expect.stringMatching(/not built/) });
    expect(b.availableBackends()).toEqual(['js']);
    expect(() => b.setBackend('native')).toThrow(/not built/);
  });

  it('LAYERWISE_BACKEND=native without the addon is an unsupported error; =js is honoured', async () => {
    vi.stubEnv('LAYERWISE_NATIVE_PATH', '/nonexistent/layerwise_native.node');
    vi.stubEnv('LAYERWISE_BACKEND', 'native');
    vi.resetModules();
    const b = await import('./index.js');
    expect(() => b.backend()).toThrow(expect.objectContaining({ code: 'unsupported' }));
    vi.stubEnv('LAYERWISE_BACKEND', 'js');
    vi.resetModules();
    const c = await import('./index.js');
    expect(c.backendInfo()).toEqual({ backend: 'js', threads: 1, reason: 'forced by LAYERWISE_BACKEND=js' });
  });
});

describe('LAYERWISE_THREADS', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('rejects a value that is not a positive integer', async () => {
    vi.stubEnv('LAYERWISE_THREADS', 'lots');
    vi.stubEnv('LAYERWISE_BACKEND', 'js');
    vi.resetModules();
    const b = await import('./index.js');
    expect(() => b.backend()).toThrow(/LAYERWISE_THREADS=lots/);
  });
});
