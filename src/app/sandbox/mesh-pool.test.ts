/**
 * The mesh sandbox (issue 15): uploads are parsed and analysed in worker threads with limits by name; hostile
 * input costs a worker, never the event loop; the clock and the heap limit stop runaway work; the queue is bounded.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LayerwiseError } from '../../core/errors.js';
import { heavyStl, inflating3mf, manyGroupsObj } from './hostile-meshes.js';
import { createMeshPool } from './mesh-pool.js';

/** Largest gap between 5 ms timer ticks while `work` runs: how long the event loop was blocked. */
async function loopLag<T>(work: () => Promise<T>): Promise<{ lag: number; result: PromiseSettledResult<T> }> {
  let last = performance.now();
  let lag = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last);
    last = now;
  }, 5);
  await new Promise((r) => setTimeout(r, 20));
  const [result] = await Promise.allSettled([work()]);
  await new Promise((r) => setTimeout(r, 20)); // let the tick after the work measure its gap
  clearInterval(timer);
  return { lag, result: result! };
}

async function errorOf(p: Promise<unknown>): Promise<LayerwiseError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LayerwiseError);
    return e as LayerwiseError;
  }
  throw new Error('expected a rejection');
}

const pool = createMeshPool({ threads: 2, timeMs: 120_000 });
afterAll(() => pool.close());

vi.setConfig({ testTimeout: 180_000 }); // worker threads boot the TypeScript sources; the machine may be loaded

describe('mesh sandbox', () => {
  it('parses and analyses in a worker and returns the mesh', async () => {
    const out = await pool.run(heavyStl(500), { analyze: {}, returnMesh: true });
    expect(out.format).toBe('stl-binary');
    expect(out.triangles).toBe(500);
    expect(out.report?.triangles).toBe(500);
    expect(out.mesh?.indices).toBeInstanceOf(Uint32Array);
    expect(out.mesh?.indices.length).toBe(1500);
  });

  it('retires a worker after maxTasks tasks and starts a fresh one when the next task comes', async () => {
    const small = createMeshPool({ threads: 1, maxTasks: 2, timeMs: 120_000 });
    try {
      for (let i = 0; i < 5; i++) expect((await small.run(heavyStl(10 + i), { analyze: {} })).triangles).toBe(10 + i);
      expect(small.load()).toEqual({ running: 0, queued: 0, started: 3 });
    } finally {
      await small.close();
    }
  });

  it('retires a worker left idle for idleMs and starts a fresh one for the next task', async () => {
    const idle = createMeshPool({ threads: 1, idleMs: 300, timeMs: 120_000 });
    try {
      expect((await idle.run(heavyStl(10), { analyze: {} })).triangles).toBe(10);
      expect((await idle.run(heavyStl(11), { analyze: {} })).triangles).toBe(11); // busy again at once: same worker
      expect(idle.load().started).toBe(1);
      await new Promise((r) => setTimeout(r, 900));
      expect((await idle.run(heavyStl(12), { analyze: {} })).triangles).toBe(12);
      expect(idle.load()).toEqual({ running: 0, queued: 0, started: 2 });
    } finally {
      await idle.close();
    }
  });

  it('reports each upload limit by name', async () => {
    const big = heavyStl(3000);
    expect((await errorOf(pool.run(big, { parse: { maxTriangles: 1000 } }))).details).toMatchObject({
      name: 'triangles',
      limit: 1000,
    });
    expect((await errorOf(pool.run(big, { parse: { maxVertices: 1000 } }))).details.name).toBe('vertices');
    expect((await errorOf(pool.run(big, { parse: { maxBytes: 1000 } }))).details.name).toBe('bytes');
    const bomb = inflating3mf(6);
    const e = await errorOf(pool.run(bomb, { parse: { maxZipEntryBytes: 4 * 1024 * 1024 } }));
    expect(e.code).toBe('limit_exceeded');
    expect(e.details.name).toBe('zipEntryBytes');
    expect((await errorOf(pool.run(new Uint8Array([1, 2, 3])))).code).toBe('unsupported');
  });

  it('stops a task at its wall-clock limit and replaces the worker', async () => {
    const quick = createMeshPool({ threads: 1, timeMs: 100 });
    try {
      const e = await errorOf(quick.run(heavyStl(120_000), { analyze: {} }));
      expect(e.code).toBe('limit_exceeded');
      expect(e.details).toMatchObject({ name: 'time', limit: 100 });
      expect((await quick.run(heavyStl(10), {})).triangles).toBe(10); // served by the replacement worker
    } finally {
      await quick.close();
    }
  });

  it('stops a task at its heap limit', async () => {
    const small = createMeshPool({ threads: 1, memoryMb: 32, timeMs: 120_000 });
    try {
      const e = await errorOf(small.run(manyGroupsObj(200_000)));
      expect(e.code).toBe('limit_exceeded');
      expect(e.details).toMatchObject({ name: 'memory', limit: 32 });
      expect((await small.run(heavyStl(10))).triangles).toBe(10);
    } finally {
      await small.close();
    }
  });

  it('keeps the event loop free while four hostile uploads are processed', async () => {
    // One worker, so one core stays for this thread even on a 2-core machine; the same work in-thread is the peer.
    const one = createMeshPool({ threads: 1, timeMs: 120_000 });
    try {
      await one.run(heavyStl(10)); // started
      const bomb = inflating3mf(4);
      const heavy = heavyStl(15_000);
      const inputs = [bomb, heavy, bomb, heavy];
      const sandboxed = await loopLag(() => Promise.all(inputs.map((b) => one.run(b, { analyze: {} }))));
      expect(sandboxed.result.status).toBe('fulfilled');
      const inThread = createMeshPool({ threads: 0 });
      const blocking = await loopLag(() => Promise.all(inputs.map((b) => inThread.run(b, { analyze: {} }))));
      console.info(`event-loop lag: sandboxed ${sandboxed.lag.toFixed(0)} ms, in-thread ${blocking.lag.toFixed(0)} ms`);
      expect(blocking.lag).toBeGreaterThan(300);
      expect(sandboxed.lag).toBeLessThan(Math.min(400, blocking.lag / 5)); // a loaded shared machine adds noise
    } finally {
      await one.close();
    }
  });

  it('answers unavailable when its queue is full', async () => {
    const tiny = createMeshPool({ threads: 1, queueFactor: 1, timeMs: 120_000 });
    try {
      const heavy = heavyStl(20_000);
      await tiny.run(heavyStl(10)); // started: one task runs, one waits, the third is refused
      const running = [tiny.run(heavy, { analyze: {} }), tiny.run(heavy, { analyze: {} })];
      const e = await errorOf(tiny.run(heavy));
      expect(e.code).toBe('unavailable');
      expect(e.details.retryAfterS).toBeGreaterThan(0);
      await Promise.all(running);
    } finally {
      await tiny.close();
    }
  });
});
