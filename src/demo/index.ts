/**
 * The generated demo library (`layerwise demo`, and the first `npm start`): procedural printable models in 14
 * families, synthetic users with ground-truth tastes, and their events. `runDemo` generates and ingests in one call.
 */
import type { Config } from '../app/config.js';
import { withStore } from '../app/store.js';
import { type DemoOptions, type DemoSummary, generateDemo } from './generate.js';
import { type DemoIngestOptions, type DemoIngestSummary, ingestDemo } from './ingest-demo.js';

export { buildShape, type ShapeResult } from './build-shape.js';
export { EPOCH_END, EPOCH_START, planCatalog } from './catalog.js';
export { type DemoEvent, userEvents } from './events.js';
export { FAMILIES } from './families/index.js';
export { type Family, TRAITS, type Trait } from './family.js';
export { type DemoOptions, type DemoSummary, generateDemo } from './generate.js';
export { type GroundTruth, type GroundTruthItem, type GroundTruthUser, readGroundTruth } from './ground-truth.js';
export { type DemoIngestSummary, ingestDemo, ingestScaleDemo } from './ingest-demo.js';
export { type DemoInteractions, demoInteractions } from './interactions.js';
export { loadKernel } from './kernel.js';
export { generateScale, type ScaleOptions, type ScaleSummary } from './scale.js';
export { makeUser, type UserTaste } from './tastes.js';

/** Generates the demo library into `options.out` and ingests it into the configured store. */
export async function runDemo(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  options: DemoOptions,
  ingest: DemoIngestOptions = {},
): Promise<{ generated: DemoSummary; ingested: DemoIngestSummary }> {
  const generated = await generateDemo(options);
  const ingested = await withStore(config, (store) =>
    ingestDemo(store, options.out, { thumbnailDir: config.dataDir, ...ingest }),
  );
  return { generated, ingested };
}
