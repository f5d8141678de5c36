/** Event codecs of the fixed dataset formats (MovieLens, HetRec Last.fm) and JSON lines. */
import { buildEvent, type EventRowCodec, parseNumber, type ResolvedCodecOptions, rowError } from './events-row.js';

/** JSON lines: {user|userId|user_id, item|itemId|item_id, type, timestamp|ts|time, weight?, rating|value?}. */
export function createJsonlCodec(o: ResolvedCodecOptions): EventRowCodec {
  return (text, line) => {
    const raw = text.trim();
    if (raw === '') return { kind: 'skip' };
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      return rowError(line, `invalid JSON (${(e as Error).message})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return rowError(line, 'expected a JSON object');
    const r = obj as Record<string, unknown>;
    return buildEvent(o, line, {
      user: r.user ?? r.userId ?? r.user_id,
      item: r.item ?? r.itemId ?? r.item_id,
      type: r.type ?? r.event,
      timestamp: r.timestamp ?? r.ts ?? r.time,
      weight: r.weight,
      value: r.rating ?? r.value,
    });
  };
}

/**
 * MovieLens ratings: `u.data` (tab-separated user, item, rating, unix seconds), `ratings.dat` (`::`), `ratings.csv`
 * (header userId,movieId,rating,timestamp). Every row is a `rating`.
 */
export function createMovielensCodec(o: ResolvedCodecOptions): EventRowCodec {
  return (text, line) => {
    const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (raw.trim() === '') return { kind: 'skip' };
    const fields = raw.includes('\t') ? raw.split('\t') : raw.includes('::') ? raw.split('::') : raw.split(',');
    if (line === 1 && /^user/i.test(fields[0] ?? '')) return { kind: 'skip' };
    if (fields.length !== 4)
      return rowError(line, `expected 4 fields (user, item, rating, timestamp), got ${fields.length}`);
    return buildEvent(o, line, {
      user: fields[0],
      item: fields[1],
      type: 'rating',
      value: fields[2],
      timestamp: fields[3],
    });
  };
}

/**
 * HetRec 2011 Last.fm `user_artists.dat`: user, artist, play count (tab-separated; header optional). Rows become
 * `view` events at time 0 with value = play count and weight = 1 + ln(play count).
 */
export function createLastfmCodec(o: ResolvedCodecOptions): EventRowCodec {
  void o;
  return (text, line) => {
    const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (raw.trim() === '') return { kind: 'skip' };
    const fields = raw.split('\t');
    if (line === 1 && /^user/i.test(fields[0] ?? '')) return { kind: 'skip' };
    if (fields.length !== 3)
      return rowError(line, `expected 3 tab-separated fields (user, artist, plays), got ${fields.length}`);
    const plays = parseNumber(fields[2]);
    if (plays === null || plays < 0) return rowError(line, `bad play count ${JSON.stringify(fields[2])}`);
    return buildEvent(o, line, {
      user: fields[0],
      item: fields[1],
      type: 'view',
      timestamp: 0,
      weight: 1 + Math.log(Math.max(1, plays)),
      value: plays,
    });
  };
}
