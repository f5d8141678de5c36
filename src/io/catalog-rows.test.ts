/** Catalogue row codecs: JSONL and CSV rows to items, with line-numbered errors for bad rows. */
import { describe, expect, it } from 'vitest';
import { type CatalogRowResult, createCatalogCodec, guessCatalogFormat } from './catalog-rows.js';

const items = (codec: (t: string, l: number) => CatalogRowResult, lines: string[]) =>
  lines.map((t, i) => codec(t, i + 1));

describe('catalogue rows', () => {
  it('reads JSON lines with aliases, tags, dates, reports and shape vectors', () => {
    const [a, blank, b] = items(createCatalogCodec('jsonl'), [
      '{"id":"s1","title":"Hook","tags":["wall","hook"],"category":"hooks","creator":"ann","license":"CC-BY","remix_of":"s0","createdAt":"2024-05-01T00:00:00Z"}',
      '',
      '{"item_id":7,"printability":{"bboxMm":[10,20,30],"volumeMm3":500},"shape":{"encoder":"pointnet","vector":[0.5,-1,2]}}',
    ]);
    expect(a).toEqual({
      kind: 'item',
      item: {
        id: 's1',
        title: 'Hook',
        tags: ['wall', 'hook'],
        category: 'hooks',
        creator: 'ann',
        license: 'CC-BY',
        remixOf: 's0',
        createdAt: Date.parse('2024-05-01T00:00:00Z'),
      },
    });
    expect(blank).toEqual({ kind: 'skip' });
    expect(b).toMatchObject({ kind: 'item', item: { id: '7', printability: { bboxMm: [10, 20, 30] } } });
    if (b?.kind !== 'item') throw new Error('expected an item');
    expect(b.item.shape?.encoder).toBe('pointnet');
    expect([...b.item.shape!.vector]).toEqual([0.5, -1, 2]);
  });

  it('reads CSV with a header, quoted fields and |-separated tags; bare vectors have no encoder', () => {
    const rows = items(createCatalogCodec('csv'), [
      'id,title,tags,created_at,shape',
      's1,"Hook, large",wall|hook,1714521600,0.25 0.5',
      's2,,,,',
    ]);
    expect(rows[0]).toEqual({ kind: 'skip' });
    expect(rows[1]).toMatchObject({
      kind: 'item',
      item: { id: 's1', title: 'Hook, large', tags: ['wall', 'hook'], createdAt: 1_714_521_600_000 },
    });
    expect(rows[1]?.kind === 'item' && rows[1].item.shape?.encoder).toBeNull();
    expect(rows[2]).toEqual({ kind: 'item', item: { id: 's2', title: null, tags: [], createdAt: null } });
  });

  it('reports bad rows with their line number and goes on', () => {
    const codec = createCatalogCodec('jsonl');
    const bad = [
      ['{"title":"no id"}', /line 1: missing item id/],
      ['{oops', /line 2: invalid JSON/],
      ['{"id":"x","tags":"a|b"}', null],
      ['{"id":"x","createdAt":"soon"}', /line 4: bad createdAt "soon"/],
      ['{"id":"x","shape":[1,"a"]}', /line 5: shape\[1\] is not a finite number/],
      ['{"id":"x","printability":[1]}', /line 6: printability must be a JSON object/],
      ['[1,2]', /line 7: expected a JSON object/],
    ] as const;
    bad.forEach(([text, re], i) => {
      const r = codec(text, i + 1);
      if (re === null) expect(r).toMatchObject({ kind: 'item', item: { tags: ['a', 'b'] } });
      else {
        expect(r.kind).toBe('error');
        if (r.kind === 'error') {
          expect(r.error.code).toBe('parse_error');
          expect(r.error.message).toMatch(re);
        }
      }
    });
    const csv = createCatalogCodec('csv');
    expect(csv('title,tags', 1)).toMatchObject({ kind: 'error' });
    expect(guessCatalogFormat('a/items.CSV')).toBe('csv');
    expect(guessCatalogFormat('items.jsonl')).toBe('jsonl');
    expect(() => createCatalogCodec('xml' as never)).toThrow(/use one of jsonl, csv/);
  });
});
