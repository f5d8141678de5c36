/**
 * EASE + Mult-VAE score ensemble (the "stronger deep model" candidate): per user, both score vectors are
 * standardised over the items and mixed, s = (1 − a)·z(EASE) + a·z(VAE), for a in 0..1. Reports NDCG@10 per mix
 * and a paired test of the best mix against EASE alone on the same users.
 * Usage: npx tsx bench/deep/ensemble.ts [dataset=ml-100k] [protocol=stratified] [seed=1]
 */
import { readFileSync } from 'node:fs';
import { DATASETS } from '../../src/eval/datasets.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { makeSplit, type ProtocolName } from '../../src/eval/splits.js';
import { pairedTest } from '../../src/eval/stats.js';
import { Interactions } from '../../src/models/interactions.js';
import type { Recommender } from '../../src/models/recommender.js';
import { createModel } from '../../src/models/registry.js';
import { rowIndices, rowValues } from '../../src/models/sparse.js';
import { dataPath } from '../../test/data.js';

const [name = 'ml-100k', protocol = 'stratified', seedArg = '1'] = process.argv.slice(2);
const spec = DATASETS[name]!;
const data = Interactions.fromEvents(spec.parse(readFileSync(dataPath(spec.file), 'utf8')), spec.interactions).data;
const seed = Number(seedArg);
const split = makeSplit(protocol as ProtocolName, data, seed);
const ease = createModel('ease');
const vae = createModel('multvae');
await ease.fit(split.train, { seed });
await vae.fit(split.train, { seed });

function z(x: Float32Array): void {
  let s = 0;
  let n = 0;
  for (const v of x) {
    if (!Number.isFinite(v)) continue;
    s += v;
    n++;
  }
  const m = s / n;
  let q = 0;
  for (const v of x) if (Number.isFinite(v)) q += (v - m) ** 2;
  const sd = Math.sqrt(q / n) || 1;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - m) / sd;
}

function mix(a: number): Recommender {
  const both = (items: Int32Array, w: Float32Array, out: Float32Array): void => {
    const e = new Float32Array(out.length);
    const v = new Float32Array(out.length);
    ease.scoreHistory(items, w, e);
    vae.scoreHistory(items, w, v);
    z(e);
    z(v);
    for (let i = 0; i < out.length; i++) out[i] = (1 - a) * e[i]! + a * v[i]!;
  };
  return new Proxy(ease, {
    get(target, prop) {
      if (prop === 'scoreHistory') return both;
      if (prop === 'scoreUser')
        return (u: number, out: Float32Array) =>
          both(rowIndices(split.train.matrix, u), rowValues(split.train.matrix, u), out);
      return Reflect.get(target, prop);
    },
  });
}

const base = evaluate(mix(0), split, { k: 10 });
let best = { a: 0, ndcg: base.means.ndcg, per: base.perUser.ndcg };
for (const a of [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1]) {
  const r = a === 0 ? base : evaluate(mix(a), split, { k: 10 });
  console.log(`a=${a}: NDCG@10 ${r.means.ndcg.toFixed(4)}`);
  if (r.means.ndcg > best.ndcg) best = { a, ndcg: r.means.ndcg, per: r.perUser.ndcg };
}
const t = pairedTest(best.per, base.perUser.ndcg, { seed: 1 });
console.log(
  `best a=${best.a}: ΔNDCG@10 vs EASE ${t.meanDiff.toFixed(4)}, paired t p=${t.pT.toExponential(2)}, randomisation p=${t.pRandom}`,
);
