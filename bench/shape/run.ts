/**
 * Shape benchmark (bench/shape): meshes/s to prepare and embed with each encoder, training seconds per epoch,
 * thumbnail render time, and the ANN table (bench/shape/ann.ts). Writes its section of bench/RESULTS.md with --write.
 *
 *   npx tsx bench/shape/run.ts [--meshes 200] [--vectors 100000] [--queries 1000] [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareShape } from '../../src/geometry/descriptors-features.js';
import { renderThumbnail } from '../../src/geometry/render-thumbnail.js';
import { subdivide } from '../../src/geometry/sample-primitives.js';
import { parseMesh } from '../../src/io/parse.js';
import { createShapeEncoder, PREPARE_OPTIONS, SHAPE_ENCODERS } from '../../src/models/shape/index.js';
import { backendInfo } from '../../src/nn/index.js';
import { dataPath, hasData, repoRoot } from '../../test/data.js';
import { runAnn } from './ann.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const log = (s: string): void => void process.stderr.write(`${s}\n`);

const nMeshes = arg('meshes', 200);
const nVectors = arg('vectors', 100_000);
const nQueries = arg('queries', 1000);
const lines: string[] = [];

if (!hasData('openscad-parametric')) process.exit(0);
const dir = dataPath('openscad-parametric');
const rows = readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
const paths = rows.map((r) => r.split(',')[1]!).filter((p) => p.endsWith('.stl'));
const step = Math.max(1, Math.floor(paths.length / nMeshes));
const meshes = paths
  .filter((_, i) => i % step === 0)
  .slice(0, nMeshes)
  .map((p) => parseMesh(new Uint8Array(readFileSync(join(dir, p)))));
const triangles = meshes.reduce((s, m) => s + m.indices.length / 3, 0);
log(`${meshes.length} meshes, ${triangles} triangles; backend ${JSON.stringify(backendInfo())}`);

// 1. prepare (normalise + sample + all descriptors) and embed
let t = performance.now();
const shapes = meshes.map((m) => prepareShape(m, PREPARE_OPTIONS));
const prepareS = (performance.now() - t) / 1000;
lines.push(
  `Meshes: ${meshes.length} of openscad-parametric (every ${step}th; ${(triangles / meshes.length).toFixed(0)} triangles on average). Backend: ${backendInfo().backend}.`,
  '',
  '| encoder | fit s | epochs | s/epoch | embed ms/mesh (prepared) | meshes/s end to end (prepare + embed) | vs d2 |',
  '|---|---|---|---|---|---|---|',
);
let d2Rate = 0;
for (const name of SHAPE_ENCODERS) {
  const enc = createShapeEncoder(name);
  const fit = enc.fit(shapes, { seed: 1 });
  t = performance.now();
  for (const s of shapes) enc.embedShape(s);
  const embedS = (performance.now() - t) / 1000;
  const rate = shapes.length / (prepareS + embedS);
  if (name === 'd2') d2Rate = rate;
  lines.push(
    `| ${name} | ${fit.seconds.toFixed(1)} | ${fit.epochs} | ${fit.epochs ? (fit.seconds / fit.epochs).toFixed(2) : '—'} | ${((1000 * embedS) / shapes.length).toFixed(1)} | ${rate.toFixed(1)} | ${(rate / d2Rate).toFixed(2)}× |`,
  );
  log(lines.at(-1)!);
}
lines.push(
  '',
  `Prepare (normalise, sample 2,048 points, D2/A3/D3, moments, 7 silhouette views, SH shells, invariants): ${((1000 * prepareS) / shapes.length).toFixed(1)} ms/mesh.`,
);

// 2. thumbnails: a 20k+ triangle mesh
let big: { positions: Float32Array; indices: Uint32Array } = meshes.reduce((a, b) =>
  a.indices.length > b.indices.length ? a : b,
);
while (big.indices.length / 3 < 20_000) big = subdivide(big);
renderThumbnail(big);
t = performance.now();
for (let i = 0; i < 5; i++) renderThumbnail(big);
lines.push(
  `Thumbnail (256×256 PNG, shaded, 2×2 supersampled) of a ${big.indices.length / 3}-triangle mesh: ${((performance.now() - t) / 5).toFixed(1)} ms.`,
  '',
);

// 3. ANN
const ann = runAnn(nVectors, 128, nQueries, log);
const brute = ann[0]!;
lines.push(
  `ANN: ${nVectors.toLocaleString('en')} × 128 clustered unit vectors, ${nQueries} queries, k = 10, one query per call, recall@10 against brute force.`,
  '',
  '| index | build s | QPS | QPS vs brute force | recall@10 |',
  '|---|---|---|---|---|',
  ...ann.map(
    (r) =>
      `| ${r.name} | ${r.buildSeconds.toFixed(1)} | ${r.qps.toFixed(0)} | ${(r.qps / brute.qps).toFixed(1)}× | ${r.recall.toFixed(4)} |`,
  ),
);

const section = [
  '## Shape: embedding, training, thumbnails, ANN (bench/shape)',
  '',
  `Command: \`npx tsx bench/shape/run.ts --meshes ${nMeshes} --vectors ${nVectors} --queries ${nQueries} --write\` · ${new Date().toISOString().slice(0, 16)}Z · Node ${process.version} · shared 2-core machine: compare the ratios.`,
  '',
  ...lines,
  '',
].join('\n');
process.stdout.write(`${section}\n`);
if (process.argv.includes('--write')) {
  const file = join(repoRoot, 'bench', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('<!-- shape:start -->');
  const end = text.indexOf('<!-- shape:end -->');
  if (start < 0 || end < 0)
    throw new Error('bench/RESULTS.md has no <!-- shape:start --> / <!-- shape:end --> markers');
  writeFileSync(file, `${text.slice(0, start + '<!-- shape:start -->'.length)}\n${section}${text.slice(end)}`);
  log('bench/RESULTS.md updated');
}
