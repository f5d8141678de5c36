/**
 * Writes the leave-one-out split of a dataset as ordered sequences so bench/deep/sasrec_reference.py trains and
 * scores on exactly the data the TypeScript harness uses. Usage:
 *   npx tsx bench/deep/export-sequences.ts [dataset=ml-100k] [outDir=/tmp/lw-seq]
 * Writes outDir/train.txt (line u: user u's training item indices, oldest first), outDir/test.csv (user,item: the
 * held-out last event) and outDir/shape.txt (users items).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSplit } from '../../src/eval/splits.js';
import { userSequence } from '../../src/models/sequential.js';
import { loadSequentialDataset } from './sequential-data.js';

const [name = 'ml-100k', outDir = '/tmp/lw-seq'] = process.argv.slice(2);
const data = loadSequentialDataset(name);
const split = makeSplit('loo', data, 1);
const lines: string[] = [];
for (let u = 0; u < data.nUsers; u++) lines.push(Array.from(userSequence(split.train, u)).join(' '));
const test: string[] = [];
for (let u = 0; u < data.nUsers; u++)
  for (let p = split.test.indptr[u]!; p < split.test.indptr[u + 1]!; p++) test.push(`${u},${split.test.indices[p]}`);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'train.txt'), `${lines.join('\n')}\n`);
writeFileSync(join(outDir, 'test.csv'), `${test.join('\n')}\n`);
writeFileSync(join(outDir, 'shape.txt'), `${data.nUsers} ${data.nItems}\n`);
console.log(`${name} loo: ${split.train.nnz} train events, ${test.length} test users → ${outDir}`);
