/**
 * CSV / TSV event rows: RFC-4180 quoting within one line; an optional header naming the columns (user, item, type,
 * timestamp, weight, rating/value, with common aliases) — without one, columns are user,item,type,timestamp[,weight].
 */
import { buildEvent, type EventRowCodec, type ResolvedCodecOptions, rowError } from './events-row.js';

const COLUMN_ALIASES: Record<string, 'user' | 'item' | 'type' | 'timestamp' | 'weight' | 'value'> = {
  user: 'user',
  user_id: 'user',
  userid: 'user',
  item: 'item',
  item_id: 'item',
  itemid: 'item',
  model: 'item',
  model_id: 'item',
  type: 'type',
  event: 'type',
  event_type: 'type',
  action: 'type',
  timestamp: 'timestamp',
  ts: 'timestamp',
  time: 'timestamp',
  date: 'timestamp',
  weight: 'weight',
  rating: 'value',
  value: 'value',
  score: 'value',
};

type Field = (typeof COLUMN_ALIASES)[string];
const POSITIONAL: Field[] = ['user', 'item', 'type', 'timestamp', 'weight'];

/** Splits one delimited line; returns null on an unterminated quote. */
export function splitDelimited(line: string, sep: string): string[] | null {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let cur = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
    i++;
  }
  if (quoted) return null;
  out.push(cur);
  return out;
}

export function createDelimitedCodec(o: ResolvedCodecOptions, sep: string): EventRowCodec {
  let columns: (Field | null)[] | null = null;
  let first = true;
  return (text, line) => {
    const raw = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (raw.trim() === '' || raw.startsWith('#')) return { kind: 'skip' };
    const fields = splitDelimited(raw, sep);
    if (!fields) return rowError(line, 'unterminated quoted field');
    if (first) {
      first = false;
      const mapped = fields.map((f) => COLUMN_ALIASES[f.trim().toLowerCase()] ?? null);
      if (mapped.includes('user') && mapped.includes('item')) {
        columns = mapped;
        return { kind: 'skip' };
      }
    }
    const cols = columns ?? POSITIONAL;
    if (fields.length < (columns ? cols.filter((c) => c !== null).length : 4) || fields.length > cols.length) {
      const want = columns ? cols.length : '4 or 5 (user,item,type,timestamp[,weight])';
      return rowError(line, `expected ${want} fields, got ${fields.length}`);
    }
    const f: Partial<Record<Field, string>> = {};
    for (let i = 0; i < fields.length; i++) {
      const c = cols[i];
      if (c) f[c] = fields[i];
    }
    return buildEvent(o, line, f);
  };
}
