/** The core layer: errors and results, ids, the seeded generator, typed-array math — against hand-computed cases. */
import { describe, expect, it } from 'vitest';
import { LayerwiseError, reportBackgroundError, safely, toLayerwiseError } from './errors.js';
import { contentHash, IdMap } from './ids.js';
import { clamp, cosine, dot, mean, norm, normalizeInPlace, sum, topK } from './math.js';
import { hashString, Rng } from './rng.js';

describe('errors', () => {
  it('carries a code, details and a cause; JSON omits empty details', () => {
    const cause = new Error('disk');
    const e = new LayerwiseError('io_error', 'cannot read x', { cause, details: { line: 3 } });
    expect(e.code).toBe('io_error');
    expect(e.cause).toBe(cause);
    expect(e.toJSON()).toEqual({ code: 'io_error', message: 'cannot read x', details: { line: 3 } });
    expect(new LayerwiseError('not_found', 'gone').toJSON()).toEqual({ code: 'not_found', message: 'gone' });
  });

  it('wraps foreign errors as internal (or the given code) and keeps LayerwiseErrors as they are', () => {
    const own = new LayerwiseError('conflict', 'busy');
    expect(toLayerwiseError(own)).toBe(own);
    expect(toLayerwiseError(new TypeError('bad')).code).toBe('internal');
    expect(toLayerwiseError('text', 'parse_error')).toMatchObject({ code: 'parse_error', message: 'text' });
  });

  it('safely returns a result instead of throwing', () => {
    expect(safely(() => 2)).toEqual({ ok: true, value: 2 });
    const r = safely(() => {
      throw new LayerwiseError('invalid_argument', 'no');
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_argument');
  });

  it('reports background failures on stderr with what failed and the code', () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (m: string) => lines.push(m);
    try {
      reportBackgroundError('event sync failed', new LayerwiseError('unavailable', 'store down'));
    } finally {
      console.error = original;
    }
    expect(lines).toEqual(['layerwise: event sync failed: unavailable: store down']);
  });
});

describe('ids', () => {
  it('hashes content with SHA-256', () => {
    expect(contentHash(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('maps ids to dense indices both ways and refuses an unknown index with a typed error', () => {
    const m = IdMap.from(['b', 'a', 'b', 'c']);
    expect(m.size).toBe(3);
    expect([m.index('b'), m.index('a'), m.index('c'), m.index('z')]).toEqual([0, 1, 2, undefined]);
    expect(m.id(2)).toBe('c');
    expect(() => m.id(3)).toThrowError(LayerwiseError);
  });
});

describe('rng', () => {
  it('is deterministic under a seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Rng(8).next()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('draws integers in range, shuffles as a permutation, and samples by weight', () => {
    const r = new Rng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[r.int(3)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect([...r.shuffle([1, 2, 3, 4, 5])].sort()).toEqual([1, 2, 3, 4, 5]);
    const w = [0, 0, 0];
    for (let i = 0; i < 2000; i++) w[r.weighted([0, 1, 3])]!++;
    expect(w[0]).toBe(0);
    expect(w[2]! / w[1]!).toBeGreaterThan(2.3);
    expect(w[2]! / w[1]!).toBeLessThan(3.9);
  });

  it('hashes strings stably', () => {
    expect(hashString('layerwise')).toBe(hashString('layerwise'));
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});

describe('math', () => {
  it('computes dot, norm, cosine, sum and mean', () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(norm([3, 4])).toBe(5);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1, 12);
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(mean([2, 4])).toBe(3);
    expect(Array.from(normalizeInPlace(new Float32Array([3, 4])))).toEqual([0.6000000238418579, 0.800000011920929]);
    expect([clamp(-1, 0, 2), clamp(1, 0, 2), clamp(3, 0, 2)]).toEqual([0, 1, 2]);
  });

  it('topK returns the best indices in order, ties by index, skipping NaN, -Infinity and skipped ones', () => {
    const s = [0.5, Number.NaN, 2, 2, Number.NEGATIVE_INFINITY, 1, 9];
    expect(topK(s, 3)).toEqual([6, 2, 3]);
    expect(topK(s, 10)).toEqual([6, 2, 3, 5, 0]);
    expect(topK(s, 2, (i) => i === 6)).toEqual([2, 3]);
    expect(topK(s, 0)).toEqual([]);
  });
});
