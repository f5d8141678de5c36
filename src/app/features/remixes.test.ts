/** The remix graph: ancestors and bounded descendants, edits, cycles in bad metadata, and reason links. */
import { describe, expect, it } from 'vitest';
import { RemixIndex } from './remixes.js';

const items = [
  { id: 'a', remixOf: null },
  { id: 'b', remixOf: 'a' },
  { id: 'c', remixOf: 'b' },
  { id: 'd', remixOf: 'b' },
  { id: 'e', remixOf: 'd' },
  { id: 'x', remixOf: 'y' },
  { id: 'y', remixOf: 'x' },
];

describe('remix graph', () => {
  it('gives ancestors nearest first and descendants as a tree', () => {
    const r = RemixIndex.from(items);
    expect(r.ancestors('e')).toEqual(['d', 'b', 'a']);
    expect(r.tree('b')).toEqual({
      id: 'b',
      ancestors: ['a'],
      descendants: [
        { id: 'c', children: [] },
        { id: 'd', children: [{ id: 'e', children: [] }] },
      ],
      truncated: 0,
    });
    const shallow = r.tree('a', { maxDepth: 1 });
    expect(shallow.descendants).toEqual([{ id: 'b', children: [] }]);
    expect(shallow.truncated).toBe(3);
    expect(r.tree('a', { maxNodes: 2 }).truncated).toBe(2);
  });

  it('stops at cycles and follows edits', () => {
    const r = RemixIndex.from(items);
    expect(r.ancestors('x')).toEqual(['y']);
    expect(r.tree('x').descendants).toEqual([]);
    r.set('e', 'a');
    expect(r.childrenOf('d')).toEqual([]);
    expect(r.ancestors('e')).toEqual(['a']);
    r.set('e', null);
    expect(r.ancestors('e')).toEqual([]);
  });

  it('links a candidate to the history: a remix of what you printed, or the original of it', () => {
    const r = RemixIndex.from(items);
    expect(r.link('c', new Set(['b']))).toEqual({ kind: 'remix-of', item: 'b' });
    expect(r.link('b', new Set(['d']))).toEqual({ kind: 'original-of', item: 'd' });
    expect(r.link('a', new Set(['e']))).toBeUndefined();
  });
});
