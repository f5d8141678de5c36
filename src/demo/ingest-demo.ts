/**
 * Loads a generated demo library into the store: model files with their sidecar metadata (`ingestModels`), users
 * with their ground-truth tastes in `attrs`, then events (`ingestEvents`, unknown items rejected). For a scale-mode
 * folder, the metadata-only items are upserted in batches while items.jsonl is streamed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IngestEventsSummary, ingestEvents, readLines } from '../app/ingest/events.js';
import { ingestItemsFile } from '../app/ingest/items.js';
import { type IngestModelsSummary, ingestModels } from '../app/ingest/models.js';
import type { Progress } from '../app/ingest/progress.js';
import type { Store } from '../store/ports.js';

export interface DemoIngestOptions {
  workers?: number;
  /** Data directory for thumbnails rendered at ingest (see IngestModelsOptions.thumbnailDir). */
  thumbnailDir?: string;
  onProgress?: (stage: 'models' | 'items' | 'events', p: Progress) => void;
}

export interface DemoIngestSummary {
  models: Pick<
    IngestModelsSummary,
    'scanned' | 'added' | 'updated' | 'unchanged' | 'failed' | 'errors' | 'seconds'
  > | null;
  items: number;
  users: number;
  events: Pick<IngestEventsSummary, 'scanned' | 'added' | 'duplicates' | 'failed' | 'errors' | 'seconds'>;
}

const BATCH = 5000;

async function upsertUsersFrom(store: Store, users: [string, unknown][]): Promise<number> {
  for (let i = 0; i < users.length; i += BATCH) {
    await store.upsertUsers(users.slice(i, i + BATCH).map(([id, taste]) => ({ id, attrs: { demo: true, taste } })));
  }
  return users.length;
}

async function streamJsonl(file: string, batch: number, fn: (rows: Record<string, unknown>[]) => Promise<void>) {
  let rows: Record<string, unknown>[] = [];
  let count = 0;
  for await (const line of readLines(file)) {
    if (line.trim() === '') continue;
    rows.push(JSON.parse(line) as Record<string, unknown>);
    count++;
    if (rows.length >= batch) {
      await fn(rows);
      rows = [];
    }
  }
  if (rows.length > 0) await fn(rows);
  return count;
}

function pickEvents(s: IngestEventsSummary): DemoIngestSummary['events'] {
  const { scanned, added, duplicates, failed, errors, seconds } = s;
  return { scanned, added, duplicates, failed, errors, seconds };
}

/** Ingests a folder written by `generateDemo`. */
export async function ingestDemo(
  store: Store,
  dir: string,
  options: DemoIngestOptions = {},
): Promise<DemoIngestSummary> {
  const m = await ingestModels(store, [dir], {
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    ...(options.thumbnailDir === undefined ? {} : { thumbnailDir: options.thumbnailDir }),
    onProgress: (p) => options.onProgress?.('models', p),
  });
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as { users: Record<string, unknown> };
  const users = await upsertUsersFrom(store, Object.entries(truth.users));
  const e = await ingestEvents(store, join(dir, 'events.csv'), {
    format: 'csv',
    unknownItems: 'reject',
    onProgress: (p) => options.onProgress?.('events', p),
  });
  const { scanned, added, updated, unchanged, failed, errors, seconds } = m;
  return {
    models: { scanned, added, updated, unchanged, failed, errors, seconds },
    items: added + updated + unchanged,
    users,
    events: pickEvents(e),
  };
}

/** Ingests a folder written by `generateScale`: metadata-only items, users, then events — all streamed. */
export async function ingestScaleDemo(
  store: Store,
  dir: string,
  options: DemoIngestOptions = {},
): Promise<DemoIngestSummary> {
  // The same path a site's own catalogue takes (`layerwise ingest items`).
  const catalogue = await ingestItemsFile(store, join(dir, 'items.jsonl'), {
    onProgress: (p) => options.onProgress?.('items', p),
  });
  const items = catalogue.added + catalogue.updated + catalogue.unchanged;
  const users = await streamJsonl(join(dir, 'users.jsonl'), BATCH, async (rows) => {
    await store.upsertUsers(rows.map(({ id, ...taste }) => ({ id: String(id), attrs: { demo: true, taste } })));
  });
  const e = await ingestEvents(store, join(dir, 'events.csv'), {
    format: 'csv',
    unknownItems: 'reject',
    onProgress: (p) => options.onProgress?.('events', p),
  });
  return { models: null, items, users, events: pickEvents(e) };
}
