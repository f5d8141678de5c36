import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Interactions } from '../models/interactions.js';
import { tieKey, userSequence } from '../models/sequential.js';
import { csrFromTriplets, rowIndices, rowNnz } from '../models/sparse.js';
import { assertNoOverlap, makeSplit, PROTOCOLS, type Split } from './splits.js';

function synthetic(): Interactions {
  const rng = new Rng(5);
  const events = [];
  for (let u = 0; u < 40; u++) {
    const n = 1 + rng.int(25);
    const items = rng.shuffle(Array.from({ length: 60 }, (_, i) => i)).slice(0, n);
    for (const i of items)
      events.push({ user: `u${u}`, item: `i${i}`, value: 1 + rng.int(5), timestamp: rng.int(100000) });
  }
  return Interactions.fromEvents(events).data;
}

const data = synthetic();
const pairs = (s: Split, which: 'train' | 'test' | 'foldIn'): Set<string> => {
  const m = which === 'train' ? s.train.matrix : which === 'test' ? s.test : s.foldIn!;
  const out = new Set<string>();
  for (let u = 0; u < m.rows; u++) for (const i of rowIndices(m, u)) out.add(`${u}:${i}`);
  return out;
};

describe('split invariants', () => {
  for (const protocol of PROTOCOLS) {
    it(`${protocol}: disjoint parts inside the data, deterministic under a seed`, () => {
      const s = makeSplit(protocol, data, 11);
      const all = pairs(makeSplit('stratified', data, 1), 'train');
      for (const p of pairs(makeSplit('stratified', data, 1), 'test')) all.add(p);
      const train = pairs(s, 'train');
      const test = pairs(s, 'test');
      expect(test.size).toBeGreaterThan(0);
      for (const p of test) {
        expect(train.has(p)).toBe(false);
        expect(all.has(p)).toBe(true);
      }
      const again = makeSplit(protocol, data, 11);
      expect(pairs(again, 'test')).toEqual(test);
      expect(again.train.times).toEqual(s.train.times);
    });
  }

  it('stratified keeps floor(0.75 n) per user for training, the rest for test (MS Recommenders)', () => {
    const s = makeSplit('stratified', data, 3);
    for (let u = 0; u < data.nUsers; u++) {
      const n = rowNnz(data.matrix, u);
      expect(rowNnz(s.train.matrix, u)).toBe(Math.floor(0.75 * n + 1e-9));
      expect(rowNnz(s.test, u)).toBe(n - Math.floor(0.75 * n + 1e-9));
    }
    expect(pairs(makeSplit('stratified', data, 4), 'test')).not.toEqual(pairs(s, 'test'));
  });

  it('training times stay aligned with the training matrix', () => {
    const s = makeSplit('random', data, 2);
    const m = s.train.matrix;
    for (let u = 0; u < m.rows; u++) {
      for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
        const q = data.matrix.indptr[u]! + Array.from(rowIndices(data.matrix, u)).indexOf(m.indices[p]!);
        expect(s.train.times![p]).toBe(data.times![q]);
      }
    }
  });

  it('temporal: every test event is no earlier than every training event; loo: the latest per user', () => {
    const s = makeSplit('temporal', data, 0);
    const latestTrain = Math.max(...s.train.times!);
    const times = new Map<string, number>();
    const m = data.matrix;
    for (let u = 0; u < m.rows; u++)
      for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) times.set(`${u}:${m.indices[p]}`, data.times![p]!);
    for (const p of pairs(s, 'test')) expect(times.get(p)!).toBeGreaterThanOrEqual(latestTrain);
    const loo = makeSplit('loo', data, 0);
    for (let u = 0; u < m.rows; u++) {
      if (rowNnz(m, u) < 2) continue;
      const [i] = rowIndices(loo.test, u);
      const t = times.get(`${u}:${i}`)!;
      for (const j of rowIndices(m, u)) expect(times.get(`${u}:${j}`)!).toBeLessThanOrEqual(t);
    }
  });

  it('strong generalisation: held-out users have no training rows; fold-in and test are disjoint', () => {
    const s = makeSplit('strong', data, 9);
    let heldOut = 0;
    for (let u = 0; u < data.nUsers; u++) {
      if (rowNnz(s.test, u) === 0) continue;
      heldOut++;
      expect(rowNnz(s.train.matrix, u)).toBe(0);
      expect(rowNnz(s.foldIn!, u)).toBeGreaterThan(0);
    }
    expect(heldOut).toBeGreaterThan(3);
    const f = pairs(s, 'foldIn');
    for (const p of pairs(s, 'test')) expect(f.has(p)).toBe(false);
  });

  it('cold items: test items have no training events', () => {
    const s = makeSplit('cold-items', data, 9);
    const trainItems = new Set(s.train.matrix.indices);
    for (const i of s.test.indices) expect(trainItems.has(i)).toBe(false);
  });

  it('an overlap between training and test throws conflict', () => {
    const s = makeSplit('random', data, 1);
    const bad: Split = { ...s, test: csrFromTriplets(data.nUsers, data.nItems, [0], [data.matrix.indices[0]!], [1]) };
    expect(() => assertNoOverlap(bad)).toThrowError(/also in training/);
  });
});

describe('leave-one-out (sequential standard)', () => {
  it('test = the latest event, validation = the one before (also the test of the tuning split)', () => {
    const s = makeSplit('loo', data, 0);
    const inner = makeSplit('loo', s.train, 0);
    expect(pairs({ ...inner, test: s.validation! } as Split, 'test')).toEqual(pairs(inner, 'test'));
    const m = data.matrix;
    for (let u = 0; u < m.rows; u++) {
      const n = rowNnz(m, u);
      expect(rowNnz(s.validation!, u)).toBe(n >= 3 ? 1 : 0);
      if (n < 3) continue;
      const [v] = rowIndices(s.validation!, u);
      const [t] = rowIndices(s.test, u);
      const time = (i: number): number => data.times![m.indptr[u]! + rowIndices(m, u).indexOf(i)]!;
      // the validation item is in training, and no training event but it is later
      expect(rowIndices(s.train.matrix, u)).toContain(v);
      for (const i of rowIndices(s.train.matrix, u)) expect(time(i) <= time(v!) || i === v).toBe(true);
      expect(time(v!)).toBeLessThanOrEqual(time(t!));
    }
  });

  it('breaks time ties by a hash of the user and item ids, not by item index or file order', () => {
    // 40 users, each with 6 events at one time: the test item of a tie is the one with the largest tieKey
    const events = [];
    for (let u = 0; u < 40; u++)
      for (let j = 0; j < 6; j++) events.push({ user: `u${u}`, item: `i${(u + j) % 9}`, timestamp: 100 });
    const a = Interactions.fromEvents(events).data;
    const b = Interactions.fromEvents([...events].reverse()).data; // same events, another file order
    const sa = makeSplit('loo', a, 0);
    const sb = makeSplit('loo', b, 0);
    const byKey = (d: Interactions, u: number): string[] =>
      Array.from(rowIndices(d.matrix, u), (i) => d.items.id(i)).sort(
        (x, y) => tieKey(d.users.id(u), x) - tieKey(d.users.id(u), y),
      );
    let lastIsLargestIndex = 0;
    for (let u = 0; u < a.nUsers; u++) {
      const user = a.users.id(u);
      const order = byKey(a, u);
      const test = a.items.id(rowIndices(sa.test, u)[0]!);
      expect(test).toBe(order.at(-1));
      expect(a.items.id(rowIndices(sa.validation!, u)[0]!)).toBe(order.at(-2));
      const ub = b.users.index(user)!;
      expect(b.items.id(rowIndices(sb.test, ub)[0]!)).toBe(test);
      expect(Array.from(userSequence(a, u), (i) => a.items.id(i))).toEqual(order);
      if (rowIndices(sa.test, u)[0] === Math.max(...rowIndices(a.matrix, u))) lastIsLargestIndex++;
    }
    // neither item index nor a fixed global item order decides: the winner of a tie varies
    expect(lastIsLargestIndex).toBeGreaterThan(0);
    expect(lastIsLargestIndex).toBeLessThan(20);
    expect(new Set(Array.from({ length: 40 }, (_, u) => rowIndices(sa.test, u)[0])).size).toBeGreaterThan(5);
  });
});
