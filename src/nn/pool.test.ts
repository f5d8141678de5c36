import { describe, expect, it } from 'vitest';
import { BufferPool, floats } from './pool.js';

describe('BufferPool', () => {
  it('hands the previous run’s buffers out again, zeroed; outside a run every buffer is new', () => {
    const pool = new BufferPool();
    const first = pool.run(() => {
      const b = floats(5000);
      b.fill(3);
      return b;
    });
    const second = pool.run(() => floats(5000));
    expect(second).toBe(first);
    expect(second.every((v) => v === 0)).toBe(true);
    // a length the previous run did not use, and small buffers, are fresh
    const [other, small] = pool.run(() => [floats(6000), floats(10)]);
    expect(other).not.toBe(first);
    expect(small!.length).toBe(10);
    expect(floats(5000)).not.toBe(first);
  });
});
