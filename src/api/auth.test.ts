/** API keys and scopes, per-key rate limits and CORS, on a real server with keys from LAYERWISE_API_KEYS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from './testing/fixture.js';

const KEYS = { read: 'read-key-123', write: 'write-key-456', admin: 'admin-key-789' };
let fx: Fixture;
let limited: Fixture;

beforeAll(async () => {
  const env = { LAYERWISE_API_KEYS: `read:${KEYS.read}, write:${KEYS.write},admin:${KEYS.admin}` };
  fx = await startFixture({ cors: ['https://prints.example'] }, env);
  limited = await startFixture({ rateLimit: { max: 5, windowMs: 60_000 } });
});
afterAll(async () => {
  await fx?.close();
  await limited?.close();
});

async function call(method: string, path: string, key?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(fx.url + path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const event = { events: [{ userId: 'auth-user', itemId: 'vase-1', type: 'like' }] };

describe('API keys', () => {
  it('401 without a key or with an unknown key; read keys read', async () => {
    const none = await call('GET', '/v1/items/vase-0');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthorized');
    expect(String(none.body.message)).toMatch(/Bearer/);
    expect((await call('GET', '/v1/items/vase-0', 'wrong-key-000')).status).toBe(401);
    expect((await call('GET', '/v1/items/vase-0', KEYS.read)).status).toBe(200);
    const malformed = await fetch(`${fx.url}/v1/items/vase-0`, { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
  });

  it('writes need write scope (403 with a read key); activation needs admin', async () => {
    const weak = await call('POST', '/v1/events', KEYS.read, event);
    expect(weak.status).toBe(403);
    expect(weak.body.code).toBe('forbidden');
    expect(String(weak.body.message)).toMatch(/write scope.*read scope/);
    expect((await call('POST', '/v1/events', KEYS.write, event)).status).toBe(200);
    expect((await call('POST', '/v1/events', KEYS.admin, event)).status).toBe(200);
    expect((await call('GET', '/v1/users/auth-user', KEYS.write)).status).toBe(200);
    expect((await call('POST', '/v1/models/ease@1/activate', KEYS.write)).status).toBe(403);
    expect((await call('POST', '/v1/models/ease@1/activate', KEYS.admin)).status).toBe(200);
    expect((await call('POST', '/v1/models/ease@1/activate')).status).toBe(401);
  });

  it('keeps health, metrics and docs public', async () => {
    for (const p of ['/healthz', '/readyz', '/metrics', '/docs/json']) {
      expect((await call('GET', p)).status, p).toBe(200);
    }
  });

  it('sends CORS headers only for the configured origins', async () => {
    const ok = await fetch(`${fx.url}/healthz`, { headers: { origin: 'https://prints.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://prints.example');
    const other = await fetch(`${fx.url}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${fx.url}/v1/events`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://prints.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
  });
});

describe('rate limits', () => {
  it('answers 429 rate_limited after the configured number of requests', async () => {
    const statuses: number[] = [];
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${limited.url}/v1/items/vase-0`);
      statuses.push(res.status);
      last = (await res.json()) as Record<string, unknown>;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(last.code).toBe('rate_limited');
    expect(String(last.message)).toMatch(/5 requests/);
  });
});
