/** The event row codecs against hand-written rows: every format, header handling, weights, line-numbered errors. */
import { describe, expect, it } from 'vitest';
import { createEventCodec, type DecodedEvent, guessEventFormat, parseTimestamp, type RowResult } from './events.js';
import { splitDelimited } from './events-delimited.js';
import { parseIsoUtc } from './events-row.js';

function run(format: Parameters<typeof createEventCodec>[0], text: string) {
  const codec = createEventCodec(format);
  const events: DecodedEvent[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const r: RowResult = codec(l, i + 1);
    if (r.kind === 'event') events.push(r.event);
    else if (r.kind === 'error') errors.push({ line: r.error.details.line as number, message: r.error.message });
  });
  return { events, errors };
}

describe('event row codecs', () => {
  it('reads CSV with a header in any column order, quotes and type aliases', () => {
    const { events, errors } = run(
      'csv',
      'timestamp,item_id,user_id,event,weight\n2024-01-02T00:00:00Z,"gear, 20t",u1,printed,\n1700000000,v,u2,view,0.5\n',
    );
    expect(errors).toEqual([]);
    expect(events).toEqual([
      { userId: 'u1', itemId: 'gear, 20t', type: 'make', weight: 5, value: null, timestamp: Date.UTC(2024, 0, 2) },
      { userId: 'u2', itemId: 'v', type: 'view', weight: 0.5, value: null, timestamp: 1_700_000_000_000 },
    ]);
  });

  it('reads headerless CSV positionally and reports bad rows with line numbers', () => {
    const { events, errors } = run(
      'csv',
      'u1,i1,like,1700000000000\nu1,i2,poke,1\nu1,,view,1\nu2,i3,rating,5,4\nu3,i4,view,yesterday\nu3,i4\n"u5,i5,view,1\nu4,i9,download,1,x',
    );
    expect(events).toEqual([
      { userId: 'u1', itemId: 'i1', type: 'like', weight: 2, value: null, timestamp: 1_700_000_000_000 },
      { userId: 'u2', itemId: 'i3', type: 'rating', weight: 4, value: 4, timestamp: 5000 },
    ]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 5, 6, 7, 8]);
    expect(errors[0]?.message).toMatch(/line 2: unknown event type "poke"; use one of view/);
    expect(errors[5]?.message).toMatch(/bad weight "x"/);
  });

  it('reads TSV and JSON lines', () => {
    expect(run('tsv', 'user\titem\ttype\ttimestamp\na\tb\tcollect\t10').events[0]).toMatchObject({
      type: 'collect',
      weight: 2,
      timestamp: 10_000,
    });
    const { events, errors } = run(
      'jsonl',
      '{"userId":7,"itemId":"x","type":"rating","rating":2.5,"ts":1}\n\n{"user":"a"\n[1]\n{"user":"a","item":"b","type":"view","timestamp":"2024-05-01"}',
    );
    expect(events).toEqual([
      { userId: '7', itemId: 'x', type: 'rating', weight: 2.5, value: 2.5, timestamp: 1000 },
      { userId: 'a', itemId: 'b', type: 'view', weight: 1, value: null, timestamp: Date.UTC(2024, 4, 1) },
    ]);
    expect(errors.map((e) => e.line)).toEqual([3, 4]);
  });

  it('reads MovieLens u.data, ratings.csv and ratings.dat as ratings', () => {
    expect(run('movielens', '196\t242\t3\t881250949').events).toEqual([
      { userId: '196', itemId: '242', type: 'rating', weight: 3, value: 3, timestamp: 881_250_949_000 },
    ]);
    expect(run('movielens', 'userId,movieId,rating,timestamp\n1,31,2.5,1260759144').events[0]).toMatchObject({
      itemId: '31',
      value: 2.5,
      weight: 2.5,
    });
    expect(run('movielens', '1::1193::5::978300760').events[0]).toMatchObject({ itemId: '1193', weight: 5 });
    expect(run('movielens', '1\t2\t3').errors[0]?.message).toMatch(/line 1: expected 4 fields/);
  });

  it('reads HetRec Last.fm play counts as weighted views', () => {
    const { events, errors } = run('lastfm', 'userID\tartistID\tweight\n2\t51\t13883\n2\t52\tmany');
    expect(events).toEqual([
      { userId: '2', itemId: '51', type: 'view', weight: 1 + Math.log(13883), value: 13883, timestamp: 0 },
    ]);
    expect(errors.map((e) => e.line)).toEqual([3]);
  });

  it('splits quoted fields and parses timestamps', () => {
    expect(splitDelimited('a,"b ""c""",d', ',')).toEqual(['a', 'b "c"', 'd']);
    expect(splitDelimited('"a,b', ',')).toBeNull();
    expect(parseTimestamp('881250949')).toBe(881_250_949_000);
    expect(parseTimestamp(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(parseTimestamp('nope')).toBeNull();
  });

  it('reads machine-written ISO-8601 UTC exactly like Date.parse, leaving odd dates to it', () => {
    for (const s of ['2025-08-02T04:25:34.868Z', '2024-02-29T23:59:59Z', '1999-12-31T00:00:00.000Z']) {
      expect(parseIsoUtc(s)).toBe(Date.parse(s));
      expect(parseTimestamp(s)).toBe(Date.parse(s));
    }
    for (const s of ['2025-02-29T00:00:00Z', '2025-04-31T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01T24:00:00Z']) {
      expect(parseIsoUtc(s)).toBeNull();
      expect(parseTimestamp(s)).toBe(Number.isNaN(Date.parse(s)) ? null : Date.parse(s));
    }
    // Other ISO forms still go through the general parser.
    expect(parseIsoUtc('2025-08-02T04:25:34+02:00')).toBeNull();
    expect(parseTimestamp('2025-08-02T04:25:34+02:00')).toBe(Date.parse('2025-08-02T04:25:34+02:00'));
    expect(guessEventFormat('/x/u.data')).toBe('movielens');
    expect(guessEventFormat('e.jsonl')).toBe('jsonl');
    expect(() => createEventCodec('xml' as never)).toThrow(/unknown event format "xml"/);
  });
});
