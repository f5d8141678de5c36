/**
 * Issue 15 (soak): a recommendation's cost grew with the user's history — every event was folded into the model
 * (O(history × factors²) per cache miss). Now only the most recent `serving.foldInEvents` events are folded in, while
 * everything read is still excluded. Against a real server and store: with a cap of 3, a user whose 3 latest events
 * follow 6 older ones gets exactly the scores of a user who has only those 3 events, and none of the 9 items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from '../../api/testing/fixture.js';

interface Recs {
  items: { itemId: string; score: number }[];
}

async function post(fx: Fixture, events: { userId: string; itemId: string; type: string; timestamp: number }[]) {
  const res = await fetch(`${fx.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(200);
}

const recs = async (fx: Fixture, user: string): Promise<Recs> =>
  (await (await fetch(`${fx.url}/v1/users/${user}/recommendations?k=30`)).json()) as Recs;

describe('fold-in of the most recent events only', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({ serving: { foldInEvents: 3 } });
  });
  afterAll(() => fx?.close());

  it('scores a long history as its latest events, and excludes all of it', async () => {
    const t = Date.UTC(2026, 0, 1);
    const old = ['gear-0', 'gear-1', 'gear-2', 'hook-0', 'hook-1', 'hook-2'];
    const latest = ['vase-0', 'vase-1', 'vase-2'];
    await post(fx, [
      ...old.map((itemId, i) => ({ userId: 'long', itemId, type: 'make', timestamp: t + i * 1000 })),
      ...latest.map((itemId, i) => ({ userId: 'long', itemId, type: 'like', timestamp: t + 10_000 + i * 1000 })),
      ...latest.map((itemId, i) => ({ userId: 'short', itemId, type: 'like', timestamp: t + 10_000 + i * 1000 })),
    ]);
    const long = await recs(fx, 'long');
    const short = await recs(fx, 'short');
    const seen = new Set([...old, ...latest]);
    expect(long.items.length).toBeGreaterThan(0);
    for (const it of long.items) expect(seen.has(it.itemId)).toBe(false);
    const shortScore = new Map(short.items.map((i) => [i.itemId, i.score]));
    for (const it of long.items) expect(it.score).toBeCloseTo(shortScore.get(it.itemId)!, 6);
  });
});
