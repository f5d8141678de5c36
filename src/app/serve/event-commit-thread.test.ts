/**
 * Issue 15 (soak): each group commit of API events ran on the request thread — better-sqlite3 is synchronous, so the
 * insert and its fsync (~3 ms under synchronous=FULL on the soak machine, 6 % of the server's wall time at 300 req/s)
 * blocked the event loop and every other request with it. With `eventCommitThread` the commit runs on a worker thread
 * with its own connection. Against a real server and SQLite file: no event batch is written through the request
 * thread's connection; while another connection holds the write lock, a batch waits for it without stalling the event
 * loop and is acknowledged only once committed, then applied (the user's next recommendation sees it); concurrent
 * batches are all stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../api/server.js';
import { seedStore, toyEmbedMesh } from '../../api/testing/fixture.js';
import type { Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { loadServerConfig } from '../config.js';
import { createServices } from './index.js';

vi.setConfig({ testTimeout: 60_000 }); // the worker boots the TypeScript sources under vitest

/** SQLite's own (loop-blocking) wait for a lock per try: long enough to see, as a busy import would make it. */
const BUSY_MS = 1000;

async function loopLag<T>(work: () => Promise<T>): Promise<{ lag: number; value: T }> {
  let last = performance.now();
  let lag = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last);
    last = now;
  }, 5);
  const value = await work();
  clearInterval(timer);
  return { lag, value };
}

describe('event commits on a thread of their own', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'layerwise-commit-thread-'));
    file = join(dir, 'layerwise.db');
    store = await openSqliteStore(file, { busyTimeoutMs: BUSY_MS });
    await seedStore(store);
    const cfg = loadServerConfig({ port: 0, rateLimit: { max: 0 }, overload: { maxEventLoopDelayMs: 0 } }, {});
    const services = await createServices(
      store,
      { ...cfg, logLevel: 'silent' },
      {
        dataDir: dir,
        embedMesh: toyEmbedMesh,
        pollMs: 0,
        shapeEncoder: 'toy',
        eventCommitThread: { file, options: { busyTimeoutMs: BUSY_MS } },
      },
    );
    app = await buildServer(services, { ...cfg, logLevel: 'silent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (userId: string, itemId: string, timestamp: number) =>
    fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ userId, itemId, type: 'make', timestamp }] }),
    });

  it('waits for another writer without blocking the event loop, and acknowledges only what is stored', async () => {
    // the request thread's own connection never writes events
    const inThread = vi.spyOn(store, 'addEvents');
    expect((await post('warm', 'vase-0', 1_700_000_000_000)).status).toBe(200); // the thread's start-up
    const before = await store.countEvents();
    const blocker = new Database(file);
    blocker.exec('begin immediate');
    const release = setTimeout(() => blocker.exec('commit'), 2 * BUSY_MS);
    const { lag, value: res } = await loopLag(() => post('waiting', 'gear-1', 1_700_000_001_000));
    clearTimeout(release);
    if (blocker.inTransaction) blocker.exec('commit');
    blocker.close();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
    expect(lag).toBeLessThan(BUSY_MS / 2);
    expect(inThread).not.toHaveBeenCalled();
    expect(await store.countEvents()).toBe(before + 1);
    const recs = (await (await fetch(`${url}/v1/users/waiting/recommendations?k=3`)).json()) as { coldStart: boolean };
    expect(recs.coldStart).toBe(false);
  });

  it('many concurrent batches: every acknowledged event is stored', async () => {
    const inThread = vi.spyOn(store, 'addEvents');
    const before = await store.countEvents();
    const res = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(`burst-${i % 7}`, `hook-${i % 6}`, 1_700_000_100_000 + i)),
    );
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(await store.countEvents()).toBe(before + 40);
    expect(inThread).not.toHaveBeenCalled();
  });
});
