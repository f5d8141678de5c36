/**
 * iALS cost per non-zero per epoch at 64 factors on a store made by bench/scale/run.ts: the native multi-threaded
 * CG kernel against the numpy/scipy reference (bench/scale/ials_cg_reference.py, same arithmetic, batched) on the
 * same CSR in the same job. CPU time = user + sys of all threads (process.cpuUsage / time.process_time).
 *
 *   npx tsx bench/scale/fit.ts /tmp/scale-bench-1000000/data/layerwise.db
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInteractions } from '../../src/app/train/read-events.js';
import { Ials } from '../../src/models/ials.js';
import { backend } from '../../src/nn/backend/index.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const file = process.argv[2]!;
const store = await openSqliteStore(file);
const data = await readInteractions(store);
await store.close();
const m = data.matrix;
const prefix = `/tmp/scale-fit-${process.pid}`;
const raw = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(`${prefix}.indptr`, raw(m.indptr));
writeFileSync(`${prefix}.indices`, raw(m.indices));
writeFileSync(`${prefix}.values`, raw(m.values));

const epochs = 3;
const cpu: number[] = [];
const wall: number[] = [];
let c0 = process.cpuUsage();
let w0 = performance.now();
const model = new Ials({ epochs });
await model.fit(data, {
  seed: 1,
  onEpoch: () => {
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
    wall.push((performance.now() - w0) / 1000);
    c0 = process.cpuUsage();
    w0 = performance.now();
  },
});
// The first epoch's figures include the factor initialisation: report the later ones.
const mean = (a: number[]) => a.slice(1).reduce((x, y) => x + y, 0) / (a.length - 1);
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const py = spawnSync(
  '/usr/bin/python3',
  [join(import.meta.dirname, 'ials_cg_reference.py'), prefix, String(m.rows), String(m.cols), '2'],
  { encoding: 'utf8' },
);
if (py.status !== 0) throw new Error(`reference failed: ${py.stderr}`);
const ref = JSON.parse(py.stdout) as { epochs: { wall: number; cpu: number }[] };
const refCpu = ref.epochs.map((e) => e.cpu);
const refWall = ref.epochs.map((e) => e.wall);
const nnz = data.nnz;
const row = {
  stage: 'ials epoch (64 factors)',
  nnz,
  users: data.nUsers,
  items: data.nItems,
  threads: backend().threads(),
  native: { cpuS: mean(cpu), wallS: mean(wall), cpuUsPerNnz: (mean(cpu) / nnz) * 1e6 },
  numpy: { cpuS: mean(refCpu), wallS: mean(refWall), cpuUsPerNnz: (mean(refCpu) / nnz) * 1e6 },
  load,
  at: new Date().toISOString(),
};
console.log(JSON.stringify(row));
appendFileSync(join(import.meta.dirname, 'results.jsonl'), `${JSON.stringify(row)}\n`);
