/**
 * Learning from live traffic through the HTTP API on a real server: impressions and recommendationId, negative
 * feedback, experiments (admin), and removal — nothing removed is served afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentReadout, RecommendationResponse } from '../app/serve/types.js';
import { storeInteractions } from '../app/train/train.js';
import { CATEGORIES, type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

async function call(method: string, path: string, body?: unknown, key?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(fx.url + path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & unknown[] };
}

const recs = async (user: string, k = 10) =>
  (await call('GET', `/v1/users/${user}/recommendations?k=${k}`)).body as unknown as RecommendationResponse;

const ALL_USERS = Array.from({ length: 30 }, (_, u) => `user-${u}`);

describe('impressions', () => {
  it('every response has a recommendationId; its items are logged with position and model; events carry it', async () => {
    const r = await recs('user-1', 4);
    expect(r.recommendationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.experiment).toBeNull();
    expect(r.arm).toBeNull();
    expect((await recs('user-1', 4)).recommendationId).not.toBe(r.recommendationId);
    const shown = r.items[1]!.itemId;
    const ev = await call('POST', '/v1/events', {
      events: [{ userId: 'user-1', itemId: shown, type: 'view', recommendationId: r.recommendationId }],
    });
    expect(ev.body).toEqual({ accepted: 1, rejected: [] });
    await (fx.services as unknown as { flushImpressions(): Promise<void> }).flushImpressions();
    const logged = await fx.store.impressionsOf(r.recommendationId);
    expect(logged.map((i) => [i.itemId, i.position, i.model])).toEqual(
      r.items.map((it, p) => [it.itemId, p, r.model?.id ?? null]),
    );
    const hist = await fx.store.userHistory('user-1', { limit: 1 });
    expect(hist[0]).toMatchObject({ itemId: shown, recommendationId: r.recommendationId });
  });
});

describe('negative feedback', () => {
  it('a hidden item never comes back for that user, and only for that user', async () => {
    const before = await recs('user-4');
    const top = before.items[0]!.itemId;
    const r = await call('POST', '/v1/events', { events: [{ userId: 'user-4', itemId: top, type: 'hide' }] });
    expect(r.body).toEqual({ accepted: 1, rejected: [] });
    for (const k of [3, 10, 18]) expect((await recs('user-4', k)).items.map((i) => i.itemId)).not.toContain(top);
    expect((await recs('user-0', 18)).items.map((i) => i.itemId)).toContain(top); // another category's user
    const stored = await fx.store.userHistory('user-4', { limit: 1 });
    expect(stored[0]).toMatchObject({ type: 'hide', itemId: top });
    expect(stored[0]!.weight).toBeLessThan(0);
  });

  it('a dislike lowers items similar to it (shape and behaviour) for that user', async () => {
    const user = 'user-5'; // a hook lover (user u → category u % 3)
    const before = await recs(user, 18);
    const disliked = before.items[0]!.itemId;
    const similar = (await call('GET', `/v1/items/${disliked}/similar?by=shape&k=17`)).body as unknown as {
      items: { itemId: string }[];
    };
    const neighbour = similar.items.map((i) => i.itemId).find((id) => before.items.some((b) => b.itemId === id))!;
    expect(neighbour).toBeDefined();
    const scoreOf = (r: RecommendationResponse, id: string) => r.items.find((i) => i.itemId === id)?.score;
    const others = ['user-2', 'user-8', 'user-11', 'user-14'];
    const othersBefore = await Promise.all(others.map((u) => recs(u, 18)));
    await call('POST', '/v1/events', { events: [{ userId: user, itemId: disliked, type: 'dislike' }] });
    const after = await recs(user, 18);
    expect(after.items.map((i) => i.itemId)).not.toContain(disliked);
    const s0 = scoreOf(before, neighbour)!;
    const s1 = scoreOf(after, neighbour);
    // lowered by up to half (strength 0.5 × similarity), or pushed out of the list
    if (s1 !== undefined) expect(s1).toBeLessThan(s0 >= 0 ? s0 * 0.95 : s0);
    // users with the same taste who disliked nothing are not affected
    let compared = 0;
    for (const [i, u] of others.entries()) {
      const b = scoreOf(othersBefore[i]!, neighbour);
      if (b === undefined) continue;
      expect(scoreOf(await recs(u, 18), neighbour)).toBe(b);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('experiments', () => {
  it('validates, runs with sticky arms named in every response, reads out and stops', async () => {
    const bad = await call('POST', '/v1/experiments', { name: 'x', arms: [{ name: 'a', model: 'ease@1' }] });
    expect(bad.status).toBe(400);
    const unknown = await call('POST', '/v1/experiments', {
      name: 'x',
      arms: [
        { name: 'a', model: 'ease@1' },
        { name: 'b', model: 'ease@7' },
      ],
    });
    expect(unknown.status).toBe(404);
    const created = await call('POST', '/v1/experiments', {
      id: 'ease-vs-knn',
      name: 'EASE vs item-kNN',
      arms: [
        { name: 'ease', model: 'ease@1' },
        { name: 'knn', model: 'itemknn@1', share: 1 },
      ],
      settings: { minUsers: 10 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'ease-vs-knn', status: 'draft', startedAt: null });
    expect((await call('POST', '/v1/experiments/ease-vs-knn/start')).body).toMatchObject({ status: 'running' });
    const again = await call('POST', '/v1/experiments', {
      name: 'y',
      arms: [{ name: 'a' }, { name: 'b' }],
      start: true,
    });
    expect(again.status).toBe(409);
    const arms = new Map<string, string>();
    for (const u of ALL_USERS) {
      const r = await recs(u, 3);
      expect(r.experiment).toBe('ease-vs-knn');
      expect(['ease', 'knn']).toContain(r.arm);
      expect(r.model?.id).toBe(r.arm === 'ease' ? 'ease@1' : 'itemknn@1');
      expect((await recs(u, 3)).arm).toBe(r.arm);
      arms.set(u, r.arm!);
      await call('POST', '/v1/events', {
        events: [{ userId: u, itemId: r.items[0]!.itemId, type: 'view', recommendationId: r.recommendationId }],
      });
    }
    expect(new Set(arms.values()).size).toBe(2);
    const readout = (await call('GET', '/v1/experiments/ease-vs-knn')).body as unknown as ExperimentReadout;
    expect(readout.arms.map((a) => a.name)).toEqual(['ease', 'knn']);
    expect(readout.arms.reduce((n, a) => n + a.users, 0)).toBe(30);
    expect(readout.arms.reduce((n, a) => n + a.impressions, 0)).toBe(30 * 6);
    for (const a of readout.arms) expect(a.metrics.view.perImpression.rate).toBeGreaterThan(0);
    expect(readout.comparisons).toHaveLength(1);
    expect(readout.series.at.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/experiments')).body).toHaveLength(1);
    expect((await call('POST', '/v1/experiments/ease-vs-knn/stop')).body).toMatchObject({ status: 'stopped' });
    expect((await recs('user-1')).experiment).toBeNull();
  });
});

describe('removal', () => {
  it('DELETE /v1/items/:id: gone from recommendations, lists, search, similar and events at once', async () => {
    const gone = 'gear-2';
    expect((await call('GET', `/v1/items/${gone}`)).status).toBe(200);
    const r = await call('DELETE', `/v1/items/${gone}`);
    expect(r.body).toEqual({ id: gone, removed: true, events: 0 });
    expect((await call('GET', `/v1/items/${gone}`)).status).toBe(404);
    expect((await call('GET', `/v1/items/${gone}/thumbnail.png`)).status).toBe(404);
    expect((await call('GET', `/v1/items/${gone}/similar`)).status).toBe(404);
    for (const u of ALL_USERS) expect((await recs(u, 18)).items.map((i) => i.itemId)).not.toContain(gone);
    expect((await recs('stranger', 18)).items.map((i) => i.itemId)).not.toContain(gone);
    const list = (await call('GET', '/v1/items?limit=100')).body as unknown as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).not.toContain(gone);
    expect(list.items).toHaveLength(17);
    const fits = (await call('GET', '/v1/items?limit=100&printer=prusa-xl')).body as unknown as {
      items: { id: string }[];
    };
    expect(fits.items.map((i) => i.id)).not.toContain(gone);
    const search = (await call('GET', '/v1/search?q=gear%20number%202&k=20')).body as unknown as {
      items: { itemId: string }[];
    };
    expect(search.items.map((i) => i.itemId)).not.toContain(gone);
    for (const id of ['gear-0', 'gear-1', 'gear-3']) {
      for (const by of ['shape', 'behaviour', 'hybrid']) {
        const s = (await call('GET', `/v1/items/${id}/similar?by=${by}&k=17`)).body as unknown as {
          items: { itemId: string }[];
        };
        expect(s.items.map((i) => i.itemId)).not.toContain(gone);
      }
    }
    const ev = await call('POST', '/v1/events', { events: [{ userId: 'user-1', itemId: gone, type: 'like' }] });
    expect(ev.body).toMatchObject({ accepted: 0 });
    expect((await call('DELETE', `/v1/items/${gone}`)).status).toBe(404);
    // its events were kept; purging them is a second call
    const purged = await call('DELETE', `/v1/items/${gone}?purgeEvents=true`);
    expect(purged.status).toBe(200);
    expect((purged.body as unknown as { events: number }).events).toBeGreaterThan(0);
    const data = await storeInteractions(fx.store);
    expect(data.items.index(gone)).toBeUndefined();
  });

  it('PATCH /v1/items/:id edits metadata: detail and search follow', async () => {
    const r = await call('PATCH', '/v1/items/vase-1', { title: 'Spiral planter deluxe', tags: ['spiral'] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'vase-1', title: 'Spiral planter deluxe', tags: ['spiral'] });
    const s = (await call('GET', '/v1/search?q=spiral%20deluxe')).body as unknown as { items: { itemId: string }[] };
    expect(s.items[0]?.itemId).toBe('vase-1');
    expect((await call('PATCH', '/v1/items/vase-1', { status: 'x' })).status).toBe(400);
    expect((await call('PATCH', '/v1/items/nope', { title: 'x' })).status).toBe(404);
  });

  it('DELETE /v1/users/:id erases events, impressions, printer and cached recommendations', async () => {
    const user = 'user-9';
    await call('PUT', `/v1/users/${user}/printer`, { printer: 'prusa-mini' });
    const r0 = await recs(user);
    expect(r0.coldStart).toBe(false);
    await (fx.services as unknown as { flushImpressions(): Promise<void> }).flushImpressions();
    expect(await fx.store.countImpressions({ userId: user })).toBeGreaterThan(0);
    const r = await call('DELETE', `/v1/users/${user}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: user });
    expect((r.body as unknown as { events: number }).events).toBeGreaterThanOrEqual(3);
    expect((await call('GET', `/v1/users/${user}`)).status).toBe(404);
    const after = await recs(user);
    expect(after.coldStart).toBe(true);
    expect(after.printer).toBeNull();
    await (fx.services as unknown as { flushImpressions(): Promise<void> }).flushImpressions();
    const users = (await call('GET', '/v1/users?limit=100')).body as unknown as { items: { id: string }[] };
    expect(users.items.map((u) => u.id)).not.toContain(user);
    expect(await fx.store.userHistory(user)).toEqual([]);
    const data = await storeInteractions(fx.store);
    expect(data.users.index(user)).toBeUndefined();
    expect((await call('DELETE', '/v1/users/never-seen')).status).toBe(404);
    void CATEGORIES;
  });
});

describe('removal needs admin scope', () => {
  it('answers 401 without a key and 403 with a write key', async () => {
    const keyed = await startFixture({
      apiKeys: [
        { key: 'writer-key-1', scope: 'write' },
        { key: 'admin-key-1', scope: 'admin' },
      ],
    });
    try {
      const del = (key?: string) =>
        fetch(`${keyed.url}/v1/items/hook-1`, {
          method: 'DELETE',
          headers: key ? { authorization: `Bearer ${key}` } : {},
        });
      expect((await del()).status).toBe(401);
      expect((await del('writer-key-1')).status).toBe(403);
      expect((await del('admin-key-1')).status).toBe(200);
      const exp = await fetch(`${keyed.url}/v1/experiments`, {
        method: 'POST',
        headers: { authorization: 'Bearer writer-key-1', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', arms: [{ name: 'a' }, { name: 'b' }] }),
      });
      expect(exp.status).toBe(403);
    } finally {
      await keyed.close();
    }
  });
});
