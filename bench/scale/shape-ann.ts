/**
 * bench/scale shape-ann: shape search at 1 M items through the serving path (ShapeVectors with the usearch index
 * attached, as `serve` does) against brute force over the same rows. Embedding-like data: unit vectors around 5,000
 * family centres (dim 128, noise σ 0.6 per coordinate before normalising). Measures the index build in a worker
 * thread (usearch, M = 16, ef_construction = 128), mapping the file at a restart, recall@10 of `nearest` against
 * the exact neighbours over sampled items, and per-query latency of both.
 *
 *   npx tsx bench/scale/shape-ann.ts [--n 1000000] [--dim 128] [--queries 1000] [--threads 2] [--ef 128]
 * Appends one JSON line to bench/scale/shape-results.jsonl.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIndexFile } from '../../src/ann/build.js';
import { UsearchIndex } from '../../src/ann/usearch-index.js';
import { ShapeVectors } from '../../src/app/serve/shape-vectors.js';
import { Rng } from '../../src/core/rng.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): number => {
  const i = args.indexOf(`--${name}`);
  return Number(i >= 0 ? args[i + 1] : fallback);
};
const n = flag('n', '1000000');
const dim = flag('dim', '128');
const queries = flag('queries', '1000');
const threads = flag('threads', '2');
const ef = flag('ef', '128');
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

const rng = new Rng(11);
const centres = new Float32Array(5000 * dim).map(() => rng.normal(0, 1));
const plain = new ShapeVectors('bench', dim, n);
const row = new Float32Array(dim);
let t = performance.now();
for (let i = 0; i < n; i++) {
  const c = rng.int(5000) * dim;
  for (let d = 0; d < dim; d++) row[d] = centres[c + d]! + rng.normal(0, 0.6);
  plain.set(i, row);
}
const fillS = (performance.now() - t) / 1000;
console.log(`${n} rows of ${dim} in ${fillS.toFixed(1)} s, RSS ${rssMb().toFixed(0)} MB`);

const dir = mkdtempSync(join(tmpdir(), 'lw-shape-ann-'));
const path = join(dir, 'shapes.usearch');
const options = { dim, connectivity: 16, expansionAdd: 128, expansionSearch: ef };
const { keys, vectors } = plain.rowsPresent();
t = performance.now();
const built = await buildIndexFile({ options, keys, vectors, path, threads });
const buildWallS = (performance.now() - t) / 1000;
console.log(
  `built in ${buildWallS.toFixed(1)} s wall (${threads} threads), ${(statSync(path).size / 2 ** 20).toFixed(0)} MB`,
);

t = performance.now();
const index = new UsearchIndex(options);
index.view(path);
const viewMs = performance.now() - t;
// the same rows with the index attached: what `serve` searches
const ann = new ShapeVectors('bench', dim, n);
for (let i = 0; i < n; i++) ann.set(i, plain.vector(i)!);
ann.attach(index);

const sample = Array.from({ length: queries }, () => rng.int(n));
let found = 0;
let exactMs = 0;
let annMs = 0;
const annLat: number[] = [];
for (const q of sample) {
  let s = performance.now();
  const truth = plain.nearest(q, 10);
  exactMs += performance.now() - s;
  s = performance.now();
  const got = ann.nearest(q, 10);
  const ms = performance.now() - s;
  annMs += ms;
  annLat.push(ms);
  const have = new Set(got.map((h) => h.index));
  found += truth.filter((h) => have.has(h.index)).length;
}
annLat.sort((a, b) => a - b);
const result = {
  stage: 'shape search',
  n,
  dim,
  queries,
  threads,
  ef,
  buildS: built.seconds,
  buildWallS,
  fileMb: statSync(path).size / 2 ** 20,
  viewMs,
  recallAt10: found / (queries * 10),
  annMsPerQuery: annMs / queries,
  annP99Ms: annLat[Math.floor(queries * 0.99)],
  bruteMsPerQuery: exactMs / queries,
  rssMb: rssMb(),
  load: load(),
  at: new Date().toISOString(),
};
console.log(JSON.stringify(result));
appendFileSync(join(import.meta.dirname, 'shape-results.jsonl'), `${JSON.stringify(result)}\n`);
rmSync(dir, { recursive: true, force: true });
