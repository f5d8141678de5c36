/**
 * The sequential benchmark (issue 19): leave-one-out on a dataset ordered by time — each user's last event is the
 * test item, the one before it the validation item (the tuning split of the training part is exactly that), every
 * item ranked, the user's own history excluded. HR@10, NDCG@10 and MRR with per-user bootstrap CIs, and paired
 * tests (t-test and sign-flip randomisation) of every model against the first one listed (SASRec).
 *
 * Usage:
 *   (dataset: ml-100k, ml-latest-small, or demo:<folder> — a library `layerwise demo --out <folder>` wrote)
 *   LAYERWISE_SHARED_DATA=../shared/data npx tsx bench/deep/sequential.ts ml-100k \
 *     'sasrec:{"epochs":20}' markov+ ease+ ials lastknn pop [--trials 8] [--out /tmp/seq-ml-100k.json]
 * A trailing `+` tunes the model on the validation split first (`--trials` random/grid trials of its space).
 * `--against a.json[,b.json…]` adds the rows of earlier runs on the same dataset (paired on the same test users);
 * with no model listed it only prints their table (rows in file order, the first row is the one compared with).
 * Prints a markdown table for bench/QUALITY.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { evaluate } from '../../src/eval/evaluate.js';
import { makeSplit } from '../../src/eval/splits.js';
import { bootstrapCi, pairedTest } from '../../src/eval/stats.js';
import { tune } from '../../src/eval/tune.js';
import { createModel } from '../../src/models/registry.js';
import { loadSequentialDataset, projectNextSteps } from './sequential-data.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1]! : dflt;
};
const trials = Number(flag('--trials', '8'));
const outFlag = flag('--out', '');
const against = flag('--against', '');
const [dataset = 'ml-100k', ...specs] = args;
const out = outFlag || `/tmp/seq-${dataset}.json`;
const data = loadSequentialDataset(dataset);
const split = makeSplit('loo', data, 1);
const log = (s: string): void => console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
log(
  `${dataset}: ${data.nUsers} users, ${data.nItems} items, ${data.nnz} events; ${split.test.indices.length} test users`,
);

interface Row {
  label: string;
  params: Record<string, unknown>;
  fitSeconds: number;
  perUser: { hitRate: Float64Array; ndcg: Float64Array; mrr: Float64Array };
  tuned?: { bestScore: number; trials: number };
}
const rows: Row[] = [];
const defaults = ['sasrec', 'markov+', 'lastknn', 'ease+', 'ials', 'pop'];
for (const spec of specs.length > 0 ? specs : against ? [] : defaults) {
  const colon = spec.indexOf(':');
  let kind = colon >= 0 ? spec.slice(0, colon) : spec;
  let params: Record<string, unknown> = colon >= 0 ? JSON.parse(spec.slice(colon + 1)) : {};
  const doTune = kind.endsWith('+');
  if (doTune) kind = kind.slice(0, -1);
  let tuned: Row['tuned'];
  if (doTune) {
    const t = await tune(kind, split.train, {
      protocol: 'loo',
      trials,
      seconds: 1800,
      fixed: params as Record<string, number | string | boolean>,
      k: 10,
      mode: 'random',
    });
    params = t.best;
    tuned = { bestScore: t.bestScore, trials: t.trials.length };
    log(
      `${kind}: tuned (${t.trials.length} trials, validation NDCG@10 ${t.bestScore.toFixed(4)}) → ${JSON.stringify(params)}`,
    );
  }
  const model = createModel(kind, params);
  const rep = await model.fit(split.train, {
    seed: 1,
    onEpoch: (e, i) => log(`${kind} epoch ${e}: loss ${i.loss?.toFixed(4)} in ${i.seconds.toFixed(1)} s`),
  });
  const r = evaluate(model, split, { k: 10, auc: false });
  log(
    `${kind}: fit ${rep.seconds.toFixed(1)} s, HR@10 ${r.means.hitRate.toFixed(4)}, NDCG@10 ${r.means.ndcg.toFixed(4)}`,
  );
  rows.push({
    label: kind,
    params: { ...model.params },
    fitSeconds: rep.seconds,
    perUser: { hitRate: r.perUser.hitRate, ndcg: r.perUser.ndcg, mrr: r.perUser.mrr },
    ...(tuned ? { tuned } : {}),
  });
}

// rows of an earlier run on the same split (same dataset, leave-one-out is deterministic): paired on the same users
for (const file of against ? against.split(',') : []) {
  for (const r of JSON.parse(readFileSync(file, 'utf8')) as (Omit<Row, 'perUser'> & {
    perUser: Record<string, number[]>;
  })[]) {
    const perUser = {
      hitRate: Float64Array.from(r.perUser.hitRate!),
      ndcg: Float64Array.from(r.perUser.ndcg!),
      mrr: Float64Array.from(r.perUser.mrr!),
    };
    rows.push({ ...r, perUser });
  }
}
const fmt = (x: number): string => x.toFixed(4);
const ci = (v: Float64Array): string => {
  const e = bootstrapCi(v, { samples: 1000, seed: 1 });
  return `${fmt(e.mean)} [${fmt(e.lo)}, ${fmt(e.hi)}]`;
};
/** The markdown table over the test users at `positions` (all when undefined), paired against the first row. */
function table(positions?: readonly number[]): string {
  const pick = (v: Float64Array): Float64Array => (positions ? Float64Array.from(positions, (i) => v[i]!) : v);
  const first = rows[0]!;
  const lines = [
    `| model | HR@10 [95 % CI] | NDCG@10 [95 % CI] | MRR [95 % CI] | Δ NDCG@10 vs ${first.label} (rel.) | paired t p / randomisation p | fit s |`,
    '|---|---|---|---|---|---|---|',
  ];
  const f = pick(first.perUser.ndcg);
  for (const r of rows) {
    const v = pick(r.perUser.ndcg);
    const t = r === first ? undefined : pairedTest(f, v, { seed: 1, samples: 4000 });
    const rel = t ? ((f.reduce((a, b) => a + b, 0) / v.reduce((a, b) => a + b, 0) - 1) * 100).toFixed(1) : '';
    lines.push(
      `| ${r.label}${r.tuned ? ' (tuned)' : ''} | ${ci(pick(r.perUser.hitRate))} | ${ci(v)} | ${ci(pick(r.perUser.mrr))} | ${t ? `${t.meanDiff >= 0 ? '+' : ''}${fmt(t.meanDiff)} (${rel} %)` : '—'} | ${t ? `${t.pT.toExponential(1)} / ${t.pRandom.toExponential(1)}` : '—'} | ${r.fitSeconds.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}
console.log(table());
if (dataset.startsWith('demo:')) {
  const steps = projectNextSteps(dataset.slice(5), data, split);
  console.log(
    `\nProject next steps: the ${steps.length} test users whose test item is step ≥ 2 of a project they followed (ground truth):\n`,
  );
  console.log(table(steps));
}
console.log(`\nparams: ${rows.map((r) => `${r.label} ${JSON.stringify(r.params)}`).join('; ')}`);
writeFileSync(
  out,
  JSON.stringify(
    rows.map((r) => ({
      ...r,
      perUser: Object.fromEntries(Object.entries(r.perUser).map(([k, v]) => [k, Array.from(v)])),
    })),
  ),
);
