/**
 * bench/scale prebuild-index: builds the active model's serving candidate index into `<data dir>/indexes` on every
 * core, as `layerwise train` does after training — for a store trained by a build whose index form differs (the
 * cosine-reduction form before the inner-product index), so a serving benchmark does not measure a server that is
 * still building its index on one core.
 *
 *   npx tsx bench/scale/prebuild-index.ts --data-dir /path/to/data
 */
import { join, resolve } from 'node:path';
import { CandidateIndexes } from '../../src/app/serve/indexes.js';
import { modelId } from '../../src/app/serve/state.js';
import { openStore } from '../../src/app/store.js';
import { loadRecommender, SERVING_MODEL_NAME } from '../../src/models/registry.js';

const at = process.argv.indexOf('--data-dir');
const dataDir = resolve(at >= 0 ? process.argv[at + 1]! : '.layerwise');
const store = await openStore({ dataDir, databaseUrl: process.env.LAYERWISE_DATABASE_URL ?? null });
const active = await store.getActiveModel(SERVING_MODEL_NAME, { payload: false });
if (active === null) throw new Error(`no active ${SERVING_MODEL_NAME} model in ${dataDir}`);
const artifact = await store.getModel(active.name, active.version, { serving: true });
await store.close();
const model = loadRecommender(artifact!.payload!, { serving: true });
const indexes = new CandidateIndexes({ dir: join(dataDir, 'indexes'), minItems: 0 });
const t0 = performance.now();
const built = await indexes.prebuild(model, model.data.nItems, modelId(active));
console.log(
  `${modelId(active)}: ${model.data.nItems} items, ` +
    (built === null ? 'needs no index' : built === 0 ? 'index file exists' : `index built in ${built.toFixed(1)} s`) +
    ` (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`,
);
