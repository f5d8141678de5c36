/**
 * SASRec training speed against the PyTorch reference of the same network (bench/deep/sasrec_reference.py), same
 * data, same run: for each dataset the TypeScript model and PyTorch train `epochs` epochs each, one after the other,
 * both on one BLAS thread; per-epoch wall and CPU seconds (CPU time is the steadier figure on a shared machine),
 * and NDCG@10 of both after those epochs on the same leave-one-out split (the correctness check: within ±0.01).
 * Usage:
 *   LAYERWISE_SHARED_DATA=../shared/data npx tsx bench/deep/sasrec-speed.ts [epochs=2] [dataset[:negatives] …]
 * e.g. `… 2 ml-100k ml-latest-small:512 demo:/tmp/lw-demo` (a demo library `layerwise demo --out` wrote). Prints a
 * markdown table for bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

process.env.LAYERWISE_THREADS = '1';
const { makeSplit } = await import('../../src/eval/splits.js');
const { evaluate } = await import('../../src/eval/evaluate.js');
const { Sasrec } = await import('../../src/models/sasrec.js');
const { loadSequentialDataset } = await import('./sequential-data.js');

const [epochsArg = '2', ...sets] = process.argv.slice(2);
const epochs = Number(epochsArg);
const here = new URL('.', import.meta.url).pathname;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
for (const set of sets.length > 0 ? sets : ['ml-100k']) {
  // dataset[:negatives]; a demo library is demo:<folder>, so only a trailing number counts as negatives
  const m = /^(.*?)(?::(\d+))?$/.exec(set)!;
  const name = m[1]!;
  const neg = m[2] ?? '0';
  const dir = `/tmp/lw-seq-speed-${name.replace(/[^\w.-]+/g, '_')}`;
  execFileSync('npx', ['tsx', join(here, 'export-sequences.ts'), name, dir], { stdio: 'inherit' });
  const load0 = loadavg()[0]!;
  const data = loadSequentialDataset(name);
  const split = makeSplit('loo', data, 1);
  const wall: number[] = [];
  const cpu: number[] = [];
  let c0 = process.cpuUsage();
  const model = new Sasrec({ epochs, negatives: Number(neg) });
  await model.fit(split.train, {
    seed: 1,
    onEpoch: (_e, info) => {
      const c = process.cpuUsage(c0);
      wall.push(info.seconds);
      cpu.push((c.user + c.system) / 1e6);
      c0 = process.cpuUsage();
    },
  });
  const out = execFileSync(
    '/usr/bin/python3',
    [join(here, 'sasrec_reference.py'), dir, String(epochs), '1', '64', '2', '50', neg],
    {
      encoding: 'utf8',
      // Debian's torch calls the system OpenBLAS (BLAS_INFO=generic), whose threads torch.set_num_threads does not
      // bound: without these PyTorch's GEMMs ran on both cores (CPU time 1.75× its wall time)
      env: { ...process.env, LAYERWISE_THREADS: '1', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    },
  );
  const ref = JSON.parse(out.trim().split('\n').at(-1)!) as {
    secondsPerEpoch: number;
    cpuSecondsPerEpoch: number;
    ndcg10: number;
  };
  const ndcg = evaluate(model, split, { k: 10, auc: false }).means.ndcg;
  const load1 = loadavg()[0]!;
  const tw = median(wall);
  const tc = median(cpu);
  rows.push(
    `| ${name} | ${neg === '0' ? 'full' : `${neg} sampled`} | ${tw.toFixed(1)} / ${tc.toFixed(1)} | ${ref.secondsPerEpoch.toFixed(1)} / ${ref.cpuSecondsPerEpoch.toFixed(1)} | ${(tw / ref.secondsPerEpoch).toFixed(2)}× / ${(tc / ref.cpuSecondsPerEpoch).toFixed(2)}× | ${ndcg.toFixed(4)} / ${ref.ndcg10.toFixed(4)} | ${load0.toFixed(1)} → ${load1.toFixed(1)} |`,
  );
  console.error(rows.at(-1));
}
console.log(
  `| data | softmax | layerwise s/epoch wall / CPU | PyTorch 1.13 s/epoch wall / CPU | ratio wall / CPU | NDCG@10 after ${epochs} epochs, layerwise / PyTorch | load avg |`,
);
console.log('|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
