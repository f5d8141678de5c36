import { describe, expect, it } from 'vitest';
import { availableBackends } from '../../nn/index.js';
import { main } from '../main.js';

function capture(): {
  io: { out: (s: string) => void; err: (s: string) => void; isTty: boolean };
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s), isTty: false }, out, err };
}

describe('layerwise doctor', () => {
  it('--json reports the backend, threads and a positive GEMM rate', async () => {
    const c = capture();
    const code = await main(['doctor', '--json', '--seconds', '0.2'], c.io);
    expect(code).toBe(0);
    const r = JSON.parse(c.out.join(''));
    expect(r.backend).toBe(availableBackends()[0]);
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect(r.gemmGflops).toBeGreaterThan(0);
    if (r.backend === 'js') expect(r.reason).toEqual(expect.any(String));
  });

  it('prints a readable report and rejects a bad --seconds', async () => {
    const c = capture();
    expect(await main(['doctor', '--seconds', '0.1'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/backend: +(native|js)[\s\S]*GFLOP\/s/);
    const d = capture();
    expect(await main(['doctor', '--seconds', 'soon'], d.io)).toBe(2);
    expect(d.err.join('')).toMatch(/--seconds/);
  });
});
