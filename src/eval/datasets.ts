/**
 * Public datasets as events: pure parsers of file text (the CLI reads the files) and, per named dataset, the
 * file paths inside the shared data folder and how events become interactions. MovieLens: all ratings relevant
 * (Microsoft Recommenders protocol); Last.fm HetRec: play counts as confidence (log1p).
 */
import { LayerwiseError } from '../core/errors.js';
import type { InteractionEvent, InteractionOptions } from '../models/interactions.js';

export interface DatasetSpec {
  name: string;
  /** Path relative to the shared data folder. */
  file: string;
  parse(text: string): InteractionEvent[];
  interactions: InteractionOptions;
  description: string;
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim().length > 0);
}

function num(s: string | undefined, line: number, what: string): number {
  const v = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(v)) {
    throw new LayerwiseError('parse_error', `line ${line}: ${what} is not a number: ${JSON.stringify(s)}`, {
      details: { line },
    });
  }
  return v;
}

/** MovieLens 100K u.data: user \t item \t rating \t unix time. */
export function parseMovieLens100k(text: string): InteractionEvent[] {
  return lines(text).map((l, n) => {
    const [u, i, r, t] = l.split('\t');
    return { user: u!, item: i!, value: num(r, n + 1, 'rating'), timestamp: num(t, n + 1, 'timestamp') };
  });
}

/**
 * Delimited events: `user,item[,value[,timestamp]]` with comma, tab, `::` or `|` separators; a first line whose
 * value column is not numeric is taken as a header (MovieLens ratings.csv, generic files).
 */
export function parseDelimitedEvents(text: string): InteractionEvent[] {
  const ls = lines(text);
  if (ls.length === 0) return [];
  const first = ls[0]!;
  const sep = first.includes('::')
    ? '::'
    : first.includes('\t')
      ? '\t'
      : first.includes(',')
        ? ','
        : first.includes('|')
          ? '|'
          : /\s+/;
  const split = (l: string): string[] => l.split(sep).map((x) => x.trim());
  const head = split(first);
  const hasHeader =
    head.length >= 3
      ? !Number.isFinite(Number(head[2]))
      : !Number.isFinite(Number(head[0])) && !Number.isFinite(Number(head[1]));
  const out: InteractionEvent[] = [];
  ls.forEach((l, n) => {
    if (n === 0 && hasHeader) return;
    const f = split(l);
    if (f.length < 2)
      throw new LayerwiseError('parse_error', `line ${n + 1}: expected user and item, got ${JSON.stringify(l)}`, {
        details: { line: n + 1 },
      });
    const e: InteractionEvent = { user: f[0]!, item: f[1]! };
    if (f.length >= 3 && f[2] !== '') e.value = num(f[2], n + 1, 'value');
    if (f.length >= 4 && f[3] !== '') e.timestamp = num(f[3], n + 1, 'timestamp');
    out.push(e);
  });
  return out;
}

/** HetRec Last.fm user_artists.dat: user \t artist \t play count (header optional). */
export function parseLastfm(text: string): InteractionEvent[] {
  return parseDelimitedEvents(text);
}

export const DATASETS: Readonly<Record<string, DatasetSpec>> = {
  'ml-100k': {
    name: 'ml-100k',
    file: 'movielens-100k/u.data',
    parse: parseMovieLens100k,
    interactions: { values: 'all' },
    description: 'MovieLens 100K, 943 users × 1,682 items, all ratings relevant',
  },
  'ml-latest-small': {
    name: 'ml-latest-small',
    file: 'movielens-latest-small/ml-latest-small/ratings.csv',
    parse: parseDelimitedEvents,
    interactions: { values: 'all' },
    description: 'MovieLens latest-small, 610 users × 9,724 items, all ratings relevant',
  },
  lastfm: {
    name: 'lastfm',
    file: 'lastfm-hetrec2011-2k/user_artists.dat',
    parse: parseLastfm,
    interactions: { values: 'value', transform: 'log1p' },
    description: 'HetRec 2011 Last.fm, 1,892 users × 17,632 artists, log(1 + plays) as confidence',
  },
};

/** The spec of a named dataset, or a generic spec for a path (delimited events; values kept as given or all 1). */
export function datasetSpec(nameOrPath: string): DatasetSpec {
  const named = DATASETS[nameOrPath];
  if (named) return named;
  return {
    name: nameOrPath,
    file: nameOrPath,
    parse: parseDelimitedEvents,
    interactions: { values: 'all' },
    description: `events from ${nameOrPath}`,
  };
}
