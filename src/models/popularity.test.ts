import { describe, expect, it } from 'vitest';
import { Interactions } from './interactions.js';
import { Popularity } from './popularity.js';

const day = 86400;
// item a: 3 users long ago; item b: 2 users in the last day; item c: 1 user in the last day
const events = [
  ...['u1', 'u2', 'u3'].map((user) => ({ user, item: 'a', timestamp: 0 })),
  ...['u4', 'u5'].map((user) => ({ user, item: 'b', timestamp: 30 * day })),
  { user: 'u6', item: 'c', timestamp: 30 * day - 3600 },
];
const data = Interactions.fromEvents(events).data;

describe('Popularity', () => {
  it('ranks by users all-time, and by recent users within a window', async () => {
    const all = new Popularity();
    await all.fit(data);
    expect(all.recommendForHistory([], 3).map((r) => r.item)).toEqual(['a', 'b', 'c']);
    const recent = new Popularity({ windowDays: 1 });
    await recent.fit(data);
    expect(recent.recommendForHistory([], 3).map((r) => [r.item, r.score])).toEqual([
      ['b', 2],
      ['c', 1],
      ['a', 0],
    ]);
  });

  it('weights interactions by event type when by = weight (view < like < download < make)', async () => {
    const typed = Interactions.fromEvents([
      { user: 'u1', item: 'x', type: 'view' },
      { user: 'u2', item: 'x', type: 'view' },
      { user: 'u3', item: 'y', type: 'make' },
    ]).data;
    const m = new Popularity({ by: 'weight' });
    await m.fit(typed);
    expect(m.recommendForHistory([], 2)).toEqual([
      { item: 'y', score: 8 },
      { item: 'x', score: 2 },
    ]);
    expect(() => Interactions.fromEvents([{ user: 'u', item: 'i', type: 'poke' }])).toThrowError(
      /unknown event type 'poke'/,
    );
  });
});
