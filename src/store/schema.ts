/**
 * Table types of the one Kysely query layer shared by the SQLite and PostgreSQL adapters. Column names are
 * snake_case; JSON is stored as text (identical in both dialects); timestamps are integer milliseconds.
 */
import type { Generated } from 'kysely';

export interface ItemsTable {
  id: string;
  status: string;
  file_hash: string | null;
  path: string | null;
  format: string | null;
  size_bytes: number | null;
  report: string | null;
  error: string | null;
  title: string | null;
  description: string | null;
  /** JSON array of strings. */
  tags: string;
  license: string | null;
  creator: string | null;
  category: string | null;
  remix_of: string | null;
  created_at: number | null;
  ingested_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  attrs: string | null;
  created_at: number;
}

export interface EventsTable {
  seq: Generated<number>;
  user_id: string;
  item_id: string;
  type: string;
  weight: number;
  value: number | null;
  ts: number;
  recommendation_id: string | null;
}

export interface EmbeddingsTable {
  encoder: string;
  item_id: string;
  dim: number;
  vector: Uint8Array;
}

export interface ModelsTable {
  name: string;
  version: number;
  config: string;
  config_hash: string;
  metrics: string | null;
  created_at: number;
  active: number;
  payload_path: string | null;
  payload: Uint8Array | null;
}

export interface IngestJobsTable {
  id: Generated<number>;
  kind: string;
  status: string;
  params: string | null;
  summary: string | null;
  started_at: number;
  finished_at: number | null;
}

export interface IngestOutcomesTable {
  id: Generated<number>;
  job_id: number;
  file: string;
  outcome: string;
  item_id: string | null;
  code: string | null;
  message: string | null;
}

export interface ImpressionsTable {
  id: Generated<number>;
  recommendation_id: string;
  user_id: string;
  item_id: string;
  position: number;
  model: string | null;
  experiment: string | null;
  arm: string | null;
  ts: number;
}

export interface ExperimentsTable {
  id: string;
  name: string;
  status: string;
  /** JSON array of arms. */
  arms: string;
  /** JSON object. */
  settings: string;
  created_at: number;
  started_at: number | null;
  stopped_at: number | null;
}

export interface ModelChangesTable {
  seq: Generated<number>;
  name: string;
  version: number;
  action: string;
  previous: number | null;
  reason: string;
  details: string | null;
  at: number;
}

export interface RemovalsTable {
  seq: Generated<number>;
  kind: string;
  id: string;
  at: number;
}

export interface BlobsTable {
  key: string;
  size: number;
  sha256: string;
  chunks: number;
  created_at: number;
}

export interface BlobChunksTable {
  key: string;
  n: number;
  data: Uint8Array;
}

/** Where an item's bytes are: `kind` is `mesh` or `thumbnail`; `location` a blob key or a `file:` URL. */
export interface ItemBlobsTable {
  item_id: string;
  kind: string;
  location: string;
  updated_at: number;
}

export interface JobRecordsTable {
  id: string;
  kind: string;
  state: string;
  progress: number;
  attempts: number;
  max_attempts: number;
  error: string | null;
  data: string | null;
  result: string | null;
  worker: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** The slicer's result for an item on a printer (issue 20). */
export interface SliceResultsTable {
  item_id: string;
  printer: string;
  orientation: string;
  source_key: string;
  /** JSON. */
  result: string;
  created_at: number;
}

/** A user's batch-scored top-k (`items`: JSON `[{itemId, score}]`, best first). */
export interface UserScoresTable {
  user_id: string;
  /** `name@version` of the model that scored; null for a cold-start (trending) list. */
  model: string | null;
  k: number;
  items: string;
  cold_start: number;
  job_id: string | null;
  scored_at: number;
}

export interface SettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: number;
}

export interface Database {
  items: ItemsTable;
  users: UsersTable;
  events: EventsTable;
  embeddings: EmbeddingsTable;
  models: ModelsTable;
  ingest_jobs: IngestJobsTable;
  ingest_outcomes: IngestOutcomesTable;
  impressions: ImpressionsTable;
  experiments: ExperimentsTable;
  model_changes: ModelChangesTable;
  removals: RemovalsTable;
  blobs: BlobsTable;
  blob_chunks: BlobChunksTable;
  item_blobs: ItemBlobsTable;
  job_records: JobRecordsTable;
  settings: SettingsTable;
  slice_results: SliceResultsTable;
  user_scores: UserScoresTable;
}

export type Dialect = 'sqlite' | 'postgres';
