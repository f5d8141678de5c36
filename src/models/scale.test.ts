/** Scale paths of the models: typed-array interactions from columnar chunks, and EASE's up-front item limit. */
import { describe, expect, it } from 'vitest';
import { EASE_ITEM_LIMIT, Ease } from './ease.js';
import { Interactions } from './interactions.js';
import { InteractionsBuilder } from './interactions-builder.js';
import { csrFromTriplets } from './sparse.js';

describe('InteractionsBuilder', () => {
  it('builds the same matrix, ids and latest times as Interactions.fromEvents, chunk by chunk', () => {
    const users = ['a', 'b', 'a', 'c', 'a', 'b', 'z'];
    const items = ['x', 'y', 'x', 'x', 'w', 'y', 'x'];
    const weights = [1, 2, 3, 1, 5, 0.5, 0];
    const ts = [1000, 2000, 5000, 3000, 4000, 1000, 9000];
    const b = new InteractionsBuilder();
    b.add({
      users: users.slice(0, 4),
      items: items.slice(0, 4),
      weights: weights.slice(0, 4),
      timestamps: ts.slice(0, 4),
    });
    b.add({ users: users.slice(4), items: items.slice(4), weights: weights.slice(4), timestamps: ts.slice(4) });
    expect(b.dropped).toBe(1);
    const got = b.build();
    const want = Interactions.fromEvents(
      users.map((u, i) => ({ user: u, item: items[i]!, value: weights[i]!, timestamp: ts[i]! / 1000 })),
      { values: 'value', combine: 'sum' },
    ).data;
    expect(got.users.toArray()).toEqual(want.users.toArray());
    expect(got.items.toArray()).toEqual(want.items.toArray());
    expect(got.matrix).toEqual(want.matrix);
    expect([...got.times!]).toEqual([...want.times!]);
    expect(got.fingerprint()).toBe(want.fingerprint());
    expect(() => new InteractionsBuilder().build()).toThrow(/no events/);
  });

  it('csrFromTriplets merges duplicates in input order on typed arrays (sum, max, last)', () => {
    const r = Int32Array.of(1, 0, 1, 1, 0);
    const c = Int32Array.of(2, 1, 0, 2, 1);
    const v = Float32Array.of(1, 2, 3, 4, 5);
    const sum = csrFromTriplets(2, 3, r, c, v, 'sum');
    expect([...sum.indptr]).toEqual([0, 1, 3]);
    expect([...sum.indices]).toEqual([1, 0, 2]);
    expect([...sum.values]).toEqual([7, 3, 5]);
    expect([...csrFromTriplets(2, 3, r, c, v, 'last').values]).toEqual([5, 3, 4]);
    expect([...csrFromTriplets(2, 3, r, c, Float32Array.of(1, 9, 3, 4, 5), 'max').values]).toEqual([9, 3, 4]);
  });
});

describe('EASE item limit', () => {
  it('refuses a catalogue above its limit up front, naming maxItems and the alternatives', async () => {
    const n = EASE_ITEM_LIMIT + 1;
    const events = Array.from({ length: n }, (_, i) => ({ user: `u${i % 50}`, item: `i${i}`, value: 1 }));
    const data = Interactions.fromEvents(events, { values: 'value' }).data;
    const err = await new Ease().fit(data).catch((e) => e);
    expect(err).toMatchObject({ code: 'unsupported' });
    expect(String(err.message)).toMatch(/16001 items would need ~5 GB.*maxItems.*ials/);
  });
});
