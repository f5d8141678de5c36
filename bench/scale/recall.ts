/**
 * bench/scale recall: on a trained scale library, the served model's candidates through the index (MIPS over the
 * iALS factors, built as `serve` builds it) against full scoring — recall of full scoring's top 10 among the
 * retrieved candidates, and the CPU time per history of each path — over users sampled from the store, their
 * histories read as `serve` reads them (recent 1,000 events).
 *
 *   npx tsx bench/scale/recall.ts --data-dir /path/to/data [--users 1000] [--candidates 200]
 * Appends one JSON line to bench/scale/recall-results.jsonl.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadServerConfig } from '../../src/app/config.js';
import { createServices } from '../../src/app/serve/index.js';
import { Rng } from '../../src/core/rng.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dataDir = resolve(flag('data-dir', '.layerwise')!);
const nUsers = Number(flag('users', '1000'));
const candidates = Number(flag('candidates', '200'));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const store = await openSqliteStore(join(dataDir, 'layerwise.db'));
const config = loadServerConfig({ serving: { annMinItems: 0, candidates } }, {});
let t = performance.now();
const services = await createServices(store, config, { dataDir, pollMs: 0, closeStore: false });
const startS = (performance.now() - t) / 1000;
const state = services.state;
const served = state.model!;
t = performance.now();
await state.indexes.ready(served.model);
const indexS = (performance.now() - t) / 1000;
console.log(`${served.ref.id}: services in ${startS.toFixed(1)} s, index ready after ${indexS.toFixed(1)} s more`);

const all: string[] = [];
for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
  const page = await store.listUsers(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
  all.push(...page.items.map((u) => u.id));
  cursor = page.nextCursor ?? undefined;
}
const rng = new Rng(3);
let found = 0;
let total = 0;
let scanMs = 0;
let indexMs = 0;
let n = 0;
for (let k = 0; k < nUsers; k++) {
  const user = await state.histories.get(all[rng.int(all.length)]!);
  const hist = served.historyArrays(user.items);
  if (hist.items.length === 0) continue;
  n++;
  let s = performance.now();
  const exact = served.scan(hist, 10);
  scanMs += performance.now() - s;
  s = performance.now();
  const got = served.candidates(hist, candidates);
  indexMs += performance.now() - s;
  const have = new Set(got.items);
  for (const i of exact.items) found += have.has(i) ? 1 : 0;
  total += exact.count;
}
const row = {
  stage: 'candidate recall',
  model: served.ref.id,
  retriever: served.retriever?.kind ?? 'scan',
  items: state.catalog.size,
  users: n,
  candidates,
  recallAt10: found / total,
  indexBuildS: state.indexes.lastBuildSeconds,
  scanMsPerUser: scanMs / n,
  indexMsPerUser: indexMs / n,
  load: load(),
  at: new Date().toISOString(),
};
console.log(JSON.stringify(row));
appendFileSync(join(import.meta.dirname, 'recall-results.jsonl'), `${JSON.stringify(row)}\n`);
await services.close?.();
await store.close();
