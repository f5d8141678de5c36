import { describe, expect, it } from 'vitest';
import { HistoryMemo } from './history-memo.js';

describe('HistoryMemo', () => {
  it('computes once per history contents and key, and never serves a reused buffer a stale value', () => {
    const memo = new HistoryMemo();
    let calls = 0;
    const compute = () => ++calls;
    const items = Int32Array.from([1, 4, 9]);
    const weights = Float32Array.from([1, 2, 3]);
    expect(memo.get(items, weights, 0, compute)).toBe(1);
    expect(memo.get(Int32Array.from([1, 4, 9]), Float32Array.from([1, 2, 3]), 0, compute)).toBe(1);
    expect(memo.get(items, weights, 7, compute)).toBe(2); // another extra key
    weights[2] = 5; // the caller reuses its buffer with new contents
    expect(memo.get(items, weights, 7, compute)).toBe(3);
    items[0] = 2;
    expect(memo.get(items, weights, 7, compute)).toBe(4);
    expect(memo.get(items.subarray(0, 2), weights.subarray(0, 2), 7, compute)).toBe(5);
    memo.clear();
    expect(memo.get(items.subarray(0, 2), weights.subarray(0, 2), 7, compute)).toBe(6);
  });
});
