/**
 * bench/fit: fit seconds of every shallow model on ML-100K and ml-latest-small (all interactions); iALS seconds per
 * epoch and per non-zero at 64 and 256 factors; EASE fit seconds at 5k and 10k items on generated data, beside a
 * NumPy/SciPy EASE (bench/fit/ease_ref.py, Debian /usr/bin/python3) on the same shape in the same run.
 * Usage: npx tsx bench/fit/run.ts [--quick]; paste the printed table under its heading in bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { DATASETS } from '../../src/eval/datasets.js';
import { Interactions } from '../../src/models/interactions.js';
import { createModel } from '../../src/models/registry.js';
import { backendInfo } from '../../src/nn/backend/index.js';
import { dataPath, hasData, repoRoot } from '../../test/data.js';

const quick = process.argv.includes('--quick');
const lines: string[] = [];
const out = (s: string): void => {
  console.log(s);
  lines.push(s);
};

/** Wall and CPU seconds (user + system of this process, native BLAS threads included) of one fit. */
async function timeFit(
  kind: string,
  data: Interactions,
  params: Record<string, unknown> = {},
): Promise<{ wall: number; cpu: number }> {
  const m = createModel(kind, params);
  const c0 = process.cpuUsage();
  const wall = (await m.fit(data, { seed: 1 })).seconds;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}
const ws = (t: { wall: number; cpu: number }): string => `${t.wall.toFixed(2)} / ${t.cpu.toFixed(2)}`;

function load(name: string): Interactions | undefined {
  const ds = DATASETS[name]!;
  if (!hasData(ds.file)) return undefined;
  return Interactions.fromEvents(ds.parse(readFileSync(dataPath(ds.file), 'utf8')), ds.interactions).data;
}

function generated(nItems: number, nUsers: number, perUser: number): Interactions {
  const rng = new Rng(1);
  const w = Array.from({ length: nItems }, (_, i) => 1 / (i + 1) ** 0.8);
  const cdf = new Float64Array(nItems);
  w.reduce((a, x, i) => (cdf[i] = a + x), 0);
  const total = cdf[nItems - 1]!;
  const events = [];
  for (let u = 0; u < nUsers; u++) {
    for (let e = 0; e < perUser; e++) {
      const r = rng.next() * total;
      let lo = 0;
      let hi = nItems - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      events.push({ user: `u${u}`, item: `i${lo}` });
    }
  }
  return Interactions.fromEvents(events, { combine: 'max' }).data;
}

const info = backendInfo();
out(
  `Command: \`npx tsx bench/fit/run.ts${quick ? ' --quick' : ''}\` · ${new Date().toISOString().slice(0, 10)} · Node ${process.version} · compute backend ${info.backend} (${info.threads} threads) · 2 shared cores: compare ratios, not absolutes.`,
);
out('');
out(
  'Fit seconds on all interactions (default hyper-parameters, one fit each), wall / CPU (CPU = user + system of the process, so it is robust to other jobs on the machine):',
);
out('');
out('| model | ML-100K (943 × 1,682, 100k) | ml-latest-small (610 × 9,724, 101k) |');
out('|---|---|---|');
const ml100k = load('ml-100k');
const mlSmall = load('ml-latest-small');
for (const kind of ['pop', 'itemknn', 'userknn', 'p3alpha', 'rp3beta', 'ease', 'ials', 'bpr']) {
  const a = ml100k ? ws(await timeFit(kind, ml100k)) : 'no data';
  const b = mlSmall
    ? ws(await timeFit(kind, mlSmall, kind === 'ease' ? { maxItems: quick ? 2000 : 0 } : {}))
    : 'no data';
  out(`| ${kind} | ${a} | ${b} |`);
}
out('');
if (ml100k) {
  out('iALS (conjugate gradient, 3 steps) on ML-100K, 3 epochs each:');
  out('');
  out('| factors | wall s / epoch | CPU s / epoch | CPU µs / non-zero / epoch |');
  out('|---|---|---|---|');
  for (const f of quick ? [64] : [64, 256]) {
    const t = await timeFit('ials', ml100k, { factors: f, epochs: 3 });
    out(
      `| ${f} | ${(t.wall / 3).toFixed(3)} | ${(t.cpu / 3).toFixed(3)} | ${((t.cpu / 3 / ml100k.nnz) * 1e6).toFixed(2)} |`,
    );
  }
  out('');
}
out(
  'EASE fit on generated data (Zipf-like item popularity, 50 interactions per user), ours vs NumPy/SciPy on the same shape:',
);
out('');
out('| items | users | ours wall / CPU s | NumPy wall / CPU s | ours / NumPy (CPU) |');
out('|---|---|---|---|---|');
for (const n of quick ? [2000] : [5000, 10000]) {
  const users = 2 * n;
  const data = generated(n, users, 50);
  const ours = await timeFit('ease', data, { lambda: 200 });
  let ref = { wall: Number.NaN, cpu: Number.NaN };
  try {
    const r = execFileSync(
      '/usr/bin/python3',
      [join(repoRoot, 'bench/fit/ease_ref.py'), String(n), String(users), '50', '200'],
      {
        encoding: 'utf8',
      },
    );
    const j = JSON.parse(r);
    ref = { wall: j.seconds, cpu: j.cpu };
  } catch (e) {
    console.warn(`NumPy reference failed: ${e instanceof Error ? e.message : e}`);
  }
  out(`| ${n} | ${users} | ${ws(ours)} | ${ws(ref)} | ${(ours.cpu / ref.cpu).toFixed(2)}× |`);
}
