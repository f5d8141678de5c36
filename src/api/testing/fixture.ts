/**
 * A small real library for API tests: a SQLite store in a temp dir with 3 categories × 6 items (boxes of different
 * shapes analysed by `analyzeMesh`, one too big for small printers, one open mesh, one needing support), 30 users
 * each loyal to one category, two trained models (EASE and ItemKNN) saved as artifacts, and toy shape embeddings
 * (one direction per category). Then `createServices` + `buildServer` on port 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadServerConfig, type ServerConfigInput } from '../../app/config.js';
import { type CreateServicesOptions, createServices } from '../../app/serve/index.js';
import type { Services } from '../../app/serve/types.js';
import type { Mesh } from '../../core/mesh.js';
import { analyzeMesh } from '../../geometry/analyze.js';
import { box, dropFaces, merge } from '../../geometry/primitives.js';
import { Interactions } from '../../models/interactions.js';
import { createModel } from '../../models/registry.js';
import type { EventInput, ItemInput, Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { type BuildOptions, buildServer } from '../server.js';

export const CATEGORIES = ['vase', 'gear', 'hook'] as const;
export const T0 = Date.UTC(2026, 0, 1);

export interface Fixture {
  dir: string;
  store: Store;
  services: Services;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Item `${cat}-${i}`; special ones: vase-5 is 300 mm tall, gear-5 is open, hook-5 is a jack needing support. */
function meshFor(cat: string, i: number): Pick<Mesh, 'positions' | 'indices'> {
  const s = 20 + 5 * i;
  if (cat === 'vase') return box(i === 5 ? [60, 60, 300] : [s, s, 2 * s]);
  if (cat === 'gear') {
    const b = box([2 * s, 2 * s, 8]);
    return i === 5 ? dropFaces(b, (f) => f === 0) : b;
  }
  // A jack (three crossed bars): about 16 % of its surface needs support however it is turned (it stands stably
  // only on a bar end), so recommendations for an FDM printer down-rank it even in its best orientation.
  if (i === 5)
    return merge(box([60, 4, 4], [-30, -2, -2]), box([4, 60, 4], [-2, -30, -2]), box([4, 4, 60], [-2, -2, -30]));
  return box([8, s, 3 * s]);
}

/** Toy shape embedding: one axis per category plus a little per-item variation. */
export function toyEmbedding(cat: string, i: number): Float32Array {
  const v = new Float32Array(8);
  v[CATEGORIES.indexOf(cat as (typeof CATEGORIES)[number])] = 1;
  v[3 + (i % 5)] = 0.2;
  return v;
}

export async function seedStore(store: Store): Promise<void> {
  const items: ItemInput[] = [];
  const embeddings: { itemId: string; vector: Float32Array }[] = [];
  for (const cat of CATEGORIES) {
    for (let i = 0; i < 6; i++) {
      const id = `${cat}-${i}`;
      items.push({
        id,
        status: 'ready',
        title: `${cat === 'hook' ? 'Wall' : 'Fancy'} ${cat} number ${i}`,
        description: `A printable ${cat}. Variant ${i}.`,
        tags: [cat, i % 2 === 0 ? 'even' : 'odd'],
        license: i === 4 ? 'CC-BY-NC' : 'CC-BY',
        creator: `maker-${i % 3}`,
        category: cat,
        remixOf: i === 3 ? `${cat}-2` : null,
        createdAt: T0 - i * 86_400_000,
        format: 'stl-binary',
        sizeBytes: 684,
        path: `lib/${cat}/${id}.stl`,
        report: analyzeMesh(meshFor(cat, i)),
      });
      embeddings.push({ itemId: id, vector: toyEmbedding(cat, i) });
    }
  }
  await store.upsertItems(items);
  await store.putEmbeddings('toy', embeddings);
  const events: EventInput[] = [];
  for (let u = 0; u < 30; u++) {
    const cat = CATEGORIES[u % 3]!;
    // each user: 3 of items 0..4 of their category (rotating), one make and two views
    for (let j = 0; j < 3; j++) {
      const i = (u + j) % 5;
      events.push({
        userId: `user-${u}`,
        itemId: `${cat}-${i}`,
        type: j === 0 ? 'make' : 'view',
        weight: j === 0 ? 8 : 1,
        timestamp: T0 + (u * 10 + j) * 3_600_000,
      });
    }
  }
  await store.addEvents(events);
  const { data } = Interactions.fromEvents(
    events.map((e) => ({ user: e.userId, item: e.itemId, type: e.type, timestamp: e.timestamp })),
  );
  for (const [kind, params] of [
    ['ease', { lambda: 1 }],
    ['itemknn', {}],
  ] as const) {
    const model = createModel(kind, params);
    await model.fit(data);
    await store.saveModel({
      name: kind,
      config: model.params,
      configHash: kind,
      metrics: { ndcg10: kind === 'ease' ? 0.5 : 0.4 },
      payload: model.save({ ndcg10: kind === 'ease' ? 0.5 : 0.4 }),
    });
  }
  await store.setActiveModel('ease', 1); // itemknn@1 stays inactive: the activation tests switch to it
}

/** Embeds a mesh as its sorted-extents direction, category-agnostic (for shape search tests). */
export function toyEmbedMesh(mesh: Pick<Mesh, 'positions' | 'indices'>): Float32Array {
  const r = analyzeMesh(mesh);
  const [a, b, c] = [...r.bboxMm].sort((x, y) => x - y) as [number, number, number];
  const v = new Float32Array(8);
  // flat (gear-like) → axis 1, tall and thin (hook-like) → axis 2, else vase-like → axis 0
  if (a < 0.3 * c && b > 0.6 * c) v[1] = 1;
  else if (a < 0.5 * b) v[2] = 1;
  else v[0] = 1;
  return v;
}

/**
 * `config` on top of the test defaults (port 0, no rate limit, no load shedding, no log); `serviceOptions` overrides createServices
 * options (e.g. a real shape embedder instead of the toy one); `build` goes to buildServer (a log stream).
 */
export async function startFixture(
  config: ServerConfigInput = {},
  env: NodeJS.ProcessEnv = {},
  serviceOptions: Partial<CreateServicesOptions> = {},
  build: BuildOptions = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-api-'));
  const seedDb = await openSqliteStore(join(dir, 'layerwise.db'));
  await seedStore(seedDb);
  await seedDb.close();
  const store = await openSqliteStore(join(dir, 'layerwise.db'));
  // uploads in-thread unless a test asks for workers: a worker thread booting the TypeScript sources costs seconds
  // under vitest; the sandbox itself is tested in app/sandbox and api/hardening.test.ts
  const cfg = loadServerConfig(
    {
      port: 0,
      rateLimit: { max: 0 },
      // no load shedding unless a test asks: in-thread uploads and a loaded CI machine stall the loop for a while
      overload: { maxEventLoopDelayMs: 0 },
      logLevel: 'silent',
      ...config,
      uploads: { workers: 0, ...config.uploads },
    },
    env,
  );
  const services = await createServices(store, cfg, {
    dataDir: dir,
    embedMesh: toyEmbedMesh,
    pollMs: 0,
    shapeEncoder: 'toy',
    ...serviceOptions,
  });
  const app = await buildServer(services, cfg, build);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    dir,
    store,
    services,
    app,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
