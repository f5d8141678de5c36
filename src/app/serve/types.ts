/**
 * The application services the edges (HTTP API, CLI, UI) call. The shapes they take and return are the HTTP wire
 * contract (src/contract: zod schemas and the types inferred from them), re-exported here for the serving code;
 * only what never crosses the wire as JSON (uploaded bytes, gauges, the Services interface) is declared here.
 */
import type {
  CategoryCount,
  EraseUserResult,
  EventInput,
  EventsResult,
  ExperimentCreate,
  ExperimentInfo,
  ExperimentReadout,
  InspectResult,
  ItemDetail,
  ItemListQuery,
  ItemSummary,
  JobInfo,
  JobListQuery,
  ModelChange as ModelChangeInfo,
  ModelInfo,
  ModelRef,
  NextItems,
  NextQuery,
  Page,
  PrinterInfo,
  ReadyState,
  RecommendationResponse,
  RecommendQuery,
  RemixesResponse,
  RemoveItemResult,
  SearchResponse,
  SessionRequest,
  ShapeMap,
  SimilarBy,
  SimilarResponse,
  SliceQuery,
  SliceResult,
  StoredScores,
  UserDetail,
  UserSummary,
} from '../../contract/index.js';

export type {
  CategoryCount,
  EraseUserResult,
  EventInput,
  EventsResult,
  ExperimentCreate,
  ExperimentInfo,
  ExperimentReadout,
  InspectResult,
  ItemDetail,
  ItemListQuery,
  ItemSummary,
  JobInfo,
  JobListQuery,
  ModelChange as ModelChangeInfo,
  ModelInfo,
  ModelRef,
  NextItems,
  NextQuery,
  Page,
  PrinterInfo,
  ReadyState,
  Reason,
  RecommendationResponse,
  RecommendQuery,
  RemixesResponse,
  RemoveItemResult,
  ScoredItem,
  SearchHit,
  SearchResponse,
  SessionRequest,
  ShapeMap,
  SimilarBy,
  SimilarResponse,
  SliceQuery,
  SliceResult,
  UserDetail,
  UserSummary,
} from '../../contract/index.js';

import type { ImpressionLogStats } from '../experiments/index.js';
import type { ArmCounts, EventLagObserver } from './telemetry.js';

export interface UploadedFile {
  filename: string;
  bytes: Uint8Array;
}

export interface UploadMetadata {
  title?: string;
  description?: string;
  tags?: string[];
  license?: string;
  creator?: string;
  category?: string;
}

/** Figures /metrics exposes besides request latencies: a snapshot taken when it is scraped. */
export interface ServiceGauges {
  model: ModelRef | null;
  /** Seconds each start-up phase took (catalogue, statistics, text, catch-up, shapes, model). */
  startup?: Record<string, number>;
  items: number;
  users: number;
  eventsApplied: number;
  /** Seconds since the online state was last caught up with the store's events (grows if applying stalls). */
  eventLagSeconds: number;
  /** Impression log counters since start (rows logged, written, dropped; responses sampled out; buffered now). */
  impressions: ImpressionLogStats;
  /** Recommendation requests that reused cached candidates / scored the history; users cached now. */
  cache: { hits: number; misses: number; users: number };
  /** Per experiment arm: responses, items shown, events that came back with a recommendationId. */
  arms: ArmCounts[];
  /** In-process work queues (the mesh sandbox's uploads, shape searches and inspections). */
  queues: { name: string; running: number; queued: number }[];
  /** Requests answered from trending because the model could not score the user. */
  modelFailures: number;
}

type MaybePromise<T> = T | Promise<T>;

/** Everything the HTTP layer calls. Implementations throw LayerwiseError; the API maps codes to statuses. */
export interface Services {
  recommendations: {
    forUser(userId: string, query: RecommendQuery): MaybePromise<RecommendationResponse>;
  };
  /** "Print next": after a user's latest event, or after an anonymous session's items. */
  next: {
    forUser(userId: string, query: NextQuery): MaybePromise<NextItems>;
    session(request: SessionRequest): NextItems;
  };
  items: {
    get(id: string): MaybePromise<ItemDetail>;
    list(query: ItemListQuery): MaybePromise<Page<ItemSummary>>;
    similar(id: string, k: number, by: SimilarBy): MaybePromise<SimilarResponse>;
    thumbnail(id: string): MaybePromise<Uint8Array>;
    upload(file: UploadedFile, meta: UploadMetadata): Promise<ItemDetail>;
    /** The remix tree around an item (not_found for an unknown item). */
    remixes(id: string): MaybePromise<RemixesResponse>;
    /** PrusaSlicer's statistics for the item on a printer (admin; off unless the server config enables it). */
    slice(id: string, query: SliceQuery): Promise<SliceResult>;
  };
  search: {
    text(q: string, k: number, category?: string): MaybePromise<SearchResponse>;
    shape(file: UploadedFile, k: number): Promise<SimilarResponse>;
  };
  users: {
    list(cursor: string | undefined, limit: number): MaybePromise<Page<UserSummary>>;
    get(id: string): MaybePromise<UserDetail>;
    setPrinter(id: string, printer: string | null): Promise<UserDetail>;
  };
  events: {
    ingest(events: EventInput[]): Promise<EventsResult>;
  };
  models: {
    list(): MaybePromise<ModelInfo[]>;
    activate(id: string): Promise<ModelInfo>;
    /** Promotions, rejections, activations, rollbacks and pruning, newest first. */
    history(limit: number): Promise<ModelChangeInfo[]>;
  };
  experiments: {
    create(spec: ExperimentCreate): Promise<ExperimentInfo>;
    list(): Promise<ExperimentInfo[]>;
    readout(id: string): Promise<ExperimentReadout>;
    start(id: string): Promise<ExperimentInfo>;
    stop(id: string): Promise<ExperimentInfo>;
  };
  removal: {
    removeItem(id: string, options: { purgeEvents: boolean }): Promise<RemoveItemResult>;
    updateItem(id: string, patch: unknown): Promise<ItemDetail>;
    eraseUser(id: string): Promise<EraseUserResult>;
  };
  insights: {
    printers(): PrinterInfo[];
    /** Categories of the catalogue with their item counts, most common first. */
    categories(): CategoryCount[];
    /** The item's mesh as binary STL (for the 3-D viewer); not_found when its file is unreachable. */
    meshStl(id: string): Promise<Uint8Array>;
    inspect(file: UploadedFile, printer?: string): MaybePromise<InspectResult>;
    shapeMap(limit: number): Promise<ShapeMap>;
  };
  /** Background jobs recorded in the store by every process (app/jobs/records.ts). */
  jobs: {
    list(query: JobListQuery): Promise<JobInfo[]>;
    get(id: string): Promise<JobInfo>;
    /** A user's top-k as the last batch-scoring job stored it; not_found until one has. */
    scores(userId: string): Promise<StoredScores>;
  };
  health: {
    ready(): MaybePromise<ReadyState>;
    gauges(): ServiceGauges;
    /** Observes how long events accepted by `events.ingest` take to become visible to the model; returns removal. */
    onEventLag(observer: EventLagObserver): () => void;
  };
  close?(): Promise<void>;
}
