/**
 * Shape taste in the personal ranking (issue 18): a user whose history is mostly flat parts (user-1 prints gears; a
 * third of the fixture's catalogue is flat) gets the other candidates' scores divided by (1 + boost) — flat ones
 * rank as if scored (1 + boost)× — and the flat candidates say why ("you print many flat parts like …"). A user without a taste (user-0's
 * vases are slender like most of the catalogue) gets the same ranking with and without the boost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from '../../api/testing/fixture.js';
import { trainFromStore } from '../train/train.js';
import type { RecommendationResponse } from './types.js';

let off: Fixture;
let on: Fixture;
/** iALS scores every item (EASE, the fixture's default, scores other categories exactly 0: nothing to reorder). */
async function withIals(fx: Fixture): Promise<Fixture> {
  const summary = await trainFromStore(fx.store, {
    kinds: ['ials'],
    params: { ials: { factors: 8, epochs: 10, reg: 0.1 } },
    activate: false,
  });
  expect(summary.errors).toEqual([]);
  const act = await fetch(`${fx.url}/v1/models/recommender@${summary.saved[0]!.version}/activate`, { method: 'POST' });
  expect(act.status).toBe(200);
  return fx;
}

beforeAll(async () => {
  off = await withIals(await startFixture({ recommend: { shapeTasteBoost: 0 } }));
  on = await withIals(await startFixture({ recommend: { shapeTasteBoost: 10 } }));
});
afterAll(async () => {
  await off?.close();
  await on?.close();
});

const recs = async (fx: Fixture, user: string) =>
  ((await (await fetch(`${fx.url}/v1/users/${user}/recommendations?k=15`)).json()) as RecommendationResponse).items;

describe('shape taste in the ranking', () => {
  it('ranks the candidates sharing a user’s shape taste as if scored (1 + boost)× the others, with the reason', async () => {
    const plain = await recs(off, 'user-1');
    const boosted = await recs(on, 'user-1');
    const before = new Map(plain.map((i) => [i.itemId, i.score]));
    const taste = boosted.filter((i) => i.reasons.some((r) => r.kind === 'shape_taste'));
    expect(taste.length).toBeGreaterThanOrEqual(3);
    expect(taste[0]!.reasons.find((r) => r.kind === 'shape_taste')!.text).toMatch(
      /^you print many flat parts like "Fancy gear/,
    );
    let reordered = 0;
    for (const it of boosted) {
      const s = before.get(it.itemId)!;
      const fromModel = !it.reasons.some((r) => r.kind === 'cold_start');
      const shares = it.reasons.some((r) => r.kind === 'shape_taste');
      // taste items keep their score; the rest are divided by 11 (a negative score is multiplied: never raised)
      const want = !fromModel || shares ? s : s >= 0 ? s / 11 : s * 11;
      expect(it.score).toBeCloseTo(want, 4);
      if (!shares && s !== it.score) reordered++;
    }
    expect(reordered).toBeGreaterThan(3);
    // the order follows the adjusted scores (model candidates first, then the cold-start fill)
    const model = boosted.filter((i) => !i.reasons.some((r) => r.kind === 'cold_start')).map((i) => i.score);
    expect(model).toEqual([...model].sort((a, b) => b - a));
  });

  it('leaves users without a shape taste alone', async () => {
    expect((await recs(on, 'user-0')).map((i) => i.itemId)).toEqual((await recs(off, 'user-0')).map((i) => i.itemId));
  });
});
