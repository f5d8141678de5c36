/**
 * The store ports: what the rest of layerwise may ask of persistent storage. One `Store` interface, two adapters
 * (SQLite by default, PostgreSQL when configured) over one Kysely query layer (src/store/kysely/). Everything here is
 * plain data: ids are external strings, timestamps are milliseconds since the Unix epoch, JSON columns come back
 * parsed. Batch methods chunk internally and run each call in one transaction.
 */
import type { PrintabilityReport } from '../core/printability.js';
import type { LiveStore } from './live-ports.js';

/**
 * `ready`: a parsed mesh; `failed`: a file that could not be parsed/analysed; `stub`: known only from events;
 * `removed`: unpublished (`removeItem`) — never listed, never recommended, new events on it are rejected.
 */
export type ItemStatus = 'ready' | 'failed' | 'stub' | 'removed';

/** Positive feedback (the view → make funnel, collect, rating) and negative feedback (dislike, hide, report). */
export const EVENT_TYPES = [
  'view',
  'like',
  'download',
  'make',
  'collect',
  'rating',
  'dislike',
  'hide',
  'report',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Negative feedback: stored with a weight ≤ 0; never a positive interaction in training or fold-in. */
export const NEGATIVE_EVENT_TYPES: readonly EventType[] = ['dislike', 'hide', 'report'];

/** Descriptive metadata of an item (from a sidecar, the demo generator or the API). */
export interface ItemMetadata {
  title: string | null;
  description: string | null;
  tags: string[];
  license: string | null;
  creator: string | null;
  category: string | null;
  /** Id of the item this one remixes. */
  remixOf: string | null;
  /** When the model was published (ms since epoch), not when it was ingested. */
  createdAt: number | null;
}

export interface ItemError {
  code: string;
  message: string;
}

export interface Item extends ItemMetadata {
  id: string;
  status: ItemStatus;
  /** SHA-256 hex of the file bytes (null for stubs and metadata-only items). */
  fileHash: string | null;
  /** Source path, `<ingest root folder name>/<relative path>` (posix separators). */
  path: string | null;
  /** Mesh format (`stl-binary`, `obj`, `3mf`, …) or null. */
  format: string | null;
  sizeBytes: number | null;
  /** Geometry stats + printability (src/geometry/analyze.ts) — null unless status is `ready`. */
  report: PrintabilityReport | null;
  /** Why ingesting the file failed (status `failed`). */
  error: ItemError | null;
  ingestedAt: number;
  updatedAt: number;
}

/**
 * An item to insert or update. Only `id` is required. On update, a field that is `undefined` keeps its stored
 * value and `null` clears it. A new item without `status` becomes `stub` unless it has a report (`ready`).
 */
export type ItemInput = { id: string } & Partial<Omit<Item, 'id' | 'ingestedAt' | 'updatedAt'>>;

export interface ListItemsQuery {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Page size, 1..1000 (default 100). */
  limit?: number;
  category?: string;
  /** Exact tag. */
  tag?: string;
  /** Case-insensitive substring of title, description or tags. */
  query?: string;
  format?: string;
  /** Default: `ready` and `stub` items (failed files are listed only when asked for). */
  status?: ItemStatus | ItemStatus[];
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface User {
  id: string;
  /** Free-form attributes (demo ground truth, profile fields). */
  attrs: Record<string, unknown> | null;
  createdAt: number;
}

export interface UserInput {
  id: string;
  attrs?: Record<string, unknown> | null;
}

export interface EventInput {
  userId: string;
  itemId: string;
  type: EventType;
  /** Implicit-feedback strength used by recommenders (ratings are mapped to weights at ingest). */
  weight: number;
  /** The raw value where there is one (a 1–5 rating, a play count); null otherwise. */
  value?: number | null;
  /** ms since epoch. */
  timestamp: number;
  /** The recommendation response (`recommendationId`) the item was shown in, when the event came from one. */
  recommendationId?: string | null;
}

export interface StoredEvent extends Required<EventInput> {
  /** Monotonic insertion sequence: the cursor for paging through events. */
  seq: number;
}

export interface AddEventsOptions {
  /** `stub` (default) creates stub items for unknown item ids; `reject` drops those events and reports them. */
  unknownItems?: 'stub' | 'reject';
  /**
   * PostgreSQL only: commit without waiting for the WAL flush (`synchronous_commit = off` for this transaction) — for
   * bulk imports, where a re-run restores what a server crash loses (the unique index drops rows already stored).
   */
  asyncCommit?: boolean;
}

/**
 * Events as columns with per-batch string tables — the bulk import's form (built off the main thread by the event
 * file parser and moved to it as transferable typed arrays): row `i` is user `userIds[user[i]]`, item
 * `itemIds[item[i]]`, type `EVENT_TYPES[type[i]]`. `value` is NaN where a row has none.
 */
export interface EventBatch {
  length: number;
  userIds: string[];
  user: Int32Array;
  itemIds: string[];
  item: Int32Array;
  type: Uint8Array;
  weight: Float64Array;
  value: Float64Array;
  /** ms since epoch. */
  timestamp: Float64Array;
  /** Per row, or absent when no row carries one. */
  recommendationId?: (string | null)[];
}

export interface AddEventsResult {
  inserted: number;
  /** Exact duplicates of stored events (or of earlier rows in the same call), dropped. */
  duplicates: number;
  /** Indices (into the input array) of events rejected because their item is unknown. */
  rejected: number[];
}

export interface IterateEventsOptions {
  /** Rows per page (default 10,000). */
  pageSize?: number;
  /** Start after this sequence number (exclusive). */
  afterSeq?: number;
  types?: EventType[];
}

/** A chunk of events as columns (training reads these; no object per event). */
export interface EventColumns {
  users: string[];
  items: string[];
  weights: Float32Array;
  /** ms since epoch. */
  timestamps: Float64Array;
}

export interface ScanEventsOptions {
  /** Events per chunk (default 65,536). */
  chunkSize?: number;
  types?: EventType[];
}

/** A chunk of `scanEventsByUser`: events as columns, users in id order, each user's events oldest first. */
export interface UserEventColumns extends EventColumns {
  types: string[];
}

export interface ScanEventsByUserOptions {
  /** Events per chunk (default 65,536); a user's events are never split across chunks (a chunk grows to fit). */
  chunkSize?: number;
  /** Only events with `seq` ≤ this (default: all). */
  throughSeq?: number;
}

/** What one user's events add up to (every stored event of theirs, not a window). */
export interface UserEventSummary {
  events: number;
  /** Newest event time (ms). */
  lastActive: number;
  byType: Record<string, number>;
}

export interface UserHistoryOptions {
  /** Most recent first; default 100, at most 10,000. */
  limit?: number;
  types?: EventType[];
  /**
   * Only what the per-user index holds (sequence, user, item, type, weight, time; `value` and `recommendationId`
   * come back null): on SQLite one contiguous read of the index instead of a table lookup per event — what serving
   * reads for a user it has not seen, where a history scattered over a large file would be a disk read per event.
   */
  lean?: boolean;
}

export interface UserHistoriesOptions {
  /** Most recent first, per user; default 100, at most 10,000. */
  limit?: number;
  /** Only events on these items (at most 1,000). */
  itemIds?: string[];
}

/** All vectors of one encoder as one row-major matrix (n × dim), rows in `itemIds` order. */
export interface EmbeddingSet {
  encoder: string;
  dim: number;
  itemIds: string[];
  vectors: Float32Array;
}

export interface ModelArtifact {
  name: string;
  version: number;
  config: unknown;
  /** Hash of the config that made it: results must be recomputed when it changes. */
  configHash: string;
  metrics: unknown;
  createdAt: number;
  active: boolean;
  /** Where the weights live on disk (relative to the data dir), or null when stored inline. */
  payloadPath: string | null;
  /** Inline weights (loaded only by `getModel`, never by `listModels`). */
  payload: Uint8Array | null;
}

export interface ModelArtifactInput {
  name: string;
  /** Default: one more than the highest stored version of `name`. */
  version?: number;
  config: unknown;
  configHash: string;
  metrics?: unknown;
  payloadPath?: string | null;
  payload?: Uint8Array | null;
  /**
   * What serving loads instead of `payload`, when smaller (models/registry.ts `servingArtifact`: the item side of a
   * factor model, without users or the training matrix). Stored beside the payload; `getModel(…, {serving: true})`.
   */
  servingPayload?: Uint8Array | null;
}

export interface GetModelOptions {
  /** false: the row without its payload (an existence or metadata check must not read a gigabyte). Default true. */
  payload?: boolean;
  /** The serving form of the payload when one was stored, else the whole payload. */
  serving?: boolean;
}

export type IngestJobKind = 'models' | 'events' | 'items';
export type IngestJobStatus = 'running' | 'done' | 'failed';
export type IngestOutcomeKind = 'added' | 'updated' | 'unchanged' | 'failed';

export interface IngestJob {
  id: number;
  kind: IngestJobKind;
  status: IngestJobStatus;
  params: unknown;
  summary: unknown;
  startedAt: number;
  finishedAt: number | null;
}

export interface IngestOutcome {
  /** File path (models) or `file:line` (events). */
  file: string;
  outcome: IngestOutcomeKind;
  itemId: string | null;
  code: string | null;
  message: string | null;
}

/** One parsed (or failed) model file, committed by `commitModelFiles`. */
export interface ModelFileRecord {
  path: string;
  fileHash: string;
  sizeBytes: number;
  format: string | null;
  /** Present when the file parsed and was analysed. */
  report: PrintabilityReport | null;
  error: ItemError | null;
  /** Sidecar metadata; `id` chooses the item id of a new item (default: first 16 hex digits of the hash). */
  metadata: Partial<ItemMetadata> & { id?: string };
  /**
   * True when the caller skipped parsing because an item with this hash is already `ready`: only metadata is
   * compared and updated.
   */
  known?: boolean;
}

/** One page of the commit-ordered event feed (src/store/event-feed.ts). */
export interface EventFeedPage {
  /** Events committed since the cursor, in commit order (each exactly once across pages). */
  events: StoredEvent[];
  /** Pass to the next call; opaque. */
  cursor: string;
  /** True when the page was full: call again at once for the rest. */
  more: boolean;
}

/** A cached slicer result (POST /v1/items/:id/slice): valid while its `sourceKey` matches what it was made from. */
export interface SliceRecord {
  itemId: string;
  printer: string;
  /** `stored` or `best` (turned to the report's best orientation). */
  orientation: string;
  /** What the result was computed from (file hash, profile settings, rotation). */
  sourceKey: string;
  /** The slicer's statistics as JSON. */
  result: unknown;
  createdAt: number;
}

/** What an item's bytes are recorded as: the mesh file, and its rendered thumbnail. */
export type ItemBlobKind = 'mesh' | 'thumbnail';

export const JOB_STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A background job as operators see it (ingest, embed, train, …), written by whoever runs it. */
export interface JobRecord {
  /** The queue's job id (for cluster jobs, a deterministic key, so enqueueing twice is one job). */
  id: string;
  kind: string;
  state: JobState;
  /** 0..1. */
  progress: number;
  attempts: number;
  maxAttempts: number;
  /** The last attempt's error message. */
  error: string | null;
  data: unknown;
  result: unknown;
  /** The process that ran (or runs) it. */
  worker: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export type JobRecordInput = { id: string } & Partial<Omit<JobRecord, 'id' | 'createdAt' | 'updatedAt'>>;

export interface JobRecordQuery {
  state?: JobState | JobState[];
  kind?: string;
  /** Newest first; default 50, at most 1000. */
  limit?: number;
}

/** Which finished job records to delete: older than `finishedBefore`, or beyond the newest `keep` (per state). */
export interface JobRecordPrune {
  state: 'completed' | 'failed';
  /** Epoch ms: records that finished before this go. */
  finishedBefore?: number;
  /** The newest this many finished records of `state` stay (by finish time); older ones go. */
  keep?: number;
}

/** One user's top-k as a batch-scoring job stored it. */
export interface UserScores {
  userId: string;
  /** `name@version` of the model that scored; null when the user got the cold-start (trending) list. */
  model: string | null;
  k: number;
  /** Best first. */
  items: { itemId: string; score: number }[];
  coldStart: boolean;
  /** The job that wrote it. */
  jobId: string | null;
  scoredAt: number;
}

export interface StoreStats {
  items: { total: number; byFormat: Record<string, number>; failed: number; stubs: number };
  users: number;
  events: { total: number; byType: Record<string, number> };
  embeddings: Record<string, number>;
  models: number;
}

export interface Store extends LiveStore {
  readonly dialect: 'sqlite' | 'postgres';

  // Items
  upsertItems(items: ItemInput[]): Promise<{ inserted: number; updated: number }>;
  getItem(id: string): Promise<Item | null>;
  getItems(ids: string[]): Promise<Map<string, Item>>;
  /** Items whose file hash is one of `hashes` (any status). */
  findItemsByHash(hashes: string[]): Promise<Map<string, Item>>;
  listItems(query?: ListItemsQuery): Promise<Page<Item>>;
  /**
   * Items (any status) whose row changed at or after `since` (ms) — after (`since`, `afterId`) when `afterId` is given
   * (keyset paging) — ordered by change time then id, at most `limit` (1..1000, default 1000): a running server
   * picking up what another process ingested. Through the `updated_at` index.
   */
  itemsChangedSince(since: number, afterId?: string, limit?: number): Promise<Item[]>;
  /**
   * Records a batch of ingested files atomically (one transaction): identity by content hash (a stored hash →
   * `unchanged`, or `updated` when its metadata changed), else by path (same path, new hash → `updated`), else a new
   * item (`added`). Files that failed are stored as `failed` items. Writes one outcome per file into `jobId`.
   */
  commitModelFiles(jobId: number, files: ModelFileRecord[]): Promise<IngestOutcome[]>;

  // Users
  upsertUsers(users: UserInput[]): Promise<void>;
  getUser(id: string): Promise<User | null>;
  listUsers(query?: { cursor?: string; limit?: number }): Promise<Page<User>>;

  // Events
  /** Inserts events in one transaction (multi-row inserts); creates users; handles unknown items per options. */
  addEvents(events: EventInput[], options?: AddEventsOptions): Promise<AddEventsResult>;
  /** `addEvents` for a columnar batch (the bulk import path); `rejected` indexes rows of the batch. */
  addEventBatch(batch: EventBatch, options?: AddEventsOptions): Promise<AddEventsResult>;
  /** Pages through all events in insertion order — for training. */
  iterateEvents(options?: IterateEventsOptions): AsyncIterable<StoredEvent[]>;
  /** Every event in insertion order as columnar chunks — the training read path at scale. */
  scanEvents(options?: ScanEventsOptions): AsyncIterable<EventColumns>;
  /**
   * Every event grouped by user (users in id order; within a user by time, through the per-user index), as columnar
   * chunks that never split a user — per-user aggregates (capped popularity) in one pass with memory per user.
   */
  scanEventsByUser(options?: ScanEventsByUserOptions): AsyncIterable<UserEventColumns>;
  /** A user's most recent events (newest first), through the per-user index. */
  userHistory(userId: string, options?: UserHistoryOptions): Promise<StoredEvent[]>;
  /**
   * `userHistory` of several users in one round trip (absent: no events); `limit` applies per user; `itemIds` keeps
   * only events on those items (a batch's priors: what each user did before on the items they just touched).
   */
  userHistories(userIds: string[], options?: UserHistoriesOptions): Promise<Map<string, StoredEvent[]>>;
  /** Event counts by type and the newest event time of each given user (absent: no events). */
  userEventSummaries(userIds: string[]): Promise<Map<string, UserEventSummary>>;
  countEvents(): Promise<number>;
  /** The largest event sequence number (0 when there are none). */
  maxEventSeq(): Promise<number>;
  /**
   * Events committed since `cursor` (null: from the first), in commit order, at most `limit` (default 10,000) per
   * page. Never skips an event whose transaction commits late (PostgreSQL): see src/store/event-feed.ts.
   */
  readEventFeed(cursor: string | null, options?: { limit?: number }): Promise<EventFeedPage>;
  /** A feed cursor at "now": what is committed counts as read. */
  eventFeedHead(): Promise<string>;

  // Where item bytes are (blob keys or file: URLs; src/store/blobs.ts)
  setItemBlobs(rows: { itemId: string; kind: ItemBlobKind; location: string }[]): Promise<void>;
  itemBlobs(itemIds: string[], kind: ItemBlobKind): Promise<Map<string, string>>;

  // Job records (what `GET /v1/jobs` lists)
  saveJobRecord(input: JobRecordInput): Promise<void>;
  getJobRecord(id: string): Promise<JobRecord | null>;
  listJobRecords(query?: JobRecordQuery): Promise<JobRecord[]>;
  /** Deletes finished records per `rule` (never waiting, active or delayed ones); returns how many went. */
  pruneJobRecords(rule: JobRecordPrune): Promise<number>;

  // Batch-scored top-k per user (one row per user, replaced by the next scoring)
  putUserScores(rows: UserScores[]): Promise<void>;
  getUserScores(userIds: string[]): Promise<Map<string, UserScores>>;
  /** Every stored row in user id order, a page at a time (default 1000, at most 10,000). */
  listUserScores(query?: { cursor?: string; limit?: number }): Promise<Page<UserScores>>;

  // Slicer results, one per item, printer and orientation (replaced by a newer one)
  getSliceResult(itemId: string, printer: string, orientation: string): Promise<SliceRecord | null>;
  putSliceResult(record: SliceRecord): Promise<void>;

  // Cluster-wide settings (JSON values), e.g. the model an admin chose to serve
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;

  // Embeddings
  putEmbeddings(encoder: string, rows: { itemId: string; vector: Float32Array }[]): Promise<void>;
  getEmbeddings(encoder: string, itemIds: string[]): Promise<Map<string, Float32Array>>;
  allEmbeddings(encoder: string): Promise<EmbeddingSet>;
  /** Stored embeddings per encoder (what `stats()` reports, without counting the events). */
  embeddingCounts(): Promise<Record<string, number>>;

  // Model artifacts
  saveModel(input: ModelArtifactInput): Promise<ModelArtifact>;
  getModel(name: string, version?: number, options?: GetModelOptions): Promise<ModelArtifact | null>;
  /** The active version; `payload: false` leaves the payload out (a poll for a change must not read a gigabyte). */
  getActiveModel(name: string, options?: { payload?: boolean }): Promise<ModelArtifact | null>;
  listModels(name?: string): Promise<ModelArtifact[]>;
  /** Makes `version` the only active version of `name` (atomically). Throws not_found if it does not exist. */
  setActiveModel(name: string, version: number): Promise<void>;

  // Ingest jobs
  startJob(kind: IngestJobKind, params: unknown): Promise<number>;
  finishJob(id: number, status: IngestJobStatus, summary: unknown): Promise<void>;
  addJobOutcomes(id: number, outcomes: IngestOutcome[]): Promise<void>;
  getJob(id: number): Promise<IngestJob | null>;
  listJobs(query?: { limit?: number }): Promise<IngestJob[]>;
  jobOutcomes(id: number, query?: { outcome?: IngestOutcomeKind; limit?: number }): Promise<IngestOutcome[]>;

  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
