/**
 * Issue 15 (soak): an overloaded server kept working on every request — late, and for clients that had already given
 * up — so goodput fell to zero while it stayed busy. Now, against real servers over raw sockets, with the event loop
 * blocked the way a burst of work blocks it:
 * - requests that arrive while the loop has been later than `overload.maxEventLoopDelayMs` twice in a row get a fast
 *   503 `unavailable` with `Retry-After`, and `/healthz` is still answered 200; one long turn alone sheds nothing;
 * - a request whose client closed the connection while it waited is dropped before its handler runs (an event batch
 *   from a client that hung up is not stored; the one from a client still there is).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from './testing/fixture.js';

function connect(fx: Fixture): Promise<{ socket: net.Socket; text: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(new URL(fx.url).port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.once('connect', () => resolve({ socket, text: () => text, closed }));
    socket.once('error', reject);
  });
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
function postEvents(userId: string): string {
  const body = JSON.stringify({ events: [{ userId, itemId: 'vase-0', type: 'like' }] });
  return (
    `POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

/** Blocks this thread (the server's event loop) for `ms`, as a long turn of work does. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
}

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('load shedding', () => {
  it('answers 503 with Retry-After while the event loop is late, and still serves /healthz', async () => {
    fx = await startFixture({ overload: { maxEventLoopDelayMs: 100, retryAfterS: 2 } });
    const recs = await Promise.all([0, 1, 2, 3].map(() => connect(fx!)));
    const health = await connect(fx);
    // two long turns in a row, as under a backlog (one alone — a GC, a start-up step — is not overload); the
    // requests arrive during the second
    block(300);
    await new Promise<void>((r) =>
      setTimeout(() => {
        for (const [i, c] of recs.entries()) c.socket.write(get(`/v1/users/user-${i}/recommendations?k=5`));
        health.socket.write(get('/healthz'));
        block(300);
        r();
      }, 0),
    );
    await Promise.all([...recs, health].map((c) => c.closed));
    for (const c of recs) {
      expect(c.text()).toMatch(/^HTTP\/1\.1 503/);
      expect(c.text()).toMatch(/\r\nretry-after: 2\r\n/i);
      expect(c.text()).toContain('"code":"unavailable"');
      expect(c.text()).toContain('overloaded');
    }
    expect(health.text()).toMatch(/^HTTP\/1\.1 200/);
    // one long turn alone sheds nothing
    await new Promise((r) => setTimeout(r, 200));
    const alone = await connect(fx);
    alone.socket.write(get('/v1/users/user-1/recommendations?k=5'));
    block(300);
    await alone.closed;
    expect(alone.text()).toMatch(/^HTTP\/1\.1 200/);
    // once the loop keeps time again, the same request is served
    await new Promise((r) => setTimeout(r, 200));
    const ok = await fetch(`${fx.url}/v1/users/user-0/recommendations?k=5`);
    expect(ok.status).toBe(200);
  });

  it('drops a request whose client hung up while it waited, before any work is done', async () => {
    fx = await startFixture({ overload: { maxEventLoopDelayMs: 0 } }); // no shedding: only the gone check
    const before = await fx.store.countEvents();
    const leaving = await connect(fx);
    const staying = await connect(fx);
    leaving.socket.write(postEvents('user-leaving'));
    staying.socket.write(postEvents('user-staying'));
    leaving.socket.destroy(); // gave up: its request is in the server's socket buffer, not yet read
    block(200);
    await staying.closed;
    expect(staying.text()).toMatch(/^HTTP\/1\.1 200/);
    await new Promise((r) => setTimeout(r, 50));
    expect(await fx.store.countEvents()).toBe(before + 1);
    expect((await fx.store.userHistory('user-staying', { limit: 10 })).length).toBe(1);
    expect((await fx.store.userHistory('user-leaving', { limit: 10 })).length).toBe(0);
  });
});
