/**
 * Cold-start items: the `cold-items` protocol (20 % of items held out with all their events; test users keep their
 * other items for training) on (a) ml-latest-small with genres, year, title words and tags as item content and
 * (b) the generated demo library (src/app/demo, ground-truth tastes) with family and trait content. Two rankings:
 *   cold    — among the held-out items only (the strict cold-start test: which new item will this user like?);
 *   all     — among every item the user has not seen (new items compete with the established ones).
 * Models: pop (training popularity; cold items all tie at 0), ials (no content), content (cosine of the item's content
 * with the mean content of the user's training items), hybrid (iALS + content tower, src/models/hybrid.ts).
 * (c) the demo library generated with meshes, content = shape embeddings (± listing tags).
 * Usage: npx tsx bench/deep/cold-start.ts [ml|demo|mesh|both] [seeds=2]; paste the tables into bench/QUALITY.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topK } from '../../src/core/math.js';
import { hashString, Rng } from '../../src/core/rng.js';
import { TRAITS } from '../../src/demo/family.js';
import { demoInteractions, generateDemo } from '../../src/demo/index.js';
import { DATASETS } from '../../src/eval/datasets.js';
import { auc, ndcgAtK, recallAtK } from '../../src/eval/metrics.js';
import { makeSplit, type Split } from '../../src/eval/splits.js';
import { DEFAULT_EVENT_WEIGHTS } from '../../src/io/events-row.js';
import { parseMesh } from '../../src/io/parse.js';
import { Interactions } from '../../src/models/interactions.js';
import type { ItemFeatures, Recommender } from '../../src/models/recommender.js';
import { createModel } from '../../src/models/registry.js';
import { createShapeEncoder } from '../../src/models/shape/registry.js';
import { rowIndices } from '../../src/models/sparse.js';
import { dataPath } from '../../test/data.js';

const which = process.argv[2] ?? 'both';
const nSeeds = Number(process.argv[3] ?? 2);
const K = 20;

/** CSV line → fields (double-quoted fields may hold commas). */
function csvFields(line: string): string[] {
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

function l2(v: Float32Array, from: number, to: number): void {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = from; i < to; i++) v[i] = v[i]! / n;
}

const words = (s: string): string[] => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** ml-latest-small content: genres (multi-hot), decade (one-hot), title words and tags (hashed, 256 each). */
function mlFeatures(): { data: Interactions; features: ItemFeatures } {
  const spec = DATASETS['ml-latest-small']!;
  const data = Interactions.fromEvents(spec.parse(readFileSync(dataPath(spec.file), 'utf8')), spec.interactions).data;
  const dir = 'movielens-latest-small/ml-latest-small';
  const movies = readFileSync(dataPath(dir, 'movies.csv'), 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
  const genres = new Map<string, number>();
  const parsed = movies.map((l) => {
    const [id, title, g] = csvFields(l);
    for (const x of (g ?? '').split('|')) if (!genres.has(x)) genres.set(x, genres.size);
    return { id: id!, title: title ?? '', genres: (g ?? '').split('|') };
  });
  const G = genres.size;
  const DEC = 12;
  const H = 256;
  const dim = G + DEC + 2 * H;
  const rows = new Map<string, Float32Array>();
  for (const m of parsed) {
    const v = new Float32Array(dim);
    for (const g of m.genres) v[genres.get(g)!] = 1;
    const year = Number(m.title.match(/\((\d{4})\)\s*$/)?.[1] ?? Number.NaN);
    if (Number.isFinite(year)) v[G + Math.max(0, Math.min(DEC - 1, Math.floor((year - 1900) / 10)))] = 1;
    for (const w of words(m.title.replace(/\(\d{4}\)\s*$/, ''))) v[G + DEC + (hashString(w) % H)]! += 1;
    l2(v, 0, G);
    l2(v, G + DEC, G + DEC + H);
    rows.set(m.id, v);
  }
  for (const l of readFileSync(dataPath(dir, 'tags.csv'), 'utf8').split(/\r?\n/).slice(1).filter(Boolean)) {
    const [, movie, tag] = csvFields(l);
    const v = rows.get(movie!);
    if (v) for (const w of words(tag ?? '')) v[G + DEC + H + (hashString(w) % H)]! += 1;
  }
  for (const v of rows.values()) l2(v, G + DEC + H, dim);
  return { data, features: { dim, rows } };
}

/** Demo library: family one-hot + trait multi-hot as content; events weighted by type (defaults). */
function demoFeatures(): { data: Interactions; features: ItemFeatures } {
  const demo = demoInteractions({ items: 2000, users: 1500, seed: 7 });
  const data = Interactions.fromEvents(demo.events, { eventWeights: DEFAULT_EVENT_WEIGHTS, transform: 'log1p' }).data;
  const F = demo.families.length;
  const dim = F + TRAITS.length;
  const rows = new Map<string, Float32Array>();
  for (const it of demo.items) {
    const v = new Float32Array(dim);
    v[demo.families.indexOf(it.family)] = 1;
    for (const t of it.traits) v[F + TRAITS.indexOf(t)] = 0.5;
    rows.set(it.id, v);
  }
  return { data, features: { dim, rows } };
}

/**
 * The generated demo library with meshes (`generateDemo`, 400 items × 800 users, seed 7, written to /tmp/lw-demo-cold
 * once): content = the shape embedding of each mesh alone (the training-free `descriptors` encoder), optionally with
 * the listing's tags (hashed), so the rows say what geometry brings without the category label.
 */
async function demoMeshFeatures(withTags: boolean): Promise<{ data: Interactions; features: ItemFeatures }> {
  const dir = '/tmp/lw-demo-cold';
  if (!existsSync(join(dir, 'metadata.jsonl'))) await generateDemo({ out: dir, items: 400, users: 800, seed: 7 });
  const events = readFileSync(join(dir, 'events.csv'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const [user, item, type, time] = l.split(',');
      return { user: user!, item: item!, type: type!, timestamp: Date.parse(time!) };
    });
  const data = Interactions.fromEvents(events, { eventWeights: DEFAULT_EVENT_WEIGHTS, transform: 'log1p' }).data;
  const listings = readFileSync(join(dir, 'metadata.jsonl'), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { path: string; id: string; tags: string[] });
  const enc = createShapeEncoder('descriptors');
  const meshes = listings.map((x) => parseMesh(new Uint8Array(readFileSync(join(dir, x.path)))));
  enc.fit(meshes);
  const H = withTags ? 64 : 0;
  const dim = enc.dim + H;
  const rows = new Map<string, Float32Array>();
  listings.forEach((x, i) => {
    const v = new Float32Array(dim);
    v.set(enc.embed(meshes[i]!));
    l2(v, 0, enc.dim);
    if (withTags) {
      for (const t of x.tags) v[enc.dim + (hashString(t) % H)]! += 1;
      l2(v, enc.dim, dim);
    }
    rows.set(x.id, v);
  });
  return { data, features: { dim, rows } };
}

/** Content baseline: cosine of item content with the mean content of the user's training items. */
function contentScorer(data: Interactions, f: ItemFeatures): (u: number, out: Float32Array) => void {
  const d = f.dim;
  const mat = new Float32Array(data.nItems * d);
  for (let i = 0; i < data.nItems; i++) {
    const r = f.rows.get(data.items.id(i));
    if (r) mat.set(r, i * d);
    l2(mat, i * d, (i + 1) * d);
  }
  return (u, out) => {
    const p = new Float32Array(d);
    for (const i of data.rowItems(u)) for (let a = 0; a < d; a++) p[a]! += mat[i * d + a]!;
    for (let i = 0; i < data.nItems; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += p[a]! * mat[i * d + a]!;
      out[i] = s;
    }
  };
}

interface Row {
  recallCold: number;
  ndcgCold: number;
  aucCold: number;
  recallAll: number;
  fit: number;
}

function score(split: Split, scoreUser: (u: number, out: Float32Array) => void): Omit<Row, 'fit'> {
  const train = split.train;
  const counts = new Float64Array(train.nItems);
  for (const j of train.matrix.indices) counts[j]!++;
  const cold = (i: number): boolean => counts[i] === 0;
  const out = new Float32Array(train.nItems);
  const rng = new Rng(split.seed);
  let rc = 0;
  let nc = 0;
  let ac = 0;
  let ra = 0;
  let n = 0;
  for (let u = 0; u < split.test.rows; u++) {
    const rel = new Set(rowIndices(split.test, u));
    if (rel.size === 0) continue;
    scoreUser(u, out);
    // ties (pop gives every cold item 0) break at random, not by item index (which follows first appearance)
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + 1e-6 * rng.next();
    const seen = new Set(train.rowItems(u));
    const topCold = topK(out, K, (i) => !cold(i) || seen.has(i));
    const topAll = topK(out, K, (i) => seen.has(i));
    rc += recallAtK(topCold, rel, K);
    nc += ndcgAtK(topCold, rel, K);
    ac += auc(out, rel, (i) => cold(i) && !seen.has(i));
    ra += recallAtK(topAll, rel, K);
    n++;
  }
  return { recallCold: rc / n, ndcgCold: nc / n, aucCold: ac / n, recallAll: ra / n };
}

type Loaded = { data: Interactions; features: ItemFeatures };

async function run(name: string, load: () => Loaded | Promise<Loaded>): Promise<void> {
  const { data, features } = await load();
  console.log(
    `\n${name}: ${data.nUsers} users × ${data.nItems} items, ${data.nnz} interactions, content dim ${features.dim}`,
  );
  const rows = new Map<string, Row[]>();
  const add = (m: string, r: Row): void => {
    rows.set(m, [...(rows.get(m) ?? []), r]);
  };
  for (let seed = 1; seed <= nSeeds; seed++) {
    const split = makeSplit('cold-items', data, seed);
    for (const kind of ['pop', 'ials', 'hybrid']) {
      const m: Recommender = createModel(kind);
      const rep = await m.fit(split.train, { seed, itemFeatures: features });
      add(kind, { ...score(split, (u, o) => m.scoreUser(u, o)), fit: rep.seconds });
    }
    const t0 = performance.now();
    const content = contentScorer(split.train, features);
    add('content', { ...score(split, content), fit: (performance.now() - t0) / 1000 });
  }
  console.log(`| model | R@${K} cold | NDCG@${K} cold | AUC cold | R@${K} all items | fit s |`);
  console.log('|---|---|---|---|---|---|');
  for (const [m, rs] of rows) {
    const mean = (k: keyof Row): string => (rs.reduce((s, r) => s + r[k], 0) / rs.length).toFixed(3);
    const fit = (rs.reduce((s, r) => s + r.fit, 0) / rs.length).toFixed(1);
    console.log(
      `| ${m} | ${mean('recallCold')} | ${mean('ndcgCold')} | ${mean('aucCold')} | ${mean('recallAll')} | ${fit} |`,
    );
  }
}

if (which === 'ml' || which === 'both') await run('ml-latest-small (genres, decade, title words, tags)', mlFeatures);
if (which === 'demo' || which === 'both') await run('demo library (family + traits)', demoFeatures);
if (which === 'mesh' || which === 'both') {
  await run('demo library with meshes (shape embedding only)', () => demoMeshFeatures(false));
  await run('demo library with meshes (shape embedding + tags)', () => demoMeshFeatures(true));
}
