import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerwiseError } from '../../core/errors.js';
import { batchEvent, checkEventBatch, toEventBatch } from '../../store/event-batch.js';
import { type ParsedBatch, parseEventBatches } from './event-batches.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-event-batches-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function all(file: string, batchSize: number, maxErrors = 10): Promise<ParsedBatch[]> {
  const out: ParsedBatch[] = [];
  for await (const b of parseEventBatches(file, { format: 'csv', batchSize, maxErrors })) out.push(b);
  return out;
}

describe('parseEventBatches', () => {
  it('splits a file into columnar batches with string tables, file line numbers and bad rows', async () => {
    const file = join(tmp, 'e.csv');
    const rows = ['user,item,type,timestamp'];
    for (let i = 0; i < 25; i++) rows.push(`u${i % 3},i${i % 4},${i % 2 ? 'like' : 'view'},${1_700_000_000 + i}`);
    rows.splice(5, 0, 'u9,i9,teleport,1700000000'); // line 6: bad type
    rows.splice(9, 0, ''); // blank line 10
    writeFileSync(file, `${rows.join('\n')}\n`);
    const batches = await all(file, 10, 0);
    expect(batches.map((b) => b.events.length)).toEqual([10, 10, 5]);
    expect(batches.reduce((n, b) => n + b.scanned, 0)).toBe(26);
    expect(batches.reduce((n, b) => n + b.failed, 0)).toBe(1);
    expect(batches.flatMap((b) => b.errors)).toEqual([]); // maxErrors 0: counted, not listed
    const first = batches[0]!;
    expect(first.events.userIds).toEqual(['u0', 'u1', 'u2']);
    expect(first.events.itemIds.length).toBe(4);
    expect(Array.from(first.lines)).toEqual([2, 3, 4, 5, 7, 8, 9, 11, 12, 13]);
    const e = batchEvent(first.events, 4); // file line 7 = generated row 4
    expect(e).toEqual({
      userId: 'u1',
      itemId: 'i0',
      type: 'view',
      weight: 1,
      value: null,
      timestamp: 1_700_000_004_000,
      recommendationId: null,
    });
    const listed = (await all(file, 100)).flatMap((b) => b.errors);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ line: 6, code: 'parse_error' });
  });

  it('toEventBatch and batchEvent round-trip; a malformed batch is a typed error', () => {
    const events = [
      { userId: 'a', itemId: 'x', type: 'view' as const, weight: 1, value: null, timestamp: 5, recommendationId: null },
      { userId: 'b', itemId: 'x', type: 'rating' as const, weight: 4, value: 4, timestamp: 6, recommendationId: 'r1' },
      {
        userId: 'a',
        itemId: 'y',
        type: 'hide' as const,
        weight: -5,
        value: null,
        timestamp: 7,
        recommendationId: null,
      },
    ];
    const b = toEventBatch(events);
    expect(b.userIds).toEqual(['a', 'b']);
    expect(b.itemIds).toEqual(['x', 'y']);
    expect(events.map((_, i) => batchEvent(b, i))).toEqual(events);
    checkEventBatch(b);
    expect(() => checkEventBatch({ ...b, weight: new Float64Array([1, Number.NaN, 2]) })).toThrow(LayerwiseError);
    expect(() => checkEventBatch({ ...b, item: new Int32Array([0, 1, 2]) })).toThrow(/out of range/);
    expect(() => checkEventBatch({ ...b, userIds: ['a', ''] })).toThrow(/non-empty/);
  });
});
