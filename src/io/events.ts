/**
 * Pure row codecs for interaction-event files (no I/O: callers stream lines in). A codec turns one text line into
 * an event, a skip (blank line, header) or a `parse_error` naming the line, so a bad row never stops an import.
 * Formats: csv / tsv (header optional: user,item,type,timestamp[,weight]), jsonl, movielens (u.data, ratings.csv,
 * ratings.dat) and lastfm (HetRec user_artists.dat: user, artist, play count). Ratings keep their raw value in
 * `value` and are mapped to an implicit-feedback `weight`.
 */
import { LayerwiseError } from '../core/errors.js';
import { createDelimitedCodec } from './events-delimited.js';
import { createJsonlCodec, createLastfmCodec, createMovielensCodec } from './events-formats.js';
import { type EventCodecOptions, type EventRowCodec, resolveCodecOptions } from './events-row.js';

export {
  buildEvent,
  DEFAULT_EVENT_WEIGHTS,
  type DecodedEvent,
  EVENT_KINDS,
  type EventCodecOptions,
  type EventKind,
  type EventRowCodec,
  parseEventType,
  parseTimestamp,
  type RowResult,
} from './events-row.js';

export const EVENT_FORMATS = ['csv', 'tsv', 'jsonl', 'movielens', 'lastfm'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

/** The row codec for a format. */
export function createEventCodec(format: EventFormat, options: EventCodecOptions = {}): EventRowCodec {
  const o = resolveCodecOptions(options);
  switch (format) {
    case 'csv':
      return createDelimitedCodec(o, ',');
    case 'tsv':
      return createDelimitedCodec(o, '\t');
    case 'jsonl':
      return createJsonlCodec(o);
    case 'movielens':
      return createMovielensCodec(o);
    case 'lastfm':
      return createLastfmCodec(o);
    default:
      throw new LayerwiseError(
        'invalid_argument',
        `unknown event format ${JSON.stringify(format)}; use one of ${EVENT_FORMATS.join(', ')}`,
      );
  }
}

/** Guesses the format from a file name (`.jsonl`, `.tsv`, `u.data` …); csv otherwise. */
export function guessEventFormat(fileName: string): EventFormat {
  const n = fileName.toLowerCase();
  if (n.endsWith('.jsonl') || n.endsWith('.ndjson')) return 'jsonl';
  if (n.endsWith('u.data') || n.endsWith('ratings.dat')) return 'movielens';
  if (n.endsWith('user_artists.dat')) return 'lastfm';
  if (n.endsWith('.tsv') || n.endsWith('.tab')) return 'tsv';
  return 'csv';
}
