/**
 * Write routes against a real server: events change the next recommendation (fold-in, no retrain), uploads are
 * ingested (printability, thumbnail, shape vector) with size/triangle/corrupt limits, shape search, and a model
 * activation in the middle of a request stream with zero failed requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecommendationResponse, SimilarResponse } from '../app/serve/types.js';
import { box, uvSphere } from '../geometry/primitives.js';
import { encodeStlBinary } from '../io/encode.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({ uploads: { maxBytes: 100_000, maxTriangles: 1000 } });
});
afterAll(async () => {
  await fx?.close();
});

async function post(
  path: string,
  body: unknown,
  raw = false,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(fx.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function upload(path: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(bytes)]), 'part.stl');
  const res = await fetch(fx.url + path, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function recs(user: string, k = 3): Promise<RecommendationResponse> {
  return (await (await fetch(`${fx.url}/v1/users/${user}/recommendations?k=${k}`)).json()) as RecommendationResponse;
}

describe('events', () => {
  it('an event batch changes the next recommendation without retraining', async () => {
    const before = await recs('newcomer');
    expect(before.coldStart).toBe(true);
    const r = await post('/v1/events', {
      events: [
        { userId: 'newcomer', itemId: 'gear-0', type: 'make' },
        { userId: 'newcomer', itemId: 'gear-1', type: 'like', timestamp: '2026-01-05T10:00:00Z' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accepted: 2, rejected: [] });
    const after = await recs('newcomer');
    expect(after.coldStart).toBe(false);
    expect(after.model?.name).toBe('ease');
    expect(after.items.every((i) => i.itemId.startsWith('gear-'))).toBe(true);
    expect(after.items.map((i) => i.itemId)).not.toContain('gear-0');
    // a known user's ranking moves too: user-0 (vases) makes many gears
    const u0 = await recs('user-0', 1);
    expect(u0.items[0]!.itemId).toMatch(/^vase-/);
    await post('/v1/events', {
      events: ['gear-0', 'gear-1', 'gear-2', 'gear-3'].flatMap((itemId) => [
        { userId: 'user-0', itemId, type: 'make' },
        { userId: 'user-0', itemId, type: 'download' },
      ]),
    });
    const u0after = await recs('user-0', 1);
    expect(u0after.items[0]!.itemId).toMatch(/^gear-/);
    // the history summary reflects the stored events
    const user = (await (await fetch(`${fx.url}/v1/users/newcomer`)).json()) as { events: number; byType: object };
    expect(user.events).toBe(2);
    expect(user.byType).toEqual({ make: 1, like: 1 });
  });

  it('reports per-event problems by index and accepts the rest', async () => {
    const r = await post('/v1/events', {
      events: [
        { userId: 'x', itemId: 'no-such-item', type: 'view' },
        { userId: 'x', itemId: 'hook-1', type: 'teleport' },
        { userId: 'x', itemId: 'hook-1', type: 'view', timestamp: 'yesterday-ish' },
        { userId: 'x', itemId: 'hook-1', type: 'view' },
        { userId: 'x', itemId: 'hook-2', type: 'rating', weight: 9 },
        { userId: 'x', itemId: 'hook-2', type: 'rating', weight: 4 },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(2);
    expect((r.body.rejected as { index: number; code: string }[]).map((x) => [x.index, x.code])).toEqual([
      [0, 'not_found'],
      [1, 'invalid_argument'],
      [2, 'invalid_argument'],
      [4, 'invalid_argument'],
    ]);
    // a rating of 4/5 is stored with weight 4/5 × the weight of make (5)
    const [stored] = await fx.store.userHistory('x', { types: ['rating'] });
    expect(stored).toMatchObject({ itemId: 'hook-2', weight: 4, value: 4 });
  });

  it('rejects malformed JSON and malformed batches with 400', async () => {
    const text = await fetch(`${fx.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<a/>',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { code: string }).code).toBe('unsupported');
    const bad = await post('/v1/events', '{"events": [', true);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_argument');
    for (const body of [{}, { events: [] }, { events: [{ userId: 'a' }] }, { events: [], extra: 1 }]) {
      const r = await post('/v1/events', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('invalid_argument');
    }
  });
});

describe('saved printer', () => {
  it('uses the printer saved for a user when the request names none', async () => {
    const put = async (body: unknown) => {
      const res = await fetch(`${fx.url}/v1/users/user-0/printer`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await put({ printer: 'no-such' })).status).toBe(400);
    const saved = await put({ printer: 'prusa-mini' });
    expect(saved.status).toBe(200);
    expect(saved.body.printer).toBe('prusa-mini');
    const r = await recs('user-0', 18);
    expect(r.printer).toBe('prusa-mini');
    expect(r.items.map((i) => i.itemId)).not.toContain('vase-5');
    expect((await put({ printer: null })).body.printer).toBeNull();
    expect((await recs('user-0', 18)).printer).toBeNull();
  });
});

describe('uploads', () => {
  it('ingests an uploaded mesh: 201 with printability, then detail, thumbnail, shape neighbours, search', async () => {
    const stl = encodeStlBinary(box([60, 60, 6]));
    const r = await upload('/v1/items', stl, { title: 'Flat coaster', tags: 'coaster, flat', category: 'gear' });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    expect(r.body.title).toBe('Flat coaster');
    expect(r.body.tags).toEqual(['coaster', 'flat']);
    expect((r.body.printability as { watertight: boolean; bboxMm: number[] }).bboxMm).toEqual([60, 60, 6]);
    expect((await fetch(`${fx.url}/v1/items/${id}`)).status).toBe(200);
    const png = await fetch(`${fx.url}/v1/items/${id}/thumbnail.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const similar = (await (await fetch(`${fx.url}/v1/items/${id}/similar?by=shape&k=3`)).json()) as SimilarResponse;
    expect(similar.items.every((i) => i.itemId.startsWith('gear-'))).toBe(true);
    const found = (await (await fetch(`${fx.url}/v1/search?q=coaster`)).json()) as { items: { itemId: string }[] };
    expect(found.items[0]!.itemId).toBe(id);
    // events on the new item are accepted (the model does not know it: it is still recommendable by trending)
    const ev = await post('/v1/events', { events: [{ userId: 'coaster-fan', itemId: id, type: 'like' }] });
    expect(ev.body.accepted).toBe(1);
  });

  it('finds catalogue items by shape from an uploaded mesh', async () => {
    const r = await upload('/v1/search/shape?k=3', encodeStlBinary(box([10, 30, 90])));
    expect(r.status).toBe(200);
    const items = r.body.items as { itemId: string; score: number }[];
    expect(items).toHaveLength(3);
    expect(items.every((i) => i.itemId.startsWith('hook-'))).toBe(true);
  });

  it('answers oversized uploads 413, too many triangles 422, corrupt files 422, no file 400', async () => {
    const big = new Uint8Array(120_000).fill(32);
    const tooBig = await upload('/v1/items', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe('limit_exceeded');
    const dense = encodeStlBinary(uvSphere(10, 16, 40)); // 1,200+ triangles > 1000, 64 KB < 100 KB
    expect(dense.length).toBeLessThan(100_000);
    const tri = await upload('/v1/search/shape', dense);
    expect(tri.status).toBe(422);
    expect(tri.body.code).toBe('limit_exceeded');
    expect(String(tri.body.message)).toMatch(/1000/);
    const corrupt = await upload(
      '/v1/items',
      new TextEncoder().encode('solid x\nfacet normal 0 0 1\nouter loop\nvertex 1 2'),
    );
    expect(corrupt.status).toBe(422);
    expect(corrupt.body.code).toBe('parse_error');
    const noFile = await fetch(`${fx.url}/v1/items`, { method: 'POST', body: new FormData() });
    expect(noFile.status).toBe(400);
    const json = await post('/v1/items', { title: 'no file' });
    expect(json.status).toBe(400);
  });
});

describe('model activation', () => {
  it('swaps the served model atomically during a stream of requests with zero failures', async () => {
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const res = await fetch(`${fx.url}/v1/users/user-${(w * 7 + i) % 30}/recommendations?k=5`);
        if (res.status !== 200) failures.push(`${res.status} ${await res.text()}`);
        else {
          const body = (await res.json()) as RecommendationResponse;
          if (body.items.length !== 5) failures.push(`got ${body.items.length} items`);
          if (body.model) seen.add(body.model.id);
          ok++;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 150));
    const a = await post('/v1/models/itemknn@1/activate', {});
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: 'itemknn@1', active: true });
    await new Promise((r) => setTimeout(r, 150));
    const b = await post('/v1/models/ease@1/activate', {});
    expect(b.status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    stop = true;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);
    expect([...seen].sort()).toEqual(['ease@1', 'itemknn@1']);
    const served = (await recs('user-3')).model;
    expect(served?.id).toBe('ease@1');
  });

  it('404s unknown models and 400s malformed ids', async () => {
    expect((await post('/v1/models/ease@9/activate', {})).status).toBe(404);
    expect((await post('/v1/models/nonsense/activate', {})).status).toBe(400);
  });
});
