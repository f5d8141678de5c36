/** Mapping between table rows (snake_case, JSON as text) and the port types (camelCase, parsed JSON). */
import type { Selectable } from 'kysely';
import type { PrintabilityReport } from '../core/printability.js';
import type {
  IngestJob,
  IngestJobKind,
  IngestJobStatus,
  Item,
  ItemInput,
  ItemStatus,
  ModelArtifact,
  User,
} from './ports.js';
import type { IngestJobsTable, ItemsTable, ModelsTable, UsersTable } from './schema.js';

export function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Numbers from drivers (Postgres bigint may arrive as string when a custom type parser is absent). */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

export function itemFromRow(r: Selectable<ItemsTable>): Item {
  return {
    id: r.id,
    status: r.status as ItemStatus,
    fileHash: r.file_hash,
    path: r.path,
    format: r.format,
    sizeBytes: numOrNull(r.size_bytes),
    report: parseJson<PrintabilityReport>(r.report),
    error: parseJson<{ code: string; message: string }>(r.error),
    title: r.title,
    description: r.description,
    tags: parseJson<string[]>(r.tags) ?? [],
    license: r.license,
    creator: r.creator,
    category: r.category,
    remixOf: r.remix_of,
    createdAt: numOrNull(r.created_at),
    ingestedAt: num(r.ingested_at),
    updatedAt: num(r.updated_at),
  };
}

/** Column values for the fields of `input` that are defined (undefined = keep the stored value). */
export function itemColumns(input: ItemInput): Partial<ItemsTable> {
  const c: Partial<ItemsTable> = {};
  if (input.status !== undefined) c.status = input.status;
  if (input.fileHash !== undefined) c.file_hash = input.fileHash;
  if (input.path !== undefined) c.path = input.path;
  if (input.format !== undefined) c.format = input.format;
  if (input.sizeBytes !== undefined) c.size_bytes = input.sizeBytes;
  if (input.report !== undefined) c.report = toJson(input.report);
  if (input.error !== undefined) c.error = toJson(input.error);
  if (input.title !== undefined) c.title = input.title;
  if (input.description !== undefined) c.description = input.description;
  if (input.tags !== undefined) c.tags = JSON.stringify(input.tags ?? []);
  if (input.license !== undefined) c.license = input.license;
  if (input.creator !== undefined) c.creator = input.creator;
  if (input.category !== undefined) c.category = input.category;
  if (input.remixOf !== undefined) c.remix_of = input.remixOf;
  if (input.createdAt !== undefined) c.created_at = input.createdAt;
  return c;
}

/** A complete row for a new item (missing fields null; status from the input or inferred). */
export function newItemRow(input: ItemInput, now: number): ItemsTable {
  const status: ItemStatus = input.status ?? (input.report ? 'ready' : 'stub');
  return {
    id: input.id,
    status,
    file_hash: null,
    path: null,
    format: null,
    size_bytes: null,
    report: null,
    error: null,
    title: null,
    description: null,
    tags: '[]',
    license: null,
    creator: null,
    category: null,
    remix_of: null,
    created_at: null,
    ...itemColumns(input),
    ingested_at: now,
    updated_at: now,
  };
}

export function userFromRow(r: Selectable<UsersTable>): User {
  return { id: r.id, attrs: parseJson<Record<string, unknown>>(r.attrs), createdAt: num(r.created_at) };
}

export function modelFromRow(
  r: Partial<Selectable<ModelsTable>> & Omit<Selectable<ModelsTable>, 'payload'>,
): ModelArtifact {
  return {
    name: r.name,
    version: num(r.version),
    config: parseJson(r.config),
    configHash: r.config_hash,
    metrics: parseJson(r.metrics),
    createdAt: num(r.created_at),
    active: num(r.active) === 1,
    payloadPath: r.payload_path,
    payload: r.payload ? new Uint8Array(r.payload) : null,
  };
}

export function jobFromRow(r: Selectable<IngestJobsTable>): IngestJob {
  return {
    id: num(r.id),
    kind: r.kind as IngestJobKind,
    status: r.status as IngestJobStatus,
    params: parseJson(r.params),
    summary: parseJson(r.summary),
    startedAt: num(r.started_at),
    finishedAt: numOrNull(r.finished_at),
  };
}

/** Float32Array ↔ bytes (little-endian, as stored in `embeddings.vector`). */
export function vectorToBytes(v: Float32Array): Uint8Array {
  return Buffer.from(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

export function bytesToVector(b: Uint8Array): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/** Splits `rows` into chunks of at most `size`. */
export function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
