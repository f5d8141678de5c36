/**
 * Content-aware recommendation, measured: the content-aware models — `hybrid` (iALS + calibrated content tower) and
 * `twotower` (content + id item tower, history user tower, sampled softmax) — against
 * behaviour-only models (pop, iALS, EASE) and the content-only baseline (`content`) under three protocols —
 *   warm      `random` per-user hold-out (every test item has training events);
 *   cold      `cold-items`: 20 % of items held out with all their events; R/NDCG rank the held-out items only,
 *             R-all/NDCG-all rank them among every unseen item (src/eval/evaluate.ts);
 *   new-user  `strong`: 20 % of users held out, scored by fold-in of 80 % of their history.
 * Datasets: (a) the generated demo library with meshes (`generateDemo`, ground-truth tastes) with item features built
 * by buildItemFeatures from the listing (title, tags, category, creator, remix lineage), printability (bbox,
 * overhang share, watertight) and the training-free `descriptors` shape encoder; (b) ml-latest-small with genres,
 * decade, title words and tags; (c) Last.fm with artist-name words. NDCG@10 and R@20 with 95 % bootstrap CIs over
 * users (bounds averaged over seeds, as runExperiment reports them), means over seeds, and paired t-tests (first
 * seed's users) of each model against the best behaviour-only model.
 * Usage: npx tsx bench/deep/cold-start.ts <mesh|mesh-shape|ml|lastfm> [seeds=2] [protocols=cold,warm,new-user]
 *        [models=pop,ials,ease,content,hybrid,twotower] (a subset runs only those, e.g. `twotower,hybrid`; the paired
 *        test is then against the best behaviour-only model present, or the first model when none is)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDemo } from '../../src/demo/index.js';
import { DATASET_CONTENT } from '../../src/eval/content.js';
import { DATASETS } from '../../src/eval/datasets.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { makeSplit, type ProtocolName } from '../../src/eval/splits.js';
import { bootstrapCi, meanOf, pairedTest } from '../../src/eval/stats.js';
import { analyzeMesh } from '../../src/geometry/analyze.js';
import { DEFAULT_EVENT_WEIGHTS } from '../../src/io/events-row.js';
import { parseMesh } from '../../src/io/parse.js';
import { buildItemFeatures, type FeatureBlockName, type ItemContent } from '../../src/models/content.js';
import { Interactions } from '../../src/models/interactions.js';
import type { ItemFeatures } from '../../src/models/recommender.js';
import { createModel } from '../../src/models/registry.js';
import { createShapeEncoder } from '../../src/models/shape/registry.js';
import { dataPath } from '../../test/data.js';

const which = process.argv[2] ?? 'mesh';
const nSeeds = Number(process.argv[3] ?? 2);
const protocols = (process.argv[4] ?? 'cold,warm,new-user').split(',');
const PROTOCOL: Record<string, ProtocolName> = { cold: 'cold-items', warm: 'random', 'new-user': 'strong' };
const BEHAVIOUR = ['pop', 'ials', 'ease'];
const MODELS = (process.argv[5] ?? [...BEHAVIOUR, 'content', 'hybrid', 'twotower'].join(',')).split(',');

type Loaded = { data: Interactions; features: ItemFeatures; note: string };

function events(dir: string): Interactions {
  const rows = readFileSync(join(dir, 'events.csv'), 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
  const evs = rows.map((l) => {
    const [user, item, type, time] = l.split(',');
    return { user: user!, item: item!, type: type!, timestamp: Date.parse(time!) };
  });
  return Interactions.fromEvents(evs, { eventWeights: DEFAULT_EVENT_WEIGHTS, transform: 'log1p' }).data;
}

/** The demo library with meshes (400 items × 800 users, seed 7, in /tmp/lw-demo-cold), content from the listing. */
async function demoMesh(blocks?: FeatureBlockName[]): Promise<Loaded> {
  const dir = '/tmp/lw-demo-cold';
  if (!existsSync(join(dir, 'metadata.jsonl'))) await generateDemo({ out: dir, items: 400, users: 800, seed: 7 });
  const listings = readFileSync(join(dir, 'metadata.jsonl'), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as {
          path: string;
          id: string;
          title: string;
          tags: string[];
          category: string;
          creator: string;
          remixOf?: string;
        },
    );
  const enc = createShapeEncoder('descriptors');
  const meshes = listings.map((x) => parseMesh(new Uint8Array(readFileSync(join(dir, x.path)))));
  enc.fit(meshes);
  const items: ItemContent[] = listings.map((x, i) => {
    const rep = analyzeMesh(meshes[i]!);
    const it: ItemContent = {
      id: x.id,
      shape: enc.embed(meshes[i]!),
      tokens: [x.title, ...x.tags, x.category],
      print: {
        sizeMm: Math.max(...rep.bboxMm),
        overhangShare: rep.areaMm2 > 0 ? rep.overhangAreaMm2 / rep.areaMm2 : 0,
        watertight: rep.watertight,
      },
      creator: x.creator,
    };
    if (x.remixOf) it.remixOf = x.remixOf;
    return it;
  });
  const features = buildItemFeatures(items, blocks ? { blocks } : {});
  const names = (features.blocks ?? []).map((b) => `${b.name} ${b.dim}`).join(', ');
  return { data: events(dir), features, note: `demo library with meshes; content: ${names}` };
}

function publicSet(name: string): Loaded {
  const spec = DATASETS[name]!;
  const content = DATASET_CONTENT[name]!;
  const data = Interactions.fromEvents(spec.parse(readFileSync(dataPath(spec.file), 'utf8')), spec.interactions).data;
  const items = content.parse(content.files.map((f) => readFileSync(dataPath(f), 'latin1')));
  const features = buildItemFeatures(items, { blocks: ['tags'], tokenBuckets: 512 });
  return { data, features, note: `${name}; content: ${content.description} (hashed, 512 buckets)` };
}

interface Cell {
  /** Per-user values of the first seed, for paired tests. */
  first: Record<string, Float64Array>;
  means: Record<string, number[]>;
  /** Bootstrap CI bounds per seed (averaged in the table, as runExperiment does). */
  lo: Record<string, number[]>;
  hi: Record<string, number[]>;
  fit: number[];
}

const METRICS: [string, 10 | 20, 'ndcg' | 'recall' | 'recallAll' | 'ndcgAll'][] = [
  ['NDCG@10', 10, 'ndcg'],
  ['R@20', 20, 'recall'],
  ['NDCG@10 all', 10, 'ndcgAll'],
  ['R@20 all', 20, 'recallAll'],
];

async function run(loaded: Loaded, protocol: ProtocolName, models: string[]): Promise<void> {
  const { data, features } = loaded;
  const cells = new Map<string, Cell>();
  for (let seed = 1; seed <= nSeeds; seed++) {
    const split = makeSplit(protocol, data, seed);
    for (const kind of models) {
      const m = createModel(kind);
      const rep = await m.fit(split.train, { seed, itemFeatures: features });
      const e10 = evaluate(m, split, { k: 10, auc: false });
      const e20 = evaluate(m, split, { k: 20, auc: false });
      const c = cells.get(kind) ?? { first: {}, means: {}, lo: {}, hi: {}, fit: [] };
      for (const [label, k, metric] of METRICS) {
        const e = k === 10 ? e10 : e20;
        if (seed === 1) c.first[label] = e.perUser[metric];
        (c.means[label] ??= []).push(e.means[metric]);
        const ci = bootstrapCi(e.perUser[metric], { seed });
        (c.lo[label] ??= []).push(ci.lo);
        (c.hi[label] ??= []).push(ci.hi);
      }
      c.fit.push(rep.seconds);
      cells.set(kind, c);
      console.error(
        `${protocol} seed ${seed} ${kind}: fit ${rep.seconds.toFixed(1)} s, R@20 ${e20.means.recall.toFixed(3)}`,
      );
    }
  }
  const cold = protocol === 'cold-items';
  const shown = cold ? METRICS : METRICS.slice(0, 2);
  const present = BEHAVIOUR.filter((k) => cells.has(k));
  const bestBehaviour = (present.length > 0 ? present : [models[0]!]).reduce((a, b) =>
    meanOf(cells.get(b)!.means['R@20']!) > meanOf(cells.get(a)!.means['R@20']!) ? b : a,
  );
  console.log(
    `\n${loaded.note} — protocol ${protocol}, seeds 1–${nSeeds}, ${data.nUsers} users × ${data.nItems} items`,
  );
  console.log(
    `| model | ${shown.map(([l]) => `${l} [95 % CI]`).join(' | ')} | R@20 vs ${bestBehaviour}: diff, p | R@20 vs hybrid | fit s |`,
  );
  console.log(`|---|${shown.map(() => '---').join('|')}|---|---|---|`);
  for (const [kind, c] of cells) {
    const cols = shown.map(
      ([l]) => `${meanOf(c.means[l]!).toFixed(3)} [${meanOf(c.lo[l]!).toFixed(3)}, ${meanOf(c.hi[l]!).toFixed(3)}]`,
    );
    const test = kind !== bestBehaviour ? paired(c, cells.get(bestBehaviour)!) : '—';
    const vsHybrid = kind !== 'hybrid' && cells.has('hybrid') ? paired(c, cells.get('hybrid')!) : '—';
    console.log(`| ${kind} | ${cols.join(' | ')} | ${test} | ${vsHybrid} | ${meanOf(c.fit).toFixed(1)} |`);
  }
  for (const kind of ['hybrid', 'twotower'].filter((k) => cold && cells.has(k))) {
    const h = cells.get(kind)!;
    const ratio = meanOf(h.means['R@20 all']!) / meanOf(h.means['R@20']!);
    console.log(`${kind} R@20 all / R@20 cold-only = ${ratio.toFixed(2)} (target ≥ 0.50)`);
  }
}

/** Paired t-test of R@20 over the first seed's users: mean difference and p. */
function paired(a: Cell, b: Cell): string {
  const t = pairedTest(a.first['R@20']!, b.first['R@20']!, { seed: 1 });
  return `${t.meanDiff >= 0 ? '+' : ''}${t.meanDiff.toFixed(3)}, p=${t.pT < 0.001 ? '<0.001' : t.pT.toFixed(3)}`;
}

const loaders: Record<string, () => Loaded | Promise<Loaded>> = {
  mesh: () => demoMesh(),
  'mesh-shape': () => demoMesh(['shape']),
  ml: () => publicSet('ml-latest-small'),
  lastfm: () => publicSet('lastfm'),
};
const loaded = await loaders[which]!();
const heavy = loaded.data.nItems > 12000; // EASE inverts an items × items matrix: skipped on Last.fm (17.6k)
for (const p of protocols) {
  const models = MODELS.filter((k) => !(heavy && k === 'ease'));
  await run(loaded, PROTOCOL[p]!, models);
}
