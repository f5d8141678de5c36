/**
 * Binary STL parse throughput over the Voron set: layerwise `parseMesh` vs three.js `STLLoader.parse` in the same
 * run, on the same in-memory buffers, several repetitions (interleaved), median MB/s and the ratio. Also reports
 * ASCII STL (three.js vs ours, on the Voron-0 parts written as ASCII by our writer). Writes its table under its own
 * heading in bench/RESULTS.md.
 *
 *   npx tsx bench/mesh-parse/run.ts [--reps 15] [--no-write]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import { encodeStlAscii } from '../../src/io/encode.js';
import { parseMesh } from '../../src/io/parse.js';
import { dataPath, hasData, repoRoot } from '../../test/data.js';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1]) || 15;
const write = !args.includes('--no-write');

function stlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return stlFiles(p);
    return f.toLowerCase().endsWith('.stl') ? [p] : [];
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Bench {
  name: string;
  ours: number[];
  three: number[];
  bytes: number;
  files: number;
  triangles: number;
}

/** Times one pass of `fn` over all inputs in ms. */
function pass<T>(inputs: T[], fn: (x: T) => unknown): number {
  const t = performance.now();
  for (const x of inputs) fn(x);
  return performance.now() - t;
}

function run(name: string, buffers: Uint8Array[], asThree: (b: Uint8Array) => ArrayBuffer | string): Bench {
  const loader = new STLLoader();
  const threeInputs = buffers.map(asThree);
  let triangles = 0;
  for (const b of buffers) triangles += parseMesh(b).indices.length / 3; // warm-up + count
  for (const x of threeInputs) loader.parse(x);
  const ours: number[] = [];
  const three: number[] = [];
  for (let r = 0; r < reps; r++) {
    // Interleave so both see the same machine load.
    ours.push(pass(buffers, (b) => parseMesh(b)));
    three.push(pass(threeInputs, (x) => loader.parse(x)));
  }
  const bytes = buffers.reduce((a, b) => a + b.length, 0);
  return { name, ours, three, bytes, files: buffers.length, triangles };
}

if (!hasData('voron-stl')) process.exit(0);
const binary = stlFiles(dataPath('voron-stl')).map((f) => new Uint8Array(readFileSync(f)));
const binBench = run('binary STL, Voron set', binary, (b) => b.slice().buffer);
const v0 = stlFiles(dataPath('voron-stl', 'Voron-0'));
const ascii = v0.map((f) => new TextEncoder().encode(encodeStlAscii(parseMesh(readFileSync(f)))));
const dec = new TextDecoder();
const asciiBench = run('ASCII STL, Voron-0 parts via our writer', ascii, (b) => dec.decode(b));

const rows = [binBench, asciiBench].map((b) => {
  const mb = b.bytes / 1e6;
  const rate = (ms: number) => mb / (ms / 1000);
  const o = rate(median(b.ours));
  const t = rate(median(b.three));
  const ob = rate(Math.min(...b.ours));
  const tb = rate(Math.min(...b.three));
  return (
    `| ${b.name} | ${b.files} | ${mb.toFixed(1)} | ${(b.triangles / 1e6).toFixed(2)} | ${o.toFixed(0)} | ` +
    `${t.toFixed(0)} | **${(o / t).toFixed(2)}×** | ${ob.toFixed(0)} / ${tb.toFixed(0)} = ${(ob / tb).toFixed(2)}× |`
  );
});
const section = [
  '## mesh-parse: STL parse throughput (layerwise vs three.js STLLoader)',
  '',
  `Command: \`npx tsx bench/mesh-parse/run.ts --reps ${reps}\` · ${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), shared machine: compare the ratio.`,
  `Same in-memory buffers for both, ${reps} interleaved repetitions after a warm-up, median of the per-pass times (and the fastest pass of each, less sensitive to other load).`,
  '',
  '| input | files | MB | M triangles | layerwise MB/s | three.js MB/s | ratio (medians) | best passes: ours / three.js |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
console.log(section);

if (write) {
  const path = join(repoRoot, 'bench', 'RESULTS.md');
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf('## mesh-parse: STL parse throughput');
  let next = start < 0 ? -1 : doc.indexOf('\n## ', start + 3);
  if (next >= 0) next += 1;
  const updated =
    start < 0
      ? `${doc.trimEnd()}\n\n${section}`
      : doc.slice(0, start) + section + (next < 0 ? '' : `\n${doc.slice(next)}`);
  writeFileSync(path, updated.endsWith('\n') ? updated : `${updated}\n`);
}
