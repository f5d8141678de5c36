/**
 * Issue 15's defects, each reproduced against a real server (the API fixture): unbounded event weights, malformed
 * multipart bodies, unthrottled key guessing, long user ids, numeric timestamps in seconds, the 429 message, public
 * routes in OpenAPI, duplicate uploads, cold-start flag, page cursors, limits reported by name, parser errors of
 * Node's HTTP layer and the router's errors (found by api/fuzz.test.ts) in the `{ code, message }` shape.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecommendationResponse } from '../app/serve/types.js';
import { box } from '../geometry/primitives.js';
import { encodeStlBinary } from '../io/encode.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ uploads: { maxBytes: 200_000, maxTriangles: 1000, maxVertices: 500, workers: 1 } });
});
afterAll(async () => {
  await fx?.close();
});

async function call(
  path: string,
  init: RequestInit = {},
  // biome-ignore lint/suspicious/noExplicitAny: response bodies of many shapes, checked field by field
): Promise<{ status: number; body: Record<string, any>; headers: Headers }> {
  const res = await fetch(fx.url + path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
const post = (path: string, body: unknown) =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const recs = async (user: string, query = '') =>
  (await call(`/v1/users/${encodeURIComponent(user)}/recommendations?k=18${query}`)).body as RecommendationResponse;

function uploadForm(bytes: Uint8Array, name = 'part.stl', fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return form;
}

describe('numeric bounds on events', () => {
  it('weight 1e308 is clipped: the user still gets recommendations, scores stay finite, trending is not rigged', async () => {
    const coldBefore = await recs('nobody-yet');
    const target = coldBefore.items.at(-1)!.itemId; // the least trending item
    const events = Array.from({ length: 20 }, (_, i) => ({
      userId: 'rigger',
      itemId: target,
      type: 'make',
      weight: i === 0 ? 1e308 : 1e9,
    }));
    expect((await post('/v1/events', { events })).body.accepted).toBe(20);
    // three ordinary users each print another item once
    const honest = ['h1', 'h2', 'h3'].map((userId) => ({ userId, itemId: 'gear-4', type: 'make' }));
    expect((await post('/v1/events', { events: honest })).body.accepted).toBe(3);
    const own = await call('/v1/users/rigger/recommendations?k=5');
    expect(own.status).toBe(200);
    for (const it of own.body.items) expect(Number.isFinite(it.score)).toBe(true);
    await new Promise((r) => setTimeout(r, 1100)); // trending is re-sorted at most once a second
    const coldAfter = await recs('nobody-either');
    for (const it of coldAfter.items) expect(Number.isFinite(it.score)).toBe(true);
    // one user's flood counts as much as one user can (the per-user cap), less than three ordinary users
    const rank = (id: string) => coldAfter.items.findIndex((i) => i.itemId === id);
    expect(rank('gear-4')).toBeLessThan(rank(target));
  });

  it('numeric timestamps are unix seconds (like the CLI); milliseconds still work', async () => {
    const r = await post('/v1/events', {
      events: [
        { userId: 'clock', itemId: 'gear-1', type: 'view', timestamp: 1_700_000_000 },
        { userId: 'clock', itemId: 'gear-2', type: 'view', timestamp: 1_700_000_000_000 },
      ],
    });
    expect(r.body.accepted).toBe(2);
    const history = await fx.store.userHistory('clock');
    expect(history.map((e) => new Date(e.timestamp).getUTCFullYear())).toEqual([2023, 2023]);
  });

  it('user ids up to 256 characters work on every route', async () => {
    const id = `u${'x'.repeat(255)}`;
    expect((await post('/v1/events', { events: [{ userId: id, itemId: 'hook-1', type: 'like' }] })).body.accepted).toBe(
      1,
    );
    expect((await call(`/v1/users/${id}`)).status).toBe(200);
    expect((await call(`/v1/users/${id}/recommendations`)).status).toBe(200);
  });

  it('a known user whose filters match nothing is not reported as cold start', async () => {
    const r = await recs('user-0', '&category=no-such-category');
    expect(r.items).toEqual([]);
    expect(r.coldStart).toBe(false);
  });
});

describe('error mapping', () => {
  it('a truncated multipart body is a 400 with { code, message }', async () => {
    const boundary = 'XyZ123';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.stl"\r\nContent-Type: application/octet-stream\r\n\r\nsolid a\nfacet`;
    const r = await call('/v1/inspect', {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'invalid_argument' });
    const garbage = await call('/v1/items', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=nope' },
      body: 'this is not multipart at all',
    });
    expect(garbage.status).toBe(400);
    expect(typeof garbage.body.message).toBe('string');
  });

  it('headers too large: 431 with { code, message }', async () => {
    const raw = await new Promise<string>((resolve) => {
      const port = Number(new URL(fx.url).port);
      const s = net.connect(port, '127.0.0.1', () => {
        s.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      });
      let buf = '';
      s.on('data', (d) => (buf += d.toString()));
      s.on('close', () => resolve(buf));
      s.on('error', () => resolve(buf));
    });
    expect(raw.startsWith('HTTP/1.1 431')).toBe(true);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'limit_exceeded' });
  });

  it("the router's own errors (bad percent-encoding, a path parameter over 1,024 bytes) use { code, message }", async () => {
    const bad = await call('/v1/items/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'invalid_argument', message: 'malformed URL (bad percent-encoding)' });
    const long = await call(`/v1/experiments/${'x'.repeat(2000)}/start`, { method: 'POST' });
    expect(long.status).toBe(414);
    expect(long.body.code).toBe('limit_exceeded');
    expect(long.body.message).not.toContain('xxxx'); // the 2 kB path is not echoed back
  });

  it('a mangled page cursor is a 400 on /v1/users as on /v1/items', async () => {
    expect((await call('/v1/users?cursor=%21%21%21')).status).toBe(400);
    expect((await call('/v1/items?cursor=%21%21%21')).status).toBe(400);
  });

  it('OpenAPI marks health, readiness and metrics as public', async () => {
    const spec = (await call('/docs/json')).body as { paths: Record<string, { get: { security?: unknown[] } }> };
    for (const p of ['/healthz', '/readyz', '/metrics']) expect(spec.paths[p]!.get.security).toEqual([]);
    expect(spec.paths['/v1/users/{id}/recommendations']!.get.security).toBeUndefined(); // the global bearer
  });
});

describe('uploads', () => {
  it('reports the limit it hit by name', async () => {
    const many = box([10, 10, 10]);
    const r = await call('/v1/inspect', { method: 'POST', body: uploadForm(encodeStlBinary(many)) });
    expect(r.status).toBe(200);
    // 600 distinct vertices (unwelded STL corners) > maxVertices 500, triangles 200 < 1000
    const strip = { positions: new Float32Array(602 * 3).map((_, i) => i), indices: new Uint32Array(600 * 3) };
    for (let t = 0; t < 600; t++) strip.indices.set([t, t + 1, t + 2], t * 3);
    const v = await call('/v1/inspect', { method: 'POST', body: uploadForm(encodeStlBinary(strip)) });
    expect(v.status).toBe(422);
    expect(v.body.details.name).toBe('vertices');
    expect(v.body.message).toMatch(/at most 500 vertices/);
  });

  it('identical bytes uploaded again are a 409 naming the item; its title is not overwritten', async () => {
    const bytes = encodeStlBinary(box([12, 34, 56]));
    const first = await call('/v1/items', { method: 'POST', body: uploadForm(bytes, 'a.stl', { title: 'Original' }) });
    expect(first.status).toBe(201);
    const again = await call('/v1/items', { method: 'POST', body: uploadForm(bytes, 'b.stl', { title: 'Hijack' }) });
    expect(again.status).toBe(409);
    expect(again.body.details.itemId).toBe(first.body.id);
    expect((await call(`/v1/items/${first.body.id}`)).body.title).toBe('Original');
  });
});
