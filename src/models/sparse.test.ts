import { describe, expect, it } from 'vitest';
import { Interactions } from './interactions.js';
import { csrFromTriplets, getEntry, transpose } from './sparse.js';

describe('CSR on typed arrays', () => {
  it('merges duplicates, sorts columns, transposes', () => {
    const m = csrFromTriplets(2, 3, [1, 0, 1, 0], [2, 1, 0, 1], [5, 1, 2, 3]);
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.values)).toEqual([4, 2, 5]);
    const t = transpose(m);
    expect(t.rows).toBe(3);
    expect(getEntry(t, 2, 1)).toBe(5);
    expect(getEntry(t, 1, 0)).toBe(4);
    expect(getEntry(t, 0, 0)).toBe(0);
    expect(() => csrFromTriplets(1, 1, [0], [3], [1])).toThrowError(/outside 1×1/);
  });
});

describe('Interactions from events', () => {
  const ratings = [
    { user: 'a', item: 'x', value: 5, timestamp: 10 },
    { user: 'a', item: 'y', value: 2, timestamp: 20 },
    { user: 'b', item: 'x', value: 4, timestamp: 30 },
    { user: 'b', item: 'x', value: 3, timestamp: 40 },
  ];

  it('keeps all ratings as positives, or those ≥ a threshold', () => {
    const all = Interactions.fromEvents(ratings).data;
    expect(all.nnz).toBe(3);
    expect(getEntry(all.matrix, 1, 0)).toBe(2);
    expect(Array.from(all.times!)).toEqual([10, 20, 40]);
    const { data, dropped } = Interactions.fromEvents(ratings, { values: 'threshold', threshold: 4 });
    expect(dropped).toBe(2);
    expect(data.nnz).toBe(2);
    expect(() => Interactions.fromEvents(ratings, { values: 'threshold' })).toThrowError(/needs a threshold/);
  });

  it('keeps counts as confidence (log1p), and the fingerprint follows the data', () => {
    const plays = Interactions.fromEvents(
      [
        { user: 'a', item: 'x', value: 99 },
        { user: 'b', item: 'y', value: 0 },
      ],
      { values: 'value', transform: 'log1p' },
    );
    expect(plays.dropped).toBe(1);
    expect(getEntry(plays.data.matrix, 0, 0)).toBeCloseTo(Math.log(100), 5);
    expect(plays.data.times).toBeUndefined();
    const a = Interactions.fromEvents(ratings).data.fingerprint();
    expect(Interactions.fromEvents(ratings).data.fingerprint()).toBe(a);
    expect(Interactions.fromEvents(ratings.slice(1)).data.fingerprint()).not.toBe(a);
  });
});
