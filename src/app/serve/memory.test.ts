import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../../nn/backend/index.js';
import { applyServingMemory } from './memory.js';

const glibc =
  process.platform === 'linux' &&
  (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })?.header?.glibcVersionRuntime !==
    undefined;
const native = availableBackends().includes('native');

/**
 * A child process whose threads allocate ~250 MB in small blocks and exit (as retired mesh workers do), then applies
 * the serving memory settings and waits; prints RSS (MB) after the threads exited and after the wait.
 */
const CHILD = `
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { applyServingMemory } from ${JSON.stringify(new URL('./memory.ts', import.meta.url).href)};
const rss = () => Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const src = "const k = []; for (let i = 0; i < 40000; i++) k.push(new Uint8Array(2048 + (i % 7) * 256));" +
  "import('node:worker_threads').then((w) => w.parentPort.postMessage(k.length));";
await Promise.all([0, 1].map(() => new Promise((done) => {
  const w = new Worker(src, { eval: true });
  w.once('message', () => w.terminate().then(done));
})));
const before = rss();
const m = applyServingMemory({ mallocArenas: 0, heapGrowthPercent: 0, trimEveryS: Number(process.argv[1]) });
await new Promise((r) => setTimeout(r, 1500));
console.log(JSON.stringify({ before, after: rss(), trims: m.trims() }));
m.stop();
`;

async function child(trimEveryS: number): Promise<{ before: number; after: number; trims: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', CHILD, String(trimEveryS)],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('serving memory settings', () => {
  it('reports what is in force and what is off', () => {
    const off = applyServingMemory({ mallocArenas: 0, heapGrowthPercent: 0, trimEveryS: 0 });
    expect([off.mallocArenas, off.heapGrowthPercent, off.trimEveryS]).toEqual(['default', 'default', 'off']);
    const on = applyServingMemory({ mallocArenas: 4, heapGrowthPercent: 0, trimEveryS: 3600 });
    on.stop();
    expect(on.mallocArenas).toBe(native && glibc ? 4 : 'unsupported');
    expect(on.trimEveryS).toBe(native ? 3600 : 'unsupported');
  });

  it.runIf(native && glibc)(
    'gives memory freed by finished threads back to the kernel',
    async () => {
      const trimmed = await child(0.2);
      const kept = await child(0);
      // without the trim, what the threads freed stays resident; with it, RSS falls back by most of it
      expect(kept.before).toBeGreaterThan(150);
      expect(kept.after).toBeGreaterThan(kept.before - 30);
      expect(trimmed.trims).toBeGreaterThan(0);
      expect(trimmed.after).toBeLessThan(trimmed.before - 100);
    },
    120_000,
  );
});
