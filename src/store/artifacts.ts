/** Model artifacts and item embeddings in the shared Kysely layer. */
import type { Kysely } from 'kysely';
import { LayerwiseError } from '../core/errors.js';
import { sha256 } from './blobs.js';
import type { EmbeddingSet, ModelArtifact, ModelArtifactInput } from './ports.js';
import { bytesToVector, chunks, modelFromRow, num, toJson, vectorToBytes } from './rows.js';
import type { Database } from './schema.js';

const EMB_CHUNK = 400;

export async function putEmbeddings(
  db: Kysely<Database>,
  encoder: string,
  rows: { itemId: string; vector: Float32Array }[],
): Promise<void> {
  if (rows.length === 0) return;
  const dim = rows[0]!.vector.length;
  for (const r of rows) {
    if (!(r.vector instanceof Float32Array) || r.vector.length !== dim || dim === 0) {
      throw new LayerwiseError(
        'invalid_argument',
        `embeddings for ${encoder}: every vector must be a Float32Array of length ${dim} > 0; item ${r.itemId} has ${r.vector?.length}`,
      );
    }
  }
  for (const part of chunks(rows, EMB_CHUNK)) {
    await db
      .insertInto('embeddings')
      .values(part.map((r) => ({ encoder, item_id: r.itemId, dim, vector: vectorToBytes(r.vector) })))
      .onConflict((oc) =>
        oc
          .columns(['encoder', 'item_id'])
          .doUpdateSet((eb) => ({ dim: eb.ref('excluded.dim'), vector: eb.ref('excluded.vector') })),
      )
      .execute();
  }
}

export async function getEmbeddings(
  db: Kysely<Database>,
  encoder: string,
  itemIds: string[],
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const part of chunks([...new Set(itemIds)], 900)) {
    const rows = await db
      .selectFrom('embeddings')
      .select(['item_id', 'vector'])
      .where('encoder', '=', encoder)
      .where('item_id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.item_id, bytesToVector(r.vector));
  }
  return out;
}

export async function allEmbeddings(db: Kysely<Database>, encoder: string): Promise<EmbeddingSet> {
  const rows = await db
    .selectFrom('embeddings')
    .select(['item_id', 'dim', 'vector'])
    .where('encoder', '=', encoder)
    .orderBy('item_id')
    .execute();
  const dim = rows.length > 0 ? num(rows[0]!.dim) : 0;
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    vectors.set(bytesToVector(r.vector), i * dim);
  });
  return { encoder, dim, itemIds: rows.map((r) => r.item_id), vectors };
}

const META_COLUMNS = [
  'name',
  'version',
  'config',
  'config_hash',
  'metrics',
  'created_at',
  'active',
  'payload_path',
] as const;

/**
 * Payloads above `inlineMax` bytes are stored as `chunk`-byte chunks in `blob_chunks` under `modelPayloadKey` instead of the `payload`
 * column: one SQLite or PostgreSQL value cannot exceed 1 GB, and an iALS artifact of 100 M events (2.7 M users'
 * factors and the training matrix) is larger.
 */
export const payloadLimits = { inlineMax: 256 * 2 ** 20, chunk: 16 * 2 ** 20 };

export const modelPayloadKey = (name: string, version: number) => `models/${encodeURIComponent(name)}/${version}`;

/** Where a version's serving form (ModelArtifactInput.servingPayload) is stored, always in chunks. */
export const servingPayloadKey = (name: string, version: number) => `${modelPayloadKey(name, version)}/serving`;

async function putPayloadChunks(db: Kysely<Database>, key: string, bytes: Uint8Array): Promise<void> {
  await db.deleteFrom('blob_chunks').where('key', '=', key).execute();
  await db.deleteFrom('blobs').where('key', '=', key).execute();
  const size = payloadLimits.chunk;
  const n = Math.ceil(bytes.length / size);
  for (let i = 0; i < n; i++) {
    const end = Math.min(bytes.length, (i + 1) * size);
    const data = Buffer.from(bytes.buffer, bytes.byteOffset + i * size, end - i * size);
    await db.insertInto('blob_chunks').values({ key, n: i, data }).execute();
  }
  await db
    .insertInto('blobs')
    .values({ key, size: bytes.length, sha256: sha256(bytes), chunks: n, created_at: Date.now() })
    .execute();
}

async function getPayloadChunks(db: Kysely<Database>, key: string): Promise<Uint8Array | null> {
  const head = await db.selectFrom('blobs').select(['size', 'chunks']).where('key', '=', key).executeTakeFirst();
  if (!head) return null;
  const out = new Uint8Array(num(head.size));
  let at = 0;
  for (let i = 0; i < num(head.chunks); i++) {
    const row = await db
      .selectFrom('blob_chunks')
      .select('data')
      .where('key', '=', key)
      .where('n', '=', i)
      .executeTakeFirst();
    if (!row) throw new LayerwiseError('internal', `model payload ${key} is missing chunk ${i}`);
    out.set(row.data, at);
    at += row.data.length;
  }
  if (at !== out.length) throw new LayerwiseError('internal', `model payload ${key} has ${at} of ${out.length} bytes`);
  return out;
}

/** Deletes a model version's chunked payload, if it has one (call inside the transaction that deletes the row). */
export async function deletePayloadChunks(db: Kysely<Database>, name: string, version: number): Promise<void> {
  for (const key of [modelPayloadKey(name, version), servingPayloadKey(name, version)]) {
    await db.deleteFrom('blob_chunks').where('key', '=', key).execute();
    await db.deleteFrom('blobs').where('key', '=', key).execute();
  }
}

/** Call inside a transaction (the next version number is read then written). */
export async function saveModel(
  db: Kysely<Database>,
  input: ModelArtifactInput,
  now = Date.now(),
): Promise<ModelArtifact> {
  if (!input.name) throw new LayerwiseError('invalid_argument', 'model artifact needs a non-empty name');
  let version = input.version;
  if (version === undefined) {
    const row = await db
      .selectFrom('models')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('name', '=', input.name)
      .executeTakeFirst();
    version = (row?.v === null || row?.v === undefined ? 0 : num(row.v)) + 1;
  }
  const existing = await db
    .selectFrom('models')
    .select('name')
    .where('name', '=', input.name)
    .where('version', '=', version)
    .executeTakeFirst();
  if (existing)
    throw new LayerwiseError(
      'conflict',
      `model ${input.name} version ${version} already exists; omit version to get the next one`,
    );
  const chunked =
    input.payload !== undefined && input.payload !== null && input.payload.length > payloadLimits.inlineMax;
  const payload = input.payload && !chunked ? Buffer.from(input.payload) : null;
  if (chunked) await putPayloadChunks(db, modelPayloadKey(input.name, version), input.payload!);
  if (input.servingPayload) await putPayloadChunks(db, servingPayloadKey(input.name, version), input.servingPayload);
  await db
    .insertInto('models')
    .values({
      name: input.name,
      version,
      config: JSON.stringify(input.config ?? null),
      config_hash: input.configHash,
      metrics: toJson(input.metrics),
      created_at: now,
      active: 0,
      payload_path: input.payloadPath ?? null,
      payload,
    })
    .execute();
  // the caller has the bytes: no read-back of a payload that may be a gigabyte
  return { ...(await getModel(db, input.name, version, false))!, payload: input.payload ?? null };
}

/**
 * A version's row; `withPayload` adds the payload — with `serving`, its serving form when one was stored (a factor
 * model's item side without users, a fraction of the artifact at scale), else the whole artifact.
 */
export async function getModel(
  db: Kysely<Database>,
  name: string,
  version: number | undefined,
  withPayload: boolean,
  serving = false,
): Promise<ModelArtifact | null> {
  if (withPayload && serving) {
    const meta = await getModel(db, name, version, false);
    if (meta === null) return null;
    const form = await getPayloadChunks(db, servingPayloadKey(meta.name, meta.version));
    if (form !== null) return { ...meta, payload: form };
    return getModel(db, name, meta.version, true);
  }
  let q = db.selectFrom('models').select(META_COLUMNS).where('name', '=', name);
  if (withPayload) q = q.select('payload') as typeof q;
  q = version === undefined ? q.orderBy('version', 'desc') : q.where('version', '=', version);
  const row = await q.limit(1).executeTakeFirst();
  if (!row) return null;
  const model = modelFromRow(row);
  if (withPayload && model.payload === null && model.payloadPath === null)
    model.payload = await getPayloadChunks(db, modelPayloadKey(model.name, model.version));
  return model;
}

export async function getActiveModel(
  db: Kysely<Database>,
  name: string,
  withPayload = true,
): Promise<ModelArtifact | null> {
  let q = db.selectFrom('models').select(META_COLUMNS);
  if (withPayload) q = q.select('payload') as typeof q;
  const row = await q.where('name', '=', name).where('active', '=', 1).limit(1).executeTakeFirst();
  if (!row) return null;
  const model = modelFromRow(row);
  if (withPayload && model.payload === null && model.payloadPath === null)
    model.payload = await getPayloadChunks(db, modelPayloadKey(model.name, model.version));
  return model;
}

export async function listModels(db: Kysely<Database>, name?: string): Promise<ModelArtifact[]> {
  let q = db.selectFrom('models').select(META_COLUMNS);
  if (name !== undefined) q = q.where('name', '=', name);
  const rows = await q.orderBy('name').orderBy('version').execute();
  return rows.map((r) => ({ ...modelFromRow(r), payload: null }));
}

/** Call inside a transaction. */
export async function setActiveModel(db: Kysely<Database>, name: string, version: number): Promise<void> {
  const row = await db
    .selectFrom('models')
    .select('version')
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row)
    throw new LayerwiseError(
      'not_found',
      `no model ${name} version ${version}; list versions with listModels('${name}')`,
    );
  await db.updateTable('models').set({ active: 0 }).where('name', '=', name).where('active', '=', 1).execute();
  await db.updateTable('models').set({ active: 1 }).where('name', '=', name).where('version', '=', version).execute();
}
