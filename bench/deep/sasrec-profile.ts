/**
 * Where a SASRec training epoch spends its time: trains `epochs` epochs (default 1) of the registry's SASRec on a
 * dataset's leave-one-out training part on one BLAS thread, under a V8 CPU profile, and prints the functions with
 * the most self time (JavaScript functions by name and file; native BLAS/kernel time shows as the JS function
 * that called the addon, and garbage collection as "(garbage collector)").
 * Usage:
 *   LAYERWISE_SHARED_DATA=../shared/data npx tsx bench/deep/sasrec-profile.ts [dataset=ml-100k] [epochs=1] \
 *     [batches=0 (all)] [--top 25]
 */
import { Session } from 'node:inspector/promises';

process.env.LAYERWISE_THREADS = '1';
const { makeSplit } = await import('../../src/eval/splits.js');
const { Sasrec } = await import('../../src/models/sasrec.js');
const { loadSequentialDataset } = await import('./sequential-data.js');

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
const [dataset = 'ml-100k', epochsArg = '1'] = args;
const data = loadSequentialDataset(dataset);
const split = makeSplit('loo', data, 1);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
await session.post('Profiler.start');
const c0 = process.cpuUsage();
const t0 = performance.now();
await new Sasrec({ epochs: Number(epochsArg) }).fit(split.train, {
  seed: 1,
  onEpoch: (e, i) => console.error(`epoch ${e}: loss ${i.loss?.toFixed(4)} in ${i.seconds.toFixed(1)} s`),
});
const cpu = process.cpuUsage(c0);
const wall = (performance.now() - t0) / 1000;
const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[] } };
session.disconnect();

const self = new Map<string, number>();
let total = 0;
for (const n of profile.nodes) {
  const hits = n.hitCount ?? 0;
  if (hits === 0) continue;
  const f = n.callFrame;
  const file = f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/');
  const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
  self.set(key, (self.get(key) ?? 0) + hits);
  total += hits;
}
console.log(
  `${dataset}: ${epochsArg} epoch(s), wall ${wall.toFixed(1)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; self time by function (${total} samples):`,
);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
