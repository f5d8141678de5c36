/**
 * Item content of the public datasets, as ItemContent for buildItemFeatures (src/models/content.ts): pure parsers
 * of file text (the caller reads the files). MovieLens latest-small: genres, decade and title words from
 * movies.csv plus the user tags of tags.csv; MovieLens 100K: genres, decade and title words from u.item; Last.fm
 * HetRec: artist-name words from artists.dat (the shared copy has no user_taggedartists.dat, so no tags).
 */
import { LayerwiseError } from '../core/errors.js';
import type { ItemContent } from '../models/content.js';

/** What a dataset offers as content: files relative to the shared data folder and their parser. */
export interface DatasetContent {
  files: string[];
  /** Texts of `files`, in order. */
  parse(texts: string[]): ItemContent[];
  description: string;
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim().length > 0);
}

/** CSV line → fields (double-quoted fields may hold commas and doubled quotes). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** "Toy Story (1995)" → title words and a decade token ("decade-1990"). */
function titleTokens(title: string): string[] {
  const year = Number(title.match(/\((\d{4})\)\s*$/)?.[1] ?? Number.NaN);
  const out = [title.replace(/\(\d{4}\)\s*$/, '')];
  if (Number.isFinite(year)) out.push(`decade${Math.floor(year / 10) * 10}`);
  return out;
}

/** ml-latest-small: movies.csv (movieId,title,genres) and tags.csv (userId,movieId,tag,timestamp). */
export function parseMovieLensContent(movies: string, tags = ''): ItemContent[] {
  const byId = new Map<string, { id: string; tokens: string[] }>();
  for (const [n, l] of lines(movies).slice(1).entries()) {
    const [id, title, genres] = csvFields(l);
    if (!id || title === undefined)
      throw new LayerwiseError('parse_error', `movies.csv line ${n + 2}: expected movieId,title,genres`);
    const g = (genres ?? '').split('|').filter((x) => x && x !== '(no genres listed)');
    byId.set(id, { id, tokens: [...titleTokens(title), ...g.map((x) => `genre-${x}`)] });
  }
  for (const l of lines(tags).slice(1)) {
    const [, movie, tag] = csvFields(l);
    if (movie && tag) byId.get(movie)?.tokens.push(tag);
  }
  return [...byId.values()];
}

const ML100K_GENRES =
  'unknown action adventure animation children comedy crime documentary drama fantasy filmnoir horror musical mystery romance scifi thriller war western'.split(
    ' ',
  );

/** ml-100k u.item: id|title|date|video date|url|19 genre flags. */
export function parseMovieLens100kContent(items: string): ItemContent[] {
  return lines(items).map((l, n) => {
    const f = l.split('|');
    if (f.length < 24) throw new LayerwiseError('parse_error', `u.item line ${n + 1}: expected 24 fields`);
    const genres = ML100K_GENRES.filter((_, g) => f[5 + g] === '1').map((g) => `genre-${g}`);
    return { id: f[0]!, tokens: [...titleTokens(f[1]!), ...genres] };
  });
}

/** Last.fm artists.dat: id \t name \t url \t picture (header line). */
export function parseLastfmContent(artists: string): ItemContent[] {
  return lines(artists)
    .slice(1)
    .map((l) => {
      const [id, name] = l.split('\t');
      return { id: id!, tokens: [name ?? ''] };
    });
}

export const DATASET_CONTENT: Readonly<Record<string, DatasetContent>> = {
  'ml-latest-small': {
    files: ['movielens-latest-small/ml-latest-small/movies.csv', 'movielens-latest-small/ml-latest-small/tags.csv'],
    parse: ([m, t]) => parseMovieLensContent(m!, t),
    description: 'genres, decade, title words, user tags',
  },
  'ml-100k': {
    files: ['movielens-100k/u.item'],
    parse: ([i]) => parseMovieLens100kContent(i!),
    description: 'genres, decade, title words',
  },
  lastfm: {
    files: ['lastfm-hetrec2011-2k/artists.dat'],
    parse: ([a]) => parseLastfmContent(a!),
    description: 'artist-name words (this copy has no artist tags)',
  },
};
