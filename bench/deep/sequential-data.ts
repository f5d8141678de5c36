/**
 * Loads a named dataset (ML-100K, ml-latest-small; more as the sequential benchmark grows) as timestamped
 * interactions for the sequential benchmarks, from ../shared/data in place.
 */
import { readFileSync } from 'node:fs';
import { DATASETS } from '../../src/eval/datasets.js';
import { Interactions } from '../../src/models/interactions.js';
import { dataPath } from '../../test/data.js';

export function loadSequentialDataset(name: string): Interactions {
  const spec = DATASETS[name];
  if (!spec) throw new Error(`unknown dataset ${name}; known: ${Object.keys(DATASETS).join(', ')}`);
  return Interactions.fromEvents(spec.parse(readFileSync(dataPath(spec.file), 'utf8')), spec.interactions).data;
}
