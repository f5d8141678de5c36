/** Every read route against a real server on a real port, backed by a real SQLite store and trained models. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingState } from '../app/serve/state.js';
import type { RecommendationResponse, SearchResponse, SimilarResponse } from '../app/serve/types.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

async function get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(fx.url + path);
  return { status: res.status, body: (await res.json()) as T };
}

describe('recommendations', () => {
  it('recommends unseen items of the user’s category first, with reasons from the model', async () => {
    // user-0 loves vases and has seen vase-0, vase-1, vase-2
    const { status, body } = await get<RecommendationResponse>('/v1/users/user-0/recommendations?k=3');
    expect(status).toBe(200);
    expect(body.coldStart).toBe(false);
    expect(body.model).toEqual({ id: 'ease@1', name: 'ease', version: 1 });
    expect(body.items).toHaveLength(3);
    const top = body.items[0]!;
    expect(top.itemId).toMatch(/^vase-[345]$/);
    expect(['vase-0', 'vase-1', 'vase-2']).not.toContain(top.itemId);
    const history = top.reasons.filter((r) => r.kind === 'history');
    expect(history.length).toBeGreaterThan(0);
    expect(['vase-0', 'vase-1', 'vase-2']).toContain(history[0]!.itemId);
    expect(history[0]!.text).toMatch(/^because you (printed|looked at) "Fancy vase number \d"/);
    // the shape reason comes from the embeddings: vases share one embedding axis
    expect(top.reasons.some((r) => r.kind === 'shape' && r.itemId?.startsWith('vase-'))).toBe(true);
    expect(top.thumbnailUrl).toBe(`/v1/items/${top.itemId}/thumbnail.png`);
  });

  it('explains an item identically when its evidence is computed and when it comes from the cache', async () => {
    // user-17 is requested nowhere else: the first call computes the evidence, the later ones read it back
    const first = await get<RecommendationResponse>('/v1/users/user-17/recommendations?k=10');
    const again = await get<RecommendationResponse>('/v1/users/user-17/recommendations?k=10');
    expect(first.body.items.length).toBe(10);
    expect(first.body.items.some((it) => it.reasons.some((r) => r.kind === 'history'))).toBe(true);
    expect(again.body.items).toEqual(first.body.items);
    // the oracle: the model's id-based explanation of each item for the user's history
    const state = (fx.services as unknown as { state: ServingState }).state;
    const user = await state.histories.get('user-17');
    const history = [...user.items].map(([i, weight]) => ({ item: state.catalog.items[i]!.id, weight }));
    for (const it of again.body.items) {
      const ev = state.model!.model.explainForHistory(history, it.itemId, 3);
      const expected = ev.contributions.filter((c) => c.weight > 0).slice(0, 2);
      const got = it.reasons.filter((r) => r.kind === 'history');
      expect(got.map((r) => r.itemId)).toEqual(expected.map((c) => c.item));
      for (const [j, r] of got.entries()) expect(r.weight).toBeCloseTo(expected[j]!.weight, 6);
    }
    // excluding the top item shifts the page; every other item keeps its reasons
    const top = first.body.items[0]!.itemId;
    const shifted = await get<RecommendationResponse>(`/v1/users/user-17/recommendations?k=9&exclude=${top}`);
    expect(shifted.body.items).toEqual(first.body.items.slice(1));
  });

  it('gives unknown users trending items (cold start), never an error', async () => {
    const { status, body } = await get<RecommendationResponse>('/v1/users/nobody-at-all/recommendations?k=5');
    expect(status).toBe(200);
    expect(body.coldStart).toBe(true);
    expect(body.model).toBeNull();
    expect(body.items).toHaveLength(5);
    expect(body.items[0]!.reasons[0]!.kind).toBe('trending');
    // the most recent events are from the last users (user-29 → hook), so trending starts with hooks
    expect(body.items[0]!.category).toBe('hook');
  });

  it('removes items that cannot fit the printer and down-ranks open meshes and heavy support', async () => {
    const all = await get<RecommendationResponse>('/v1/users/nobody/recommendations?k=18&explain=true');
    expect(all.body.items.map((i) => i.itemId)).toContain('vase-5');
    const mini = await get<RecommendationResponse>('/v1/users/nobody/recommendations?k=18&printer=prusa-mini');
    expect(mini.body.printer).toBe('prusa-mini');
    const ids = mini.body.items.map((i) => i.itemId);
    expect(ids).not.toContain('vase-5'); // 300 mm tall > 180 mm
    expect(ids).toHaveLength(17);
    const open = mini.body.items.find((i) => i.itemId === 'gear-5')!;
    expect(open.reasons.some((r) => r.kind === 'printer' && /watertight/.test(r.text))).toBe(true);
    const support = mini.body.items.find((i) => i.itemId === 'hook-5')!;
    expect(support.reasons.some((r) => r.kind === 'printer' && /support/.test(r.text))).toBe(true);
    const unknown = await get('/v1/users/nobody/recommendations?printer=no-such-printer');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('invalid_argument');
    expect(String(unknown.body.message)).toMatch(/prusa-mk4/);
  });

  it('applies exclude lists, category/tag/license filters and diversity caps', async () => {
    const ex = await get<RecommendationResponse>('/v1/users/user-0/recommendations?k=18&exclude=vase-3,vase-4');
    const exIds = ex.body.items.map((i) => i.itemId);
    expect(exIds).not.toContain('vase-3');
    expect(exIds).not.toContain('vase-4');
    expect(exIds).not.toContain('vase-0'); // seen
    const cat = await get<RecommendationResponse>('/v1/users/user-0/recommendations?k=10&category=gear');
    expect(cat.body.items.length).toBe(6);
    expect(cat.body.items.every((i) => i.category === 'gear')).toBe(true);
    const lic = await get<RecommendationResponse>('/v1/users/nobody/recommendations?k=18&license=CC-BY-NC');
    expect(lic.body.items.map((i) => i.itemId).sort()).toEqual(['gear-4', 'hook-4', 'vase-4']);
    const tag = await get<RecommendationResponse>('/v1/users/nobody/recommendations?k=18&tag=odd');
    expect(tag.body.items).toHaveLength(9);
    const div = await get<RecommendationResponse>('/v1/users/nobody/recommendations?k=18&maxPerCreator=2');
    const perCreator = new Map<string, number>();
    for (const i of div.body.items) perCreator.set(i.creator!, (perCreator.get(i.creator!) ?? 0) + 1);
    expect([...perCreator.values()].every((n) => n <= 2)).toBe(true);
    expect(div.body.items).toHaveLength(6);
  });

  it('rejects k out of range and bad booleans with 400 invalid_argument', async () => {
    for (const q of ['k=0', 'k=101', 'k=abc', 'explain=maybe']) {
      const r = await get(`/v1/users/user-0/recommendations?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.code, q).toBe('invalid_argument');
      expect(typeof r.body.message).toBe('string');
    }
  });
});

describe('items, similar, search, users', () => {
  it('returns an item with its printability report and counts; 404 for unknown ids', async () => {
    const { status, body } = await get('/v1/items/vase-0');
    expect(status).toBe(200);
    expect(body.title).toBe('Fancy vase number 0');
    expect((body.printability as { watertight: boolean }).watertight).toBe(true);
    expect((body.stats as Record<string, number>).make).toBeGreaterThan(0);
    expect(body.thumbnailUrl).toBe('/v1/items/vase-0/thumbnail.png');
    const remix = await get('/v1/items/vase-3');
    expect(remix.body.family).toBe('vase-2');
    const missing = await get('/v1/items/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 'not_found', message: expect.stringMatching(/nope/) });
  });

  it('pages through items with filters and a cursor', async () => {
    const first = await get<{ items: { id: string }[]; nextCursor: string | null }>('/v1/items?limit=10');
    expect(first.body.items).toHaveLength(10);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await get<{ items: { id: string }[]; nextCursor: string | null }>(
      `/v1/items?limit=10&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    expect(second.body.items).toHaveLength(8);
    expect(second.body.nextCursor).toBeNull();
    const ids = new Set([...first.body.items, ...second.body.items].map((i) => i.id));
    expect(ids.size).toBe(18);
    const gears = await get<{ items: { id: string }[] }>('/v1/items?category=gear');
    expect(gears.body.items.map((i) => i.id).sort()).toEqual([
      'gear-0',
      'gear-1',
      'gear-2',
      'gear-3',
      'gear-4',
      'gear-5',
    ]);
    const bad = await get('/v1/items?limit=0');
    expect(bad.status).toBe(400);
    const garbage = await get('/v1/items?cursor=%00%ff-not-a-cursor');
    expect(garbage.status).toBeLessThan(500);
    expect((await get('/v1/users?cursor=%00%ff-not-a-cursor')).status).toBeLessThan(500);
  });

  it('finds similar items by shape, behaviour and hybrid', async () => {
    for (const by of ['shape', 'behaviour', 'hybrid']) {
      const { status, body } = await get<SimilarResponse>(`/v1/items/gear-1/similar?k=4&by=${by}`);
      expect(status, by).toBe(200);
      expect(body.by).toBe(by);
      expect(body.items.length, by).toBeGreaterThan(0);
      expect(body.items.map((i) => i.itemId)).not.toContain('gear-1');
      expect(body.items[0]!.itemId, by).toMatch(/^gear-/);
    }
    expect((await get('/v1/items/nope/similar')).status).toBe(404);
    expect((await get('/v1/items/gear-1/similar?by=colour')).status).toBe(400);
  });

  it('searches text with BM25 blended with popularity', async () => {
    const { body } = await get<SearchResponse>('/v1/search?q=wall%20hooks&k=5');
    expect(body.items).toHaveLength(5);
    expect(body.items.every((i) => i.itemId.startsWith('hook-'))).toBe(true);
    expect(body.items[0]!.textScore).toBeGreaterThan(0);
    // among equally matching hooks the most printed come first: hook-5 has no events
    expect(body.items.map((i) => i.itemId)).not.toContain('hook-5');
    const none = await get<SearchResponse>('/v1/search?q=zzzz');
    expect(none.body.items).toEqual([]);
    expect((await get('/v1/search')).status).toBe(400);
  });

  it('lists users with paging and summarises a user’s history', async () => {
    const page = await get<{ items: { id: string; events: number }[]; nextCursor: string }>('/v1/users?limit=20');
    expect(page.body.items).toHaveLength(20);
    const rest = await get<{ items: unknown[]; nextCursor: string | null }>(
      `/v1/users?limit=20&cursor=${encodeURIComponent(page.body.nextCursor)}`,
    );
    expect(rest.body.items).toHaveLength(10);
    expect(rest.body.nextCursor).toBeNull();
    const u = await get('/v1/users/user-1');
    expect(u.status).toBe(200);
    expect(u.body.events).toBe(3);
    expect(u.body.byType).toEqual({ make: 1, view: 2 });
    expect(u.body.topCategories).toEqual([{ category: 'gear', count: 3 }]);
    expect((await get('/v1/users/nobody')).status).toBe(404);
  });

  it('lists models with metrics and marks the served one', async () => {
    const { body } = await get<{ id: string; active: boolean; metrics: Record<string, number> }[]>('/v1/models');
    expect(body.map((m) => m.id).sort()).toEqual(['ease@1', 'itemknn@1']);
    expect(body.find((m) => m.id === 'ease@1')!.active).toBe(true);
    expect(body.find((m) => m.id === 'itemknn@1')!.active).toBe(false);
    expect(body.find((m) => m.id === 'ease@1')!.metrics.ndcg10).toBe(0.5);
  });
});

describe('operations', () => {
  it('answers health, readiness, metrics and the OpenAPI document', async () => {
    expect((await get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await get<{ ready: boolean; checks: Record<string, { ok: boolean }> }>('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.ready).toBe(true);
    const metrics = await (await fetch(`${fx.url}/metrics`)).text();
    expect(metrics).toMatch(
      /layerwise_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/users\/:id\/recommendations",status="200"\} \d+/,
    );
    expect(metrics).toMatch(/layerwise_model_info\{id="ease@1",name="ease",version="1"\} 1/);
    expect(metrics).toMatch(/layerwise_event_lag_seconds [\d.]+/);
    const spec = await get<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>('/docs/json');
    expect(spec.body.openapi).toBe('3.0.3');
    for (const p of [
      '/v1/users/{id}/recommendations',
      '/v1/items/{id}/similar',
      '/v1/items/{id}',
      '/v1/items',
      '/v1/search',
      '/v1/search/shape',
      '/v1/users',
      '/v1/users/{id}',
      '/v1/events',
      '/v1/models',
      '/v1/models/{id}/activate',
      '/v1/items/{id}/thumbnail.png',
      '/v1/inspect',
    ]) {
      expect(spec.body.paths[p], p).toBeDefined();
    }
    // the upload routes live in their own plugin context (multipart) and are documented all the same
    expect((spec.body.paths['/v1/items'] as Record<string, unknown>).post).toBeDefined();
    expect(spec.body.components.schemas.Recommendations).toBeDefined();
    const docs = await fetch(`${fx.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });

  it('answers unknown routes with a 404 body that points at /docs', async () => {
    const r = await get('/v2/whatever');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('not_found');
    expect(String(r.body.message)).toMatch(/\/docs/);
  });
});
