import { describe, expect, it } from 'vitest';
import { Bm25Index, tokenize } from './bm25.js';

describe('tokenize', () => {
  it('lower-cases, splits on non-letters, drops stop words and plural s', () => {
    expect(tokenize('The Wall-Hooks of GLASS, for 3D printers!')).toEqual(['wall', 'hook', 'glass', '3d', 'printer']);
  });
});

describe('Bm25Index', () => {
  it('matches a hand-computed BM25 score', () => {
    // docs: 0 = "gear gear box" (len 3), 1 = "box" (len 1); avgdl = 2; k1 = 1.2, b = 0.75
    const idx = new Bm25Index();
    idx.add(0, [{ text: 'gear gear box', weight: 1 }]);
    idx.add(1, [{ text: 'box', weight: 1 }]);
    const s = idx.search('gear');
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * (2 * 2.2)) / (2 + 1.2 * (1 - 0.75 + (0.75 * 3) / 2));
    expect(s.get(0)).toBeCloseTo(expected, 12);
    expect(s.has(1)).toBe(false);
    // "box" appears in both: the short document scores higher
    const b = idx.search('box');
    expect(b.get(1)!).toBeGreaterThan(b.get(0)!);
  });

  it('weights fields and replaces re-added documents', () => {
    const idx = new Bm25Index();
    idx.add(0, [
      { text: 'vase', weight: 3 },
      { text: 'a gear shaped thing', weight: 1 },
    ]);
    idx.add(1, [
      { text: 'gear', weight: 3 },
      { text: 'not a vase', weight: 1 },
    ]);
    expect(idx.search('vase').get(0)!).toBeGreaterThan(idx.search('vase').get(1)!);
    idx.add(0, [{ text: 'planter', weight: 3 }]);
    expect(idx.size).toBe(2);
    expect(idx.search('vase').has(0)).toBe(false);
    expect(idx.search('planter').has(0)).toBe(true);
  });
});
