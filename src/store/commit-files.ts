/**
 * The identity rules of model-file ingest, applied in one transaction per batch: a known content hash is the same
 * item (`unchanged`, or `updated` when its sidecar metadata changed or it failed before and parses now); a known
 * path with a new hash updates that item; anything else is a new item, id = sidecar `id` or the hash's first 16 hex
 * digits. Failed files become `failed` items so that they are counted, listed on request and retried on re-run.
 */
import type { Kysely } from 'kysely';
import { findItemsBy, getItems, upsertItems } from './items.js';
import type { IngestOutcome, IngestOutcomeKind, Item, ItemInput, ItemMetadata, ModelFileRecord } from './ports.js';
import type { Database } from './schema.js';

const META_KEYS: (keyof ItemMetadata)[] = [
  'title',
  'description',
  'tags',
  'license',
  'creator',
  'category',
  'remixOf',
  'createdAt',
];

function metadataPatch(item: Item | undefined, meta: ModelFileRecord['metadata']): Partial<ItemMetadata> {
  const patch: Partial<ItemMetadata> = {};
  for (const k of META_KEYS) {
    const v = meta[k];
    if (v === undefined) continue;
    if (item && JSON.stringify(item[k]) === JSON.stringify(v)) continue;
    (patch as Record<string, unknown>)[k] = v;
  }
  return patch;
}

function fileFields(f: ModelFileRecord): ItemInput & { id: '' } {
  return {
    id: '',
    status: f.error ? 'failed' : 'ready',
    fileHash: f.fileHash,
    path: f.path,
    format: f.format,
    sizeBytes: f.sizeBytes,
    report: f.error ? null : f.report,
    error: f.error,
  };
}

export async function commitModelFiles(
  trx: Kysely<Database>,
  jobId: number,
  files: ModelFileRecord[],
  now = Date.now(),
): Promise<IngestOutcome[]> {
  const byHash = await findItemsBy(
    trx,
    'file_hash',
    files.map((f) => f.fileHash),
  );
  const byPath = await findItemsBy(
    trx,
    'path',
    files.map((f) => f.path),
  );
  const newIds = files.filter((f) => !byHash.has(f.fileHash)).map((f) => f.metadata.id ?? f.fileHash.slice(0, 16));
  const byId = await getItems(trx, newIds);
  const outcomes: IngestOutcome[] = [];
  for (const f of files) {
    let outcome: IngestOutcomeKind;
    let input: ItemInput;
    const known = byHash.get(f.fileHash);
    if (known) {
      const patch = metadataPatch(known, f.metadata);
      if (known.status === 'failed' && !f.known && !f.error) {
        input = { ...fileFields(f), ...patch, id: known.id, path: known.path };
        outcome = 'updated';
      } else if (known.status === 'failed') {
        input = { id: known.id, ...patch };
        outcome = 'failed';
      } else {
        input = { id: known.id, ...patch };
        outcome = Object.keys(patch).length > 0 ? 'updated' : 'unchanged';
      }
    } else {
      const atPath = byPath.get(f.path);
      const id = atPath?.id ?? f.metadata.id ?? f.fileHash.slice(0, 16);
      const prior = atPath ?? byId.get(id);
      input = { ...fileFields(f), ...metadataPatch(prior, f.metadata), id };
      outcome = f.error ? 'failed' : prior && prior.status !== 'stub' ? 'updated' : 'added';
    }
    if (Object.keys(input).length > 1) await upsertItems(trx, [input], now);
    const stored = (await getItems(trx, [input.id])).get(input.id);
    if (stored) {
      if (stored.fileHash) byHash.set(stored.fileHash, stored);
      if (stored.path) byPath.set(stored.path, stored);
      byId.set(stored.id, stored);
    }
    outcomes.push({
      file: f.path,
      outcome,
      itemId: input.id,
      code: f.error?.code ?? null,
      message: f.error?.message ?? null,
    });
  }
  if (outcomes.length > 0) {
    await trx
      .insertInto('ingest_outcomes')
      .values(
        outcomes.map((o) => ({
          job_id: jobId,
          file: o.file,
          outcome: o.outcome,
          item_id: o.itemId,
          code: o.code,
          message: o.message,
        })),
      )
      .execute();
  }
  return outcomes;
}
