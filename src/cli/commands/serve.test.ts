/**
 * `layerwise serve` end to end in-process: flags, the localhost-only notice, real requests, clean stop on SIGINT, and
 * no process warnings (deprecations such as Fastify's FSTDEP022) while it starts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/data.js';
import { seedStore } from '../../api/testing/fixture.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { main } from '../main.js';

describe('layerwise serve', () => {
  it('serves the store in --data-dir on --port, warns that it is open on localhost, stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerwise-serve-'));
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => void warnings.push(`${w.code ?? w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const store = await openSqliteStore(join(dir, 'layerwise.db'));
      await seedStore(store);
      await store.close();
      const out: string[] = [];
      const err: string[] = [];
      let announce!: (line: string) => void;
      const announced = new Promise<string>((r) => (announce = r));
      const io = {
        out: (t: string) => {
          out.push(t);
          announce(t);
        },
        err: (t: string) => void err.push(t),
        isTty: false,
      };
      const saved = process.env.LAYERWISE_API_KEYS;
      delete process.env.LAYERWISE_API_KEYS;
      const exit = main(['serve', '--data-dir', dir, '--port', '0'], io);
      const line = await announced;
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
      expect(line).toMatch(/serving 18 items, model ease@1/);
      expect(err.join('\n')).toMatch(/no API keys configured.*127\.0\.0\.1 only/);
      const res = await fetch(`${url}/v1/users/user-4/recommendations?k=2`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(2);
      expect((await fetch(`${url}/docs/json`)).status).toBe(200);
      if (existsSync(join(repoRoot, 'src', 'ui', 'web', 'dist', 'index.html'))) {
        expect(line).toContain(`web UI at ${url}/`);
        expect(await (await fetch(`${url}/`)).text()).toContain('<div id="root">');
      }
      process.emit('SIGINT');
      expect(await exit).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      if (saved !== undefined) process.env.LAYERWISE_API_KEYS = saved;
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad --port with exit code 2', async () => {
    const err: string[] = [];
    const code = await main(['serve', '--port', 'eighty'], {
      out: () => {},
      err: (t) => void err.push(t),
      isTty: false,
    });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/--port must be an integer/);
  });
});
