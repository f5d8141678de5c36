/**
 * A synthetic library with the demo's scale (5,000 items, 10,000 users) for the API benchmark when no demo data dir
 * is given: 12 categories, 300 creators, plausible printability reports (sizes, watertightness, overhangs), users
 * with tastes over two categories and power-law activity (≈30 events each), toy 64-d shape vectors clustered by
 * category, and an ItemKNN model trained on the events and activated. Seeded: same data every run.
 */

import type { PrintabilityReport } from '../../src/core/printability.js';
import { Rng } from '../../src/core/rng.js';
import { Interactions } from '../../src/models/interactions.js';
import { createModel } from '../../src/models/registry.js';
import type { EventInput, EventType, ItemInput, Store } from '../../src/store/ports.js';

const CATEGORIES = [
  'vase',
  'gear',
  'box',
  'bracket',
  'hook',
  'planter',
  'clip',
  'stand',
  'chess',
  'keycap',
  'coaster',
  'plate',
];
const TYPES: [EventType, number][] = [
  ['view', 0.55],
  ['like', 0.2],
  ['collect', 0.05],
  ['download', 0.12],
  ['make', 0.08],
];

function report(rng: Rng): PrintabilityReport {
  const bbox: [number, number, number] = [rng.uniform(10, 260), rng.uniform(10, 200), rng.uniform(3, 260)];
  const area = 2 * (bbox[0] * bbox[1] + bbox[1] * bbox[2] + bbox[0] * bbox[2]);
  const watertight = rng.bernoulli(0.95);
  return {
    triangles: 2000,
    vertices: 1000,
    shells: 1,
    watertight,
    openEdges: watertight ? 0 : 12,
    nonManifoldEdges: 0,
    inconsistentEdges: 0,
    degenerateFaces: 0,
    signedVolumeMm3: 1000,
    volumeMm3: 1000,
    insideOut: false,
    areaMm2: area,
    bboxMm: bbox,
    genus: 0,
    overhangAreaMm2: area * rng.uniform(0, 0.4),
    overhangAngleDeg: 45,
    fitsPrinter: null,
    fitOrientation: null,
    printer: null,
    massG: 10,
    printMinutes: 60,
    warnings: [],
  };
}

export async function buildLibrary(
  store: Store,
  nItems = 5000,
  nUsers = 10_000,
  seed = 7,
): Promise<{ events: number }> {
  const rng = new Rng(seed);
  const items: ItemInput[] = [];
  const byCat: string[][] = CATEGORIES.map(() => []);
  for (let i = 0; i < nItems; i++) {
    const c = rng.int(CATEGORIES.length);
    const id = `item-${i}`;
    byCat[c]!.push(id);
    items.push({
      id,
      status: 'ready',
      title: `${CATEGORIES[c]} design ${i}`,
      description: `A ${CATEGORIES[c]} to print.`,
      tags: [CATEGORIES[c]!, rng.bernoulli(0.5) ? 'functional' : 'decor'],
      license: rng.pick(['CC-BY', 'CC-BY-NC', 'CC0']),
      creator: `maker-${rng.int(300)}`,
      category: CATEGORIES[c]!,
      remixOf: null,
      createdAt: Date.UTC(2025, 0, 1) + i * 3600_000,
      format: 'stl-binary',
      sizeBytes: 100_000,
      path: null,
      report: report(rng),
    });
  }
  await store.upsertItems(items);
  const centroids = CATEGORIES.map(() => Float32Array.from({ length: 64 }, () => rng.normal()));
  await store.putEmbeddings(
    'bench',
    items.map((it) => {
      const c = CATEGORIES.indexOf(it.category!);
      return { itemId: it.id, vector: Float32Array.from(centroids[c]!, (x) => x + 0.5 * rng.normal()) };
    }),
  );
  // item popularity within a category: Zipf-like via squared uniform index
  const pickIn = (c: number) => byCat[c]![Math.floor(rng.next() ** 2 * byCat[c]!.length)]!;
  const all: EventInput[] = [];
  const t0 = Date.UTC(2025, 0, 1);
  for (let u = 0; u < nUsers; u++) {
    const tastes = [rng.int(CATEGORIES.length), rng.int(CATEGORIES.length)];
    const n = Math.min(400, Math.max(3, Math.round(8 / (1 - rng.next()) ** 0.7)));
    for (let e = 0; e < n; e++) {
      const c = rng.bernoulli(0.85) ? tastes[rng.int(2)]! : rng.int(CATEGORIES.length);
      const type = TYPES[rng.weighted(TYPES.map((t) => t[1]))]![0];
      all.push({ userId: `user-${u}`, itemId: pickIn(c), type, weight: 1, timestamp: t0 + rng.int(365 * 86_400_000) });
    }
  }
  for (let i = 0; i < all.length; i += 20_000) await store.addEvents(all.slice(i, i + 20_000));
  const { data } = Interactions.fromEvents(
    all.map((e) => ({
      user: e.userId,
      item: e.itemId,
      type: e.type === 'collect' ? 'like' : e.type,
      timestamp: e.timestamp,
    })),
  );
  const model = createModel('itemknn', {});
  await model.fit(data);
  await store.saveModel({
    name: 'itemknn',
    config: model.params,
    configHash: 'bench',
    metrics: {},
    payload: model.save(),
  });
  await store.setActiveModel('itemknn', 1);
  return { events: all.length };
}
