/**
 * Shared pieces of the event row codecs: the decoded row type, event-type aliases, default weights and the
 * field → event rules (timestamps, weights, rating mapping). Pure.
 */
import { LayerwiseError } from '../core/errors.js';

export const EVENT_KINDS = [
  'view',
  'like',
  'download',
  'make',
  'collect',
  'rating',
  'dislike',
  'hide',
  'report',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One decoded row (the same shape as the store's `EventInput`). */
export interface DecodedEvent {
  userId: string;
  itemId: string;
  type: EventKind;
  weight: number;
  value: number | null;
  /** ms since epoch. */
  timestamp: number;
}

export type RowResult =
  | { kind: 'event'; event: DecodedEvent }
  | { kind: 'skip' }
  | { kind: 'error'; error: LayerwiseError };

/** Decodes one line; `line` is 1-based. Codecs are stateful only to remember a header. */
export type EventRowCodec = (text: string, line: number) => RowResult;

export interface EventCodecOptions {
  /** Weight per event type when a row gives none (defaults: DEFAULT_EVENT_WEIGHTS). */
  weights?: Partial<Record<Exclude<EventKind, 'rating'>, number>>;
  /** Highest rating on the scale (default 5): weight = rating / ratingMax × weights.make. */
  ratingMax?: number;
}

/**
 * Implicit-feedback strength of each event type: the view → like → download → make funnel; negative feedback weighs
 * ≤ 0 (a dislike cancels a like; hiding or reporting an item cancels even a make).
 */
export const DEFAULT_EVENT_WEIGHTS: Record<Exclude<EventKind, 'rating'>, number> = {
  view: 1,
  like: 2,
  collect: 2,
  download: 3,
  make: 5,
  dislike: -2,
  hide: -5,
  report: -5,
};

const TYPE_ALIASES: Record<string, EventKind> = {
  view: 'view',
  viewed: 'view',
  click: 'view',
  like: 'like',
  liked: 'like',
  favorite: 'like',
  favourite: 'like',
  download: 'download',
  downloaded: 'download',
  make: 'make',
  made: 'make',
  print: 'make',
  printed: 'make',
  collect: 'collect',
  collected: 'collect',
  rating: 'rating',
  rate: 'rating',
  rated: 'rating',
  dislike: 'dislike',
  disliked: 'dislike',
  thumbs_down: 'dislike',
  hide: 'hide',
  hidden: 'hide',
  not_interested: 'hide',
  report: 'report',
  reported: 'report',
  flag: 'report',
};

export interface ResolvedCodecOptions {
  weights: Record<Exclude<EventKind, 'rating'>, number>;
  ratingMax: number;
}

export function resolveCodecOptions(o: EventCodecOptions = {}): ResolvedCodecOptions {
  const ratingMax = o.ratingMax ?? 5;
  if (!(ratingMax > 0)) throw new LayerwiseError('invalid_argument', `ratingMax must be > 0, got ${ratingMax}`);
  return { weights: { ...DEFAULT_EVENT_WEIGHTS, ...o.weights }, ratingMax };
}

export function rowError(line: number, message: string): RowResult {
  return { kind: 'error', error: new LayerwiseError('parse_error', `line ${line}: ${message}`, { details: { line } }) };
}

export function parseEventType(raw: string): EventKind | null {
  return TYPE_ALIASES[raw.trim().toLowerCase()] ?? null;
}

/** Unix seconds (< 1e11), milliseconds, or an ISO-8601 date → ms since epoch; null when unreadable. */
export function parseTimestamp(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? (Math.abs(raw) < 1e11 ? raw * 1000 : raw) : null;
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (s === '') return null;
  const fast = parseIsoUtc(s);
  if (fast !== null) return fast;
  if (/^-?\d+(\.\d+)?$/.test(s)) return parseTimestamp(Number(s));
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The common machine-written form `YYYY-MM-DDTHH:MM:SS[.sss]Z` without `Date.parse` (a third of the parse cost of a
 * bulk import); anything else — offsets, other precisions, out-of-range fields — returns null for the general path.
 */
export function parseIsoUtc(s: string): number | null {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s.charCodeAt(n - 1) !== 90 /* Z */ || s[10] !== 'T') return null;
  if (s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return null;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  let ms = 0;
  if (n === 24) {
    if (s[19] !== '.') return null;
    ms = digits(s, 20, 3);
  }
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return null;
  if (ms < 0) return null;
  // Impossible dates (31 February) are left to the general parser, so behaviour stays exactly that of Date.parse.
  if (d > 28) {
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
    if (d > days) return null;
  }
  return Date.UTC(y, mo - 1, d, h, mi, se, ms);
}

export function parseNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/**
 * Builds an event from already-split fields, applying the weight rules: an explicit weight wins for non-ratings; a
 * rating's value is its explicit rating/value/weight field and its weight is mapped from it.
 */
export function buildEvent(
  o: ResolvedCodecOptions,
  line: number,
  f: { user?: unknown; item?: unknown; type?: unknown; timestamp?: unknown; weight?: unknown; value?: unknown },
): RowResult {
  const userId = typeof f.user === 'number' ? String(f.user) : typeof f.user === 'string' ? f.user.trim() : '';
  const itemId = typeof f.item === 'number' ? String(f.item) : typeof f.item === 'string' ? f.item.trim() : '';
  if (userId === '') return rowError(line, `missing user id (got ${JSON.stringify(f.user ?? null)})`);
  if (itemId === '') return rowError(line, `missing item id (got ${JSON.stringify(f.item ?? null)})`);
  const type = typeof f.type === 'string' ? parseEventType(f.type) : null;
  if (!type) {
    return rowError(line, `unknown event type ${JSON.stringify(f.type ?? null)}; use one of ${EVENT_KINDS.join(', ')}`);
  }
  const timestamp = parseTimestamp(f.timestamp);
  if (timestamp === null) {
    return rowError(line, `bad timestamp ${JSON.stringify(f.timestamp ?? null)}; use unix seconds, ms or ISO-8601`);
  }
  const weightRaw = f.weight === undefined || f.weight === '' ? null : parseNumber(f.weight);
  if (f.weight !== undefined && f.weight !== '' && weightRaw === null) {
    return rowError(line, `bad weight ${JSON.stringify(f.weight)}; use a finite number`);
  }
  const valueRaw = f.value === undefined || f.value === '' ? null : parseNumber(f.value);
  if (f.value !== undefined && f.value !== '' && valueRaw === null) {
    return rowError(line, `bad rating/value ${JSON.stringify(f.value)}; use a finite number`);
  }
  if (type === 'rating') {
    const rating = valueRaw ?? weightRaw;
    if (rating === null) return rowError(line, 'a rating row needs a rating (weight or rating column)');
    const weight = (rating / o.ratingMax) * o.weights.make;
    return { kind: 'event', event: { userId, itemId, type, weight, value: rating, timestamp } };
  }
  return {
    kind: 'event',
    event: { userId, itemId, type, weight: weightRaw ?? o.weights[type], value: valueRaw, timestamp },
  };
}
