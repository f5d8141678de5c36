/**
 * Issue 15: failed authentication was never rate-limited (the limiter ran after the auth hook, so key guessing was
 * unthrottled), and the 429 message named a 1-second window for a 1-minute limit. Against real servers with keys:
 * wrong keys from one client address get 429 after `authFailures.max` failures — before any key is looked at, so
 * even the right key is refused from that address until the window ends — while another address (127.0.0.2, also
 * loopback) keeps its own budget; the per-key limit's 429 names its real window.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWindow } from './auth-limit.js';
import { type Fixture, startFixture } from './testing/fixture.js';

const KEYS = { read: 'read-key-123', write: 'write-key-456', admin: 'admin-key-789' };
const env = { LAYERWISE_API_KEYS: `read:${KEYS.read},write:${KEYS.write},admin:${KEYS.admin}` };

interface Reply {
  status: number;
  body: { code?: string; message?: string };
  retryAfter: string | undefined;
}

/** GET `path` from the client address `from` (any 127.x.y.z reaches a server on 127.0.0.1). */
function get(fx: Fixture, path: string, key: string | undefined, from = '127.0.0.1'): Promise<Reply> {
  const url = new URL(path, fx.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        localAddress: from,
        agent: false,
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          const ra = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            body: text.startsWith('{') ? JSON.parse(text) : {},
            retryAfter: Array.isArray(ra) ? ra[0] : ra,
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('failed authentication is throttled per client address, before the key check', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ authFailures: { max: 3, windowMs: 60_000 } }, env);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('wrong keys get 429 after 3 failures; then even the right key is refused from that address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(fx, '/v1/items/vase-0', `guess-${i}-xxxx`)).status);
    expect(statuses).toEqual([401, 401, 401]);
    const limited = await get(fx, '/v1/items/vase-0', 'guess-4-xxxx');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.body.message).toMatch(/3 per 1 minute/);
    const after = Number(limited.retryAfter);
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThanOrEqual(60);
    // the key is not even looked at: a correct guess is not confirmed while the address is throttled
    expect((await get(fx, '/v1/items/vase-0', KEYS.read)).status).toBe(429);
    expect((await get(fx, '/v1/items/vase-0', undefined)).status).toBe(429);
    // public routes stay reachable (health checks from a load balancer on the same address)
    expect((await get(fx, '/healthz', undefined)).status).toBe(200);
  });

  it('another address has its own budget', async () => {
    expect((await get(fx, '/v1/items/vase-0', KEYS.read, '127.0.0.2')).status).toBe(200);
    expect((await get(fx, '/v1/items/vase-0', 'wrong-key-000', '127.0.0.2')).status).toBe(401);
    expect((await get(fx, '/v1/items/vase-0', KEYS.write, '127.0.0.2')).status).toBe(200);
  });

  it('a successful request does not count as a failure', async () => {
    for (let i = 0; i < 6; i++) expect((await get(fx, '/v1/items/vase-1', KEYS.read, '127.0.0.3')).status).toBe(200);
    expect((await get(fx, '/v1/items/vase-1', 'wrong-key-000', '127.0.0.3')).status).toBe(401);
  });
});

describe('the per-key rate limit names its window', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ rateLimit: { max: 4, windowMs: 3000 } }, env);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('429 on the 5th request in 3 s says "4 requests per 3 seconds" (the window, not the time left in it)', async () => {
    const replies: Reply[] = [];
    for (let i = 0; i < 4; i++) replies.push(await get(fx, '/v1/items/vase-0', KEYS.read));
    await new Promise((r) => setTimeout(r, 1600)); // part of the window has gone: about 1.4 s of it is left
    replies.push(await get(fx, '/v1/items/vase-0', KEYS.read));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 429]);
    const last = replies[4]!;
    expect(last.body.code).toBe('rate_limited');
    expect(last.body.message).toMatch(/4 requests per 3 seconds/);
    expect(Number(last.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(last.retryAfter)).toBeLessThanOrEqual(2);
    // the limit is per key: another key has its own 4
    expect((await get(fx, '/v1/items/vase-0', KEYS.write)).status).toBe(200);
  });

  it('formats windows as people say them', () => {
    expect(formatWindow(60_000)).toBe('1 minute');
    expect(formatWindow(1000)).toBe('1 second');
    expect(formatWindow(90_000)).toBe('90 seconds');
    expect(formatWindow(7_200_000)).toBe('2 hours');
    expect(formatWindow(1500)).toBe('1500 ms');
  });
});
