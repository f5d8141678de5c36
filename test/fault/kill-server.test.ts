/**
 * Fault injection (issue 15): `kill -9` of the server while clients write events. Every event the server
 * acknowledged (200, counted in `accepted`) must be in the store afterwards — "acknowledged means stored".
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/api/testing/fixture.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { kill9, startServerChild } from './children.js';

describe('kill -9 of the server during event writes', () => {
  it('keeps every acknowledged event', async () => {
    const server = await startServerChild();
    const acked: string[] = [];
    let failedAfterKill = 0;
    let stop = false;
    const client = async (c: number) => {
      for (let b = 0; !stop; b++) {
        const events = Array.from({ length: 10 }, (_, k) => ({
          userId: `killer-${c}`,
          itemId: `${CATEGORIES[k % 3]}-${k % 6}`,
          type: 'view',
          timestamp: 1_700_000_000_000 + b * 100 + k,
        }));
        try {
          const res = await fetch(`${server.url}/v1/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ events }),
          });
          if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
          const body = (await res.json()) as { accepted: number };
          expect(body.accepted).toBe(10);
          for (const e of events) acked.push(`${e.userId}|${e.itemId}|${e.timestamp}`);
        } catch (e) {
          if (!stop) throw e;
          failedAfterKill++;
        }
      }
    };
    const clients = Array.from({ length: 6 }, (_, c) => client(c));
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await kill9(server.child);
    await Promise.all(clients);

    const store = await openSqliteStore(join(server.dir, 'layerwise.db'));
    const stored = new Set<string>();
    for await (const page of store.iterateEvents())
      for (const e of page) stored.add(`${e.userId}|${e.itemId}|${e.timestamp}`);
    await store.close();
    rmSync(server.dir, { recursive: true, force: true });
    console.info(`kill -9: ${acked.length} acknowledged events, ${failedAfterKill} requests cut off by the kill`);
    expect(acked.length).toBeGreaterThan(50);
    const lost = acked.filter((k) => !stored.has(k));
    expect(lost).toEqual([]);
  });
});
