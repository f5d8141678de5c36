/**
 * Pure row codecs for catalogue files — metadata-only items, the path a site with an existing catalogue (and
 * `demo --scale`) uses: JSON lines or CSV with a header. Fields: id (required), title, description, tags, category,
 * creator, license, remixOf, createdAt (ISO-8601, unix seconds or ms), and optionally a precomputed printability
 * report (`printability`, a JSON object) and a shape vector (`shape`: numbers, or `{encoder, vector}` in JSONL).
 * A codec turns one line into an item, a skip or a `parse_error` naming the line; a bad row never stops a file.
 */
import { LayerwiseError } from '../core/errors.js';
import { splitDelimited } from './events-delimited.js';
import { parseTimestamp } from './events-row.js';

export const CATALOG_FORMATS = ['jsonl', 'csv'] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];

export interface CatalogRow {
  id: string;
  title?: string | null;
  description?: string | null;
  tags?: string[];
  category?: string | null;
  creator?: string | null;
  license?: string | null;
  remixOf?: string | null;
  createdAt?: number | null;
  /** A precomputed printability report, passed through as given (the caller checks its shape). */
  printability?: Record<string, unknown>;
  /** A precomputed shape vector; `encoder` null means "the encoder named by the caller". */
  shape?: { encoder: string | null; vector: Float32Array };
}

export type CatalogRowResult =
  | { kind: 'item'; item: CatalogRow }
  | { kind: 'skip' }
  | { kind: 'error'; error: LayerwiseError };

export type CatalogRowCodec = (text: string, line: number) => CatalogRowResult;

const ALIASES: Record<string, keyof CatalogRow> = {
  id: 'id',
  item: 'id',
  item_id: 'id',
  itemid: 'id',
  title: 'title',
  name: 'title',
  description: 'description',
  tags: 'tags',
  category: 'category',
  creator: 'creator',
  author: 'creator',
  license: 'license',
  remixof: 'remixOf',
  remix_of: 'remixOf',
  createdat: 'createdAt',
  created_at: 'createdAt',
  printability: 'printability',
  report: 'printability',
  shape: 'shape',
  shape_vector: 'shape',
  shapevector: 'shape',
};

const bad = (line: number, message: string) =>
  new LayerwiseError('parse_error', `line ${line}: ${message}`, { details: { line } });
const fail = (line: number, message: string): CatalogRowResult => ({ kind: 'error', error: bad(line, message) });

function text(v: unknown, line: number, field: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw bad(line, `${field} must be a string, got ${JSON.stringify(v)}`);
}

function vector(v: unknown, line: number): Float32Array {
  const parts = typeof v === 'string' ? v.trim().split(/[\s;|]+/) : v;
  if (!Array.isArray(parts) || parts.length === 0) throw bad(line, 'shape must be a non-empty list of numbers');
  const out = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const x = typeof parts[i] === 'number' ? (parts[i] as number) : Number(parts[i]);
    if (!Number.isFinite(x)) throw bad(line, `shape[${i}] is not a finite number (${JSON.stringify(parts[i])})`);
    out[i] = x;
  }
  return out;
}

/** Builds a row from named raw fields (strings from CSV, any JSON from JSONL). */
export function buildCatalogRow(line: number, f: Partial<Record<keyof CatalogRow, unknown>>): CatalogRowResult {
  try {
    const id = text(f.id, line, 'id')?.trim() ?? '';
    if (id === '') return fail(line, 'missing item id (column id)');
    const item: CatalogRow = { id };
    for (const k of ['title', 'description', 'category', 'creator', 'license', 'remixOf'] as const) {
      if (k in f) item[k] = text(f[k], line, k);
    }
    if (f.tags !== undefined && f.tags !== null && f.tags !== '') {
      const tags = typeof f.tags === 'string' ? f.tags.split(/[|;]/) : f.tags;
      if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))
        return fail(line, `tags must be a list of strings (CSV: separated by | or ;), got ${JSON.stringify(f.tags)}`);
      item.tags = (tags as string[]).map((t) => t.trim()).filter((t) => t !== '');
    } else if ('tags' in f) item.tags = [];
    if (f.createdAt !== undefined && f.createdAt !== null && f.createdAt !== '') {
      const t = parseTimestamp(f.createdAt);
      if (t === null) return fail(line, `bad createdAt ${JSON.stringify(f.createdAt)}; use ISO-8601 or unix time`);
      item.createdAt = t;
    } else if ('createdAt' in f) item.createdAt = null;
    if (f.printability !== undefined && f.printability !== null && f.printability !== '') {
      const p = typeof f.printability === 'string' ? JSON.parse(f.printability) : f.printability;
      if (typeof p !== 'object' || p === null || Array.isArray(p))
        return fail(line, 'printability must be a JSON object (a printability report)');
      item.printability = p as Record<string, unknown>;
    }
    if (f.shape !== undefined && f.shape !== null && f.shape !== '') {
      const s = f.shape;
      if (typeof s === 'object' && !Array.isArray(s)) {
        const o = s as { encoder?: unknown; vector?: unknown };
        item.shape = { encoder: text(o.encoder, line, 'shape.encoder'), vector: vector(o.vector, line) };
      } else item.shape = { encoder: null, vector: vector(s, line) };
    }
    return { kind: 'item', item };
  } catch (e) {
    if (e instanceof LayerwiseError) return { kind: 'error', error: e };
    return fail(line, (e as Error).message);
  }
}

function jsonlCodec(): CatalogRowCodec {
  return (raw, line) => {
    const s = raw.trim();
    if (s === '') return { kind: 'skip' };
    let obj: unknown;
    try {
      obj = JSON.parse(s);
    } catch (e) {
      return fail(line, `invalid JSON (${(e as Error).message})`);
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return fail(line, 'expected a JSON object');
    const f: Partial<Record<keyof CatalogRow, unknown>> = {};
    for (const [k, v] of Object.entries(obj)) {
      const name = ALIASES[k.toLowerCase()];
      if (name) f[name] = v;
    }
    return buildCatalogRow(line, f);
  };
}

function csvCodec(): CatalogRowCodec {
  let columns: (keyof CatalogRow | null)[] | null = null;
  return (raw, line) => {
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (s.trim() === '') return { kind: 'skip' };
    const fields = splitDelimited(s, ',');
    if (!fields) return fail(line, 'unterminated quoted field');
    if (columns === null) {
      const mapped = fields.map((h) => ALIASES[h.trim().toLowerCase()] ?? null);
      if (!mapped.includes('id')) return fail(line, `a CSV catalogue needs a header with an id column, got ${s}`);
      columns = mapped;
      return { kind: 'skip' };
    }
    if (fields.length !== columns.length)
      return fail(line, `expected ${columns.length} fields (as in the header), got ${fields.length}`);
    const f: Partial<Record<keyof CatalogRow, unknown>> = {};
    for (let i = 0; i < fields.length; i++) {
      const c = columns[i];
      if (c) f[c] = fields[i];
    }
    return buildCatalogRow(line, f);
  };
}

export function createCatalogCodec(format: CatalogFormat): CatalogRowCodec {
  if (format === 'jsonl') return jsonlCodec();
  if (format === 'csv') return csvCodec();
  throw new LayerwiseError(
    'invalid_argument',
    `unknown catalogue format ${JSON.stringify(format)}; use one of ${CATALOG_FORMATS.join(', ')}`,
  );
}

/** `.csv` → csv; anything else (`.jsonl`, `.ndjson`, `.json`) → jsonl. */
export function guessCatalogFormat(file: string): CatalogFormat {
  return file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}
