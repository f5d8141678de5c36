/**
 * Our print-time and filament estimates against PrusaSlicer's on the same parts with matched settings
 * (bench/printability/profile.ini ↔ GENERIC_FDM_SETTINGS). Reads the slices cached by slice.ts, computes our layer
 * features per part, fits the model's coefficients on half of the parts (by name hash) and reports the errors on
 * the held-out half and on all parts, beside the old flow-rate model. Writes bench/printability/table.csv,
 * bench/printability/scatter.svg and its section of bench/RESULTS.md; prints the fitted coefficients as the
 * TypeScript literal for src/geometry/estimate-fdm.ts.
 *
 *   npx tsx bench/printability/run.ts [--scratch DIR] [--no-write] [--coefficients current]
 *
 * `--coefficients current` evaluates the coefficients in estimate-fdm.ts instead of fitting (to check a rerun).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  FDM_COEFFICIENTS,
  type FdmCoefficients,
  type FdmFeatures,
  fdmEstimate,
  fdmFeatures,
  GENERIC_FDM_SETTINGS,
} from '../../src/geometry/estimate-fdm.js';
import { layerProfile } from '../../src/geometry/layers.js';
import { measureMesh } from '../../src/geometry/measures.js';
import { parseMesh } from '../../src/io/parse.js';
import { dot, inFitSet, nnlsRelative } from './fit.js';
import { type Part, sliceKey } from './parts.js';
import { scatterSvg } from './scatter.js';

const args = process.argv.slice(2);
const scratch = args.includes('--scratch') ? args[args.indexOf('--scratch') + 1]! : '/tmp/layerwise-printability';
const write = !args.includes('--no-write');
const useCurrent = args.includes('--coefficients');
const here = new URL('.', import.meta.url).pathname;
const profile = readFileSync(join(here, 'profile.ini'));

interface Row {
  name: string;
  set: string;
  fit: boolean;
  slicerS: number;
  slicerCm3: number;
  layers: number;
  features: FdmFeatures;
  oldS: number;
  oldCm3: number;
  estimateMs: number;
}

const parts: Part[] = JSON.parse(readFileSync(join(scratch, 'parts.json'), 'utf8'));
const rows: Row[] = [];
const failed: string[] = [];
const s = GENERIC_FDM_SETTINGS;
for (const part of parts) {
  const cache = join(scratch, 'slices', `${sliceKey(part.file, profile)}.json`);
  if (!existsSync(cache)) continue;
  const peer = JSON.parse(readFileSync(cache, 'utf8'));
  if (!peer.ok) {
    failed.push(`${part.name}: ${String(peer.error).split('\n')[0]}`);
    continue;
  }
  const mesh = parseMesh(readFileSync(part.file));
  const t0 = performance.now();
  const lp = layerProfile(mesh.positions, mesh.indices, {
    layerHeightMm: s.layerHeightMm,
    firstLayerHeightMm: s.firstLayerHeightMm,
  });
  const features = fdmFeatures(lp, s);
  const estimateMs = performance.now() - t0;
  // The flow-rate model this replaces: printed = shell + 15 % × rest with shell = min(V, 2 × 0.45 mm × area),
  // time = printed ÷ 8 mm³/s (its printer-less defaults).
  const m = measureMesh(mesh.positions, mesh.indices);
  const V = Math.abs(m.signedVolumeMm3);
  const shell = Math.min(V, 2 * 0.45 * m.areaMm2);
  const printed = shell + 0.15 * (V - shell);
  rows.push({
    name: part.name,
    set: part.set,
    fit: inFitSet(part.name),
    slicerS: peer.printSeconds,
    slicerCm3: peer.filamentCm3,
    layers: peer.layers,
    features,
    oldS: printed / 8,
    oldCm3: printed / 1000,
    estimateMs,
  });
}

const timeX = (f: FdmFeatures): number[] => [
  f.externalS,
  f.innerS,
  f.solidS,
  f.sparseS,
  f.firstLayerS,
  f.coolingS,
  f.layers,
];
const volX = (f: FdmFeatures): number[] => [f.shellMm3, f.solidMm3, f.sparseMm3];
const fitRows = rows.filter((r) => r.fit);
let coeffs: FdmCoefficients = FDM_COEFFICIENTS;
if (!useCurrent) {
  const ct = nnlsRelative(
    fitRows.map((r) => timeX(r.features)),
    fitRows.map((r) => r.slicerS),
  );
  const cv = nnlsRelative(
    fitRows.map((r) => volX(r.features)),
    fitRows.map((r) => r.slicerCm3 * 1000),
  );
  const r4 = (x: number): number => Number(x.toPrecision(4));
  coeffs = {
    time: {
      external: r4(ct[0]!),
      inner: r4(ct[1]!),
      solid: r4(ct[2]!),
      sparse: r4(ct[3]!),
      firstLayer: r4(ct[4]!),
      cooling: r4(ct[5]!),
      perLayerS: r4(ct[6]!),
    },
    volume: { shell: r4(cv[0]!), solid: r4(cv[1]!), sparse: r4(cv[2]!) },
  };
}
const ours = rows.map((r) => fdmEstimate(r.features, coeffs));
void dot;

const relErr = (a: number, b: number): number => (a - b) / b;
interface Summary {
  n: number;
  volOk: number;
  timeOk: number;
  bothOk: number;
  volMedian: number;
  timeMedian: number;
}
function summary(idx: number[], time: (i: number) => number, vol: (i: number) => number): Summary {
  const ve = idx.map((i) => Math.abs(relErr(vol(i), rows[i]!.slicerCm3)));
  const te = idx.map((i) => Math.abs(relErr(time(i), rows[i]!.slicerS)));
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return {
    n: idx.length,
    volOk: ve.filter((e) => e <= 0.15).length,
    timeOk: te.filter((e) => e <= 0.25).length,
    bothOk: idx.filter((_, k) => ve[k]! <= 0.15 && te[k]! <= 0.25).length,
    volMedian: med(ve),
    timeMedian: med(te),
  };
}
const all = rows.map((_, i) => i);
const pick = (pred: (r: Row) => boolean): number[] => all.filter((i) => pred(rows[i]!));
const newT = (i: number): number => ours[i]!.seconds;
const newV = (i: number): number => ours[i]!.filamentMm3 / 1000;
const oldT = (i: number): number => rows[i]!.oldS;
const oldV = (i: number): number => rows[i]!.oldCm3;
const pct = (k: number, n: number): string => `${k}/${n} (${((100 * k) / Math.max(1, n)).toFixed(0)} %)`;
const line = (label: string, x: Summary): string =>
  `| ${label} | ${x.n} | ${pct(x.volOk, x.n)} | ${(100 * x.volMedian).toFixed(1)} % | ${pct(x.timeOk, x.n)} | ` +
  `${(100 * x.timeMedian).toFixed(1)} % | ${pct(x.bothOk, x.n)} |`;
const holdout = pick((r) => !r.fit);
const fitIdx = pick((r) => r.fit);
const estMs = rows.map((r) => r.estimateMs).sort((a, b) => a - b);
const slicerSec = parts.length;
void slicerSec;
const table = [
  '<!-- printability:start -->',
  '## Printability estimates against PrusaSlicer (bench/printability)',
  '',
  `Command: \`npx tsx bench/printability/slice.ts --jobs 1\` (slices every part once with PrusaSlicer 2.5 under ` +
    '`bench/printability/profile.ini`, cached under /tmp), then `npx tsx bench/printability/run.ts` — ' +
    `${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0]!.toFixed(1)} on the shared 2-core machine.`,
  `Parts: ${rows.length} (${pick((r) => r.set === 'voron').length} Voron STLs, ${pick((r) => r.set === 'demo').length} ` +
    `demo models)${failed.length ? `; ${failed.length} not sliced: ${failed.join('; ')}` : ''}. Settings matched: ` +
    '0.2 mm layers, 2 perimeters, 4 top / 3 bottom layers, 15 % grid infill, 0.45 mm lines, PrusaSlicer default ' +
    'speeds, no skirt/brim/supports. Targets: filament volume within 15 %, time within 25 %.',
  `Fit: ${useCurrent ? 'coefficients as committed in src/geometry/estimate-fdm.ts (no refit)' : `non-negative least squares on relative error over the ${fitIdx.length} parts whose name hash is even; the other ${holdout.length} are held out`}.`,
  '',
  '| model, parts | n | volume within 15 % | median volume error | time within 25 % | median time error | both |',
  '|---|---|---|---|---|---|---|',
  line('layer model, held-out parts', summary(holdout, newT, newV)),
  line('layer model, fit parts', summary(fitIdx, newT, newV)),
  line(
    'layer model, all Voron',
    summary(
      pick((r) => r.set === 'voron'),
      newT,
      newV,
    ),
  ),
  line(
    'layer model, all demo',
    summary(
      pick((r) => r.set === 'demo'),
      newT,
      newV,
    ),
  ),
  line('layer model, all parts', summary(all, newT, newV)),
  line('old flow-rate model, all parts', summary(all, oldT, oldV)),
  '',
  `Coefficients: \`${JSON.stringify(coeffs)}\` (external and inner perimeter times are nearly collinear, so ` +
    'their split is loose; their sum is what is determined).',
  'Where it misses: parts whose cross-sections carry many bridges and small islands (the Voron-0 hotend mounts: ' +
    'about 20 % under in both filament and time — bridges and gap fill are not modelled) and parts with large ' +
    'gently sloped surfaces (the demo phone stands: about 20 % over — every sloped skin is counted as solid on each ' +
    'layer it spans, a slicer fills only the exposed strip). Loads of 15–26 on 2 cores while slicing: PrusaSlicer ' +
    'timings are not compared, only its outputs.',
  `Our estimate per part (layer slicing + features, parse excluded): median ${estMs[Math.floor(estMs.length / 2)]?.toFixed(1)} ms, ` +
    `max ${estMs[estMs.length - 1]?.toFixed(1)} ms; PrusaSlicer takes seconds per part. Per-part table: ` +
    '`bench/printability/table.csv`; scatter plot: `bench/printability/scatter.svg`.',
  '<!-- printability:end -->',
  '',
].join('\n');
console.log(table);
console.log(`\nexport const FDM_COEFFICIENTS: FdmCoefficients = ${JSON.stringify(coeffs, null, 2)};`);

if (write) {
  const csv = [
    'part,set,split,slicer_s,ours_s,old_s,slicer_cm3,ours_cm3,old_cm3,slicer_layers,our_layers',
    ...rows.map((r, i) =>
      [
        r.name,
        r.set,
        r.fit ? 'fit' : 'holdout',
        r.slicerS,
        newT(i).toFixed(0),
        r.oldS.toFixed(0),
        r.slicerCm3,
        newV(i).toFixed(3),
        r.oldCm3.toFixed(3),
        r.layers,
        r.features.layers,
      ].join(','),
    ),
  ].join('\n');
  writeFileSync(join(here, 'table.csv'), `${csv}\n`);
  writeFileSync(
    join(here, 'scatter.svg'),
    scatterSvg(
      rows.map((r, i) => ({ x: r.slicerS / 60, y: newT(i) / 60, holdout: !r.fit })),
      rows.map((r, i) => ({ x: r.slicerCm3, y: newV(i), holdout: !r.fit })),
    ),
  );
  const file = join(here, '..', 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf('<!-- printability:start -->');
  const b = text.indexOf('<!-- printability:end -->');
  const updated =
    a < 0
      ? `${text.trimEnd()}\n\n${table}`
      : text.slice(0, a) + table.trimEnd() + text.slice(b + '<!-- printability:end -->'.length);
  writeFileSync(file, updated);
}
