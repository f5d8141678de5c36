/**
 * The wire contract against a started server: the OpenAPI document lists exactly the contract's routes with named
 * component schemas, public routes need no key, and real responses parse with the contract's zod schemas without
 * losing a field (parse strips unknown keys, so `parse(body)` equal to `body` means nothing was outside it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  apiRoutes,
  components,
  ErrorBody,
  type ModelInfo,
  ModelMetrics,
  type RouteDef,
  type RouteName,
} from '../contract/index.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
const routes = apiRoutes({ defaultK: 10, maxK: 100 });
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

interface Operation {
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI document', () => {
  let doc: OpenApi;
  beforeAll(async () => {
    doc = (await (await fetch(`${fx.url}/docs/json`)).json()) as OpenApi;
  });

  it('lists exactly the routes of the contract', () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    const contract = Object.values(routes).map((r) => `${r.method.toLowerCase()} ${openapiPath(r.url)}`);
    // a route registered without a contract entry shows up here: define its schemas in src/contract/routes.ts
    expect(documented.sort()).toEqual(contract.sort());
  });

  it('names every component and refers to them from the responses', () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual([...components().keys()].sort());
    const text = JSON.stringify(doc);
    for (const ref of text.match(/"#\/components\/schemas\/[^"]+"/g) ?? []) {
      const name = ref.slice('"#/components/schemas/'.length, -1);
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
    const ok = (path: string, method: string, status = '200') =>
      doc.paths[path]![method]!.responses[status]!.content!['application/json']!.schema;
    expect(ok('/v1/users/{id}/recommendations', 'get')).toEqual({ $ref: '#/components/schemas/Recommendations' });
    expect(ok('/v1/items/{id}', 'get')).toEqual({ $ref: '#/components/schemas/Item' });
    expect(ok('/v1/items', 'post', '201')).toEqual({ $ref: '#/components/schemas/Item' });
    expect(ok('/v1/items/{id}', 'get', '404')).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('marks only the public routes as needing no key', () => {
    for (const r of Object.values(routes)) {
      const op = doc.paths[openapiPath(r.url)]![r.method.toLowerCase()]!;
      if (r.scope === 'public') expect(op.security, r.url).toEqual([]);
      else expect(op.security, r.url).toBeUndefined(); // the document-wide bearer requirement applies
    }
  });
});

describe('real responses parse with the contract', () => {
  async function call(name: RouteName, path: string, init?: RequestInit): Promise<unknown> {
    const res = await fetch(fx.url + path, init);
    const body = (await res.json()) as unknown;
    const schema = (routes[name] as RouteDef).response?.[res.status];
    expect(schema, `${path} answered ${res.status}: ${JSON.stringify(body)}`).toBeDefined();
    expect(schema!.parse(body)).toEqual(body);
    return body;
  }

  it('read routes', async () => {
    const recs = (await call('recommendations', '/v1/users/user-0/recommendations?k=5')) as { items: unknown[] };
    expect(recs.items).toHaveLength(5);
    await call('recommendations', '/v1/users/nobody-at-all/recommendations?printer=prusa-mini'); // cold start
    const page = (await call('listItems', '/v1/items?limit=4')) as { items: { id: string }[] };
    await call('getItem', `/v1/items/${page.items[0]!.id}`);
    await call('similarItems', `/v1/items/${page.items[0]!.id}/similar?k=3&by=hybrid`);
    await call('search', '/v1/search?q=vase&k=3');
    await call('listUsers', '/v1/users?limit=3');
    await call('getUser', '/v1/users/user-0');
    await call('printers', '/v1/printers');
    await call('categories', '/v1/categories');
    await call('shapeMap', '/v1/insights/shape-map?limit=10');
    await call('healthz', '/healthz');
    await call('readyz', '/readyz');
    const models = (await call('listModels', '/v1/models')) as z.infer<typeof ModelInfo>[];
    expect(models.length).toBeGreaterThan(0);
    for (const m of models) ModelMetrics.parse(m.metrics);
  });

  const post = (body?: unknown, method = 'POST'): RequestInit => ({
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

  it('writes and errors', async () => {
    const res = (await call(
      'postEvents',
      '/v1/events',
      post({
        events: [
          { userId: 'user-1', itemId: 'vase-1', type: 'like' },
          { userId: 'u', itemId: 'no-such', type: 'view' },
        ],
      }),
    )) as { accepted: number; rejected: unknown[] };
    expect(res.accepted).toBe(1);
    expect(res.rejected).toHaveLength(1);
    for (const [path, status] of [
      ['/v1/items/no-such-item', 404],
      ['/v1/users/user-0/recommendations?k=100000', 400],
    ] as const) {
      const r = await fetch(fx.url + path);
      expect(r.status).toBe(status);
      const body = await r.json();
      expect(ErrorBody.parse(body)).toEqual(body);
    }
  });

  it('experiments, model history and removal (admin routes)', async () => {
    const created = (await call(
      'createExperiment',
      '/v1/experiments',
      post({
        id: 'wire',
        name: 'Wire',
        arms: [
          { name: 'a', model: 'ease@1' },
          { name: 'b', model: 'itemknn@1' },
        ],
      }),
    )) as { status: string };
    expect(created.status).toBe('draft');
    await call('startExperiment', '/v1/experiments/wire/start', post());
    await call('recommendations', '/v1/users/user-2/recommendations?k=3');
    const readout = (await call('experimentReadout', '/v1/experiments/wire')) as { arms: unknown[] };
    expect(readout.arms).toHaveLength(2);
    await call('stopExperiment', '/v1/experiments/wire/stop', post());
    expect(await call('listExperiments', '/v1/experiments')).toHaveLength(1);
    await fx.store.recordModelChange({
      name: 'ease',
      version: 1,
      action: 'rollback',
      previous: null,
      reason: 'test',
      details: { gate: 0.5 },
    });
    const history = (await call('modelHistory', '/v1/models/history?limit=5')) as { action: string }[];
    expect(history[0]?.action).toBe('rollback');
    await call('editItem', '/v1/items/hook-2', post({ title: 'Hook, edited', description: null }, 'PATCH'));
    expect(await call('removeItem', '/v1/items/hook-2?purgeEvents=true', post(undefined, 'DELETE'))).toMatchObject({
      removed: true,
    });
    expect(await call('eraseUser', '/v1/users/user-2', post(undefined, 'DELETE'))).toMatchObject({ id: 'user-2' });
    for (const [path, init, status] of [
      ['/v1/items/hook-2', post({}, 'PATCH'), 400],
      ['/v1/items/hook-2', post(undefined, 'DELETE'), 404],
      ['/v1/experiments/none/start', post(), 404],
      ['/v1/models/history?limit=0', undefined, 400],
    ] as const) {
      const r = await fetch(fx.url + path, init);
      expect(r.status, path).toBe(status);
      const body = await r.json();
      expect(ErrorBody.parse(body)).toEqual(body);
    }
  });
});
