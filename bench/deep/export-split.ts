/**
 * Writes one evaluation split as CSV (user index, item index, value) so bench/deep/reference.py trains on exactly the
 * split the TypeScript harness uses. Usage:
 *   npx tsx bench/deep/export-split.ts [dataset=ml-100k] [protocol=stratified] [seed=1] [outDir=/tmp/lw-split]
 * Writes outDir/train.csv, outDir/test.csv (and fold_in.csv for strong generalisation) and outDir/shape.txt.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS } from '../../src/eval/datasets.js';
import { makeSplit, type ProtocolName } from '../../src/eval/splits.js';
import { Interactions } from '../../src/models/interactions.js';
import type { Csr } from '../../src/models/sparse.js';
import { dataPath } from '../../test/data.js';

const [name = 'ml-100k', protocol = 'stratified', seedArg = '1', outDir = '/tmp/lw-split'] = process.argv.slice(2);
const spec = DATASETS[name];
if (!spec) throw new Error(`unknown dataset ${name}; known: ${Object.keys(DATASETS).join(', ')}`);
const events = spec.parse(readFileSync(dataPath(spec.file), 'utf8'));
const data = Interactions.fromEvents(events, spec.interactions).data;
const split = makeSplit(protocol as ProtocolName, data, Number(seedArg));

function toCsv(m: Csr): string {
  const lines: string[] = [];
  for (let u = 0; u < m.rows; u++)
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) lines.push(`${u},${m.indices[p]},${m.values[p]}`);
  return `${lines.join('\n')}\n`;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'train.csv'), toCsv(split.train.matrix));
writeFileSync(join(outDir, 'test.csv'), toCsv(split.test));
if (split.foldIn) writeFileSync(join(outDir, 'fold_in.csv'), toCsv(split.foldIn));
writeFileSync(join(outDir, 'shape.txt'), `${data.nUsers} ${data.nItems}\n`);
console.log(
  `${name} ${protocol} seed ${seedArg}: ${split.train.nnz} train, ${split.test.indices.length} test → ${outDir}`,
);
