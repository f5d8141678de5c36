/**
 * Loads a named dataset (ML-100K, ml-latest-small) as timestamped interactions for the sequential benchmarks, from
 * ../shared/data in place — or a generated demo library, `demo:<folder>` (the folder `layerwise demo --out` wrote):
 * its events.csv, each (user, item) weighted by the sum of its event weights (view 1 … make 5), time = its latest
 * event.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS } from '../../src/eval/datasets.js';
import type { Split } from '../../src/eval/splits.js';
import { createEventCodec } from '../../src/io/events.js';
import { type InteractionEvent, Interactions } from '../../src/models/interactions.js';
import { dataPath } from '../../test/data.js';

export function loadSequentialDataset(name: string): Interactions {
  if (name.startsWith('demo:')) return loadDemoEvents(name.slice(5));
  const spec = DATASETS[name];
  if (!spec) throw new Error(`unknown dataset ${name}; known: ${Object.keys(DATASETS).join(', ')}, demo:<folder>`);
  return Interactions.fromEvents(spec.parse(readFileSync(dataPath(spec.file), 'utf8')), spec.interactions).data;
}

function loadDemoEvents(dir: string): Interactions {
  const codec = createEventCodec('csv');
  const events: InteractionEvent[] = [];
  readFileSync(join(dir, 'events.csv'), 'utf8')
    .trimEnd()
    .split('\n')
    .forEach((line, i) => {
      const r = codec(line, i + 1);
      if (r.kind === 'error') throw new Error(`events.csv:${i + 1}: ${r.error.message}`);
      if (r.kind === 'event')
        events.push({
          user: r.event.userId,
          item: r.event.itemId,
          value: r.event.weight,
          timestamp: r.event.timestamp,
        });
    });
  return Interactions.fromEvents(events, { values: 'value', combine: 'sum' }).data;
}

/**
 * Positions (in the order evaluate() lists test users: ascending user index) of the test users whose test item is a
 * later step (not the first) of a project they followed, per the demo's ground truth.
 */
export function projectNextSteps(dir: string, data: Interactions, split: Split): number[] {
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as {
    users: Record<string, { projects?: { items: string[] }[] }>;
  };
  const out: number[] = [];
  let n = 0;
  for (let u = 0; u < data.nUsers; u++) {
    const p = split.test.indptr[u]!;
    if (p === split.test.indptr[u + 1]) continue;
    const item = data.items.id(split.test.indices[p]!);
    const followed = truth.users[data.users.id(u)]?.projects ?? [];
    if (followed.some((f) => f.items.indexOf(item) >= 1)) out.push(n);
    n++;
  }
  return out;
}
