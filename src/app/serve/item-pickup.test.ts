/**
 * Items ingested by another process while the server runs (issue 18: "a new ingest becomes recommendable within
 * seconds, without a retrain"): a second store connection on the same SQLite file — what `layerwise ingest items`
 * beside `layerwise serve` is — adds a vase with its shape vector; within a few polls the running server finds it by
 * search, and, serving the content-aware hybrid, ranks it in the top 3 of the vase users.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, startFixture, toyEmbedding } from '../../api/testing/fixture.js';
import { analyzeMesh } from '../../geometry/analyze.js';
import { box } from '../../geometry/primitives.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { trainFromStore } from '../train/train.js';
import type { RecommendationResponse } from './types.js';

const HYBRID = { factors: 8, epochs: 8, reg: 0.5, towerHidden: 32, towerEpochs: 60, towerLr: 0.01, minEvents: 1 };

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture({}, {}, { pollMs: 100 });
  const summary = await trainFromStore(fx.store, { kinds: ['hybrid'], params: { hybrid: HYBRID }, activate: false });
  expect(summary.errors).toEqual([]);
  const act = await fetch(`${fx.url}/v1/models/recommender@${summary.saved[0]!.version}/activate`, { method: 'POST' });
  expect(act.status).toBe(200);
});
afterAll(async () => {
  await fx?.close();
});

async function until<T>(what: () => Promise<T | undefined>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rankOf = async (user: string, id: string): Promise<number> => {
  const r = (await (await fetch(`${fx.url}/v1/users/${user}/recommendations?k=20`)).json()) as RecommendationResponse;
  const i = r.items.findIndex((x) => x.itemId === id);
  return i < 0 ? 99 : i;
};

describe('items ingested by another process', () => {
  it('join the running catalogue within seconds and are recommended to the users whose tastes match', async () => {
    // the item route reads the store; search and recommendations read the served catalogue
    const search = async () =>
      (
        (await (await fetch(`${fx.url}/v1/search?q=${encodeURIComponent('fancy vase 7')}`)).json()) as {
          items: { itemId?: string; id?: string }[];
        }
      ).items.some((i) => (i.itemId ?? i.id) === 'vase-new');
    expect(await search()).toBe(false);
    // "another process": its own connection to the same store file
    const cli = await openSqliteStore(join(fx.dir, 'layerwise.db'));
    await cli.upsertItems([
      {
        id: 'vase-new',
        status: 'ready',
        title: 'Fancy vase number 7',
        tags: ['vase', 'odd'],
        category: 'vase',
        creator: 'maker-1',
        license: 'CC-BY',
        report: analyzeMesh(box([30, 30, 60])),
      },
    ]);
    await cli.putEmbeddings('toy', [{ itemId: 'vase-new', vector: toyEmbedding('vase', 2) }]);
    await cli.close();
    const t0 = Date.now();
    await until(async () => ((await search()) ? true : undefined));
    expect(Date.now() - t0).toBeLessThan(5000);
    // vase users (user-0, 3, 6, …) get it near the top; gear and hook users do not
    const vase: number[] = [];
    const others: number[] = [];
    for (let u = 0; u < 30; u++) (u % 3 === 0 ? vase : others).push(await rankOf(`user-${u}`, 'vase-new'));
    expect(Math.max(...vase)).toBeLessThan(3);
    expect(Math.min(...others)).toBeGreaterThanOrEqual(5);
  });
});
