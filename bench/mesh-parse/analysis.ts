/**
 * Printability-report throughput over the Voron set: layerwise `analyzeMesh` (full report for a Prusa MK4: weld,
 * topology, volume/area/bbox, overhangs, build-volume fit, mass and time, wall thickness, self-intersections,
 * degenerate faces, best orientation, advice) against manifold-3d (WASM) doing the closest peer work — merge the
 * triangle soup, build and validate a Manifold, read volume, area, genus and bounding box — on the same parsed
 * meshes, interleaved, median of the repetitions. Parsing is not timed there. A second table splits the report's
 * cost by check and sets it beside the rest of the per-file CPU work of `ingest models` (parsing the bytes,
 * rendering the 256 px thumbnail), so the analysis' share of ingest is read off directly. Writes its tables under
 * its own heading in bench/RESULTS.md.
 *
 *   npx tsx bench/mesh-parse/analysis.ts [--reps 7] [--no-write]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Module from 'manifold-3d';
import type { Mesh } from '../../src/core/mesh.js';
import { type AnalyzeOptions, analyzeMesh } from '../../src/geometry/analyze.js';
import { getPrinter } from '../../src/geometry/printers.js';
import { renderThumbnail } from '../../src/geometry/render-thumbnail.js';
import { parseMesh } from '../../src/io/parse.js';
import { dataPath, hasData, repoRoot } from '../../test/data.js';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1]) || 7;
const write = !args.includes('--no-write');

function stlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return stlFiles(p);
    return f.toLowerCase().endsWith('.stl') ? [p] : [];
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (!hasData('voron-stl')) process.exit(0);
const files = stlFiles(dataPath('voron-stl')).map((f) => readFileSync(f));
const meshes: Mesh[] = files.map((b) => parseMesh(b));
const triangles = meshes.reduce((s, m) => s + m.indices.length / 3, 0);
const printer = getPrinter('prusa-mk4');

const wasm = await Module();
wasm.setup();
let peerFailures = 0;
function peer(m: Mesh): void {
  const mesh = new wasm.Mesh({ numProp: 3, vertProperties: m.positions, triVerts: m.indices });
  mesh.merge();
  try {
    const solid = new wasm.Manifold(mesh);
    solid.volume();
    solid.surfaceArea();
    solid.genus();
    solid.boundingBox();
    solid.delete();
  } catch {
    peerFailures++;
  }
}

const pass = (fn: (m: Mesh) => unknown): number => {
  const t = performance.now();
  for (const m of meshes) fn(m);
  return performance.now() - t;
};
pass((m) => analyzeMesh(m, { printer })); // warm-up
pass(peer);
const ours: number[] = [];
const theirs: number[] = [];
for (let r = 0; r < reps; r++) {
  ours.push(pass((m) => analyzeMesh(m, { printer })));
  peerFailures = 0;
  theirs.push(pass(peer));
}
// The machine is shared: our best of 10 more back-to-back passes shows the rate when we get a core to ourselves.
const solo = Math.min(...Array.from({ length: 10 }, () => pass((m) => analyzeMesh(m, { printer }))));

// Cost by check, and the rest of ingest's per-file CPU work on the same files (interleaved, medians).
const off = { thickness: false, intersections: false, orientation: false };
const variants: [string, AnalyzeOptions['checks']][] = [
  ['report without the three costly checks', off],
  ['+ wall thickness only', { ...off, thickness: true }],
  ['+ self-intersections only', { ...off, intersections: true }],
  ['+ best orientation only', { ...off, orientation: true }],
  ['full report (all checks)', {}],
];
const cost = new Map<string, number[]>();
const note = (k: string, ms: number) => cost.set(k, [...(cost.get(k) ?? []), ms]);
for (let r = 0; r < reps; r++) {
  const t = performance.now();
  for (const b of files) parseMesh(b);
  note('parse', performance.now() - t);
  for (const [k, checks] of variants)
    note(
      k,
      pass((m) => analyzeMesh(m, { printer, ...(checks ? { checks } : {}) })),
    );
  note(
    'thumbnail',
    pass((m) => renderThumbnail(m, { size: 256 })),
  );
}
const med = (k: string) => median(cost.get(k)!);
const ingestCpu = med('parse') + med('full report (all checks)') + med('thumbnail');
const load = loadavg()[0]!.toFixed(1);
const oursRate = triangles / (median(ours) / 1000);
const peerRate = triangles / (median(theirs) / 1000);
const reports = meshes.map((m) => analyzeMesh(m, { printer }));
const watertight = reports.filter((r) => r.watertight).length;

const fmt = (x: number) => (x / 1e6).toFixed(2);
const table = [
  `## mesh analysis (printability report)`,
  '',
  `Command: \`npx tsx bench/mesh-parse/analysis.ts --reps ${reps}\` — ${new Date().toISOString().slice(0, 10)}, ` +
    `${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`,
  `Data: ${meshes.length} Voron binary STLs, ${triangles.toLocaleString('en-US')} triangles in all ` +
    `(${watertight} watertight). Parsing not timed; median of ${reps} interleaved passes ` +
    `(best pass in brackets; 1-minute load average ${load} on this shared machine).`,
  '',
  '| implementation | work | ms per pass (best) | M triangles/s (best) | ratio |',
  '|---|---|---|---|---|',
  `| layerwise analyzeMesh | full report for prusa-mk4 | ${median(ours).toFixed(1)} (${Math.min(...ours).toFixed(1)}) | ${fmt(oursRate)} (${fmt(triangles / (Math.min(...ours) / 1000))}) | ${(oursRate / peerRate).toFixed(2)}× |`,
  `| manifold-3d 3.5 (WASM) | merge + Manifold + volume, area, genus, bbox${peerFailures ? ` (${peerFailures} meshes rejected)` : ''} | ${median(theirs).toFixed(1)} (${Math.min(...theirs).toFixed(1)}) | ${fmt(peerRate)} (${fmt(triangles / (Math.min(...theirs) / 1000))}) | 1.00× |`,
  '',
  `layerwise alone, best of 10 back-to-back passes: ${solo.toFixed(1)} ms = ${fmt(triangles / (solo / 1000))} M ` +
    'triangles/s.',
  '',
  `| per-file work of \`ingest models\` on the ${meshes.length} files | ms per pass (median) | ms per file | ` +
    'vs report without the costly checks | share of parse + full report + thumbnail |',
  '|---|---|---|---|---|',
  ...['parse', ...variants.map(([k]) => k), 'thumbnail'].map(
    (k) =>
      `| ${k === 'parse' ? 'parse the bytes' : k === 'thumbnail' ? '256 px thumbnail (render + PNG)' : k} | ` +
      `${med(k).toFixed(1)} | ${(med(k) / meshes.length).toFixed(2)} | ` +
      `${k === 'parse' || k === 'thumbnail' ? '—' : `${(med(k) / med(variants[0]![0])).toFixed(2)}×`} | ` +
      `${k.startsWith('+') || k === variants[0]![0] ? '—' : `${((100 * med(k)) / ingestCpu).toFixed(0)} %`} |`,
  ),
  '',
].join('\n');
console.log(table);

if (write) {
  const file = join(repoRoot, 'bench', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const heading = '## mesh analysis (printability report)';
  const start = text.indexOf(heading);
  let next = start < 0 ? -1 : text.indexOf('\n## ', start + heading.length);
  if (next < 0) next = text.length;
  const updated =
    start < 0 ? `${text.trimEnd()}\n\n${table}` : text.slice(0, start) + table + text.slice(next).replace(/^\n+/, '\n');
  writeFileSync(file, updated);
}
