/**
 * The application services the edges (HTTP API, CLI, UI) call, and the shapes they return. These shapes ARE the
 * public API's response bodies (documented by the JSON schemas in src/api/schemas.ts): change both together.
 */
import type { PrintabilityReport } from '../../core/printability.js';
import type { Readout } from '../experiments/index.js';

/** Why an item was recommended — drawn from the model's own evidence, shape neighbours or popularity. */
export interface Reason {
  /** history: the model's item-item evidence; shape: a shape neighbour; popular / trending: counts; cold_start. */
  kind: 'history' | 'shape' | 'popular' | 'trending' | 'cold_start' | 'printer';
  /** The item the reason refers to (e.g. the printed item that led here). */
  itemId?: string;
  /** Contribution of this reason (model units for `history`, similarity for `shape`, share for popularity). */
  weight: number;
  text: string;
}

export interface ScoredItem {
  itemId: string;
  score: number;
  title: string;
  category: string | null;
  creator: string | null;
  thumbnailUrl: string;
  reasons: Reason[];
}

export interface ModelRef {
  id: string;
  name: string;
  version: number;
}

export interface RecommendationResponse {
  userId: string;
  /** Id of this response: events on its items may carry it back (`recommendationId`) for online metrics. */
  recommendationId: string;
  /** The model that produced the scores; null when the cold-start popularity ranking was used. */
  model: ModelRef | null;
  /** True when the user has no usable history and got trending items. */
  coldStart: boolean;
  printer: string | null;
  /** The running experiment the user is in, and their arm (null when none runs). */
  experiment: string | null;
  arm: string | null;
  items: ScoredItem[];
}

export interface RecommendQuery {
  k: number;
  printer?: string;
  category?: string;
  tag?: string;
  license?: string;
  exclude?: string[];
  explain: boolean;
  /** Max items from one creator / one family (0 = no cap). */
  maxPerCreator?: number;
  maxPerFamily?: number;
}

export type SimilarBy = 'shape' | 'behaviour' | 'hybrid';

export interface SimilarResponse {
  /** The query item; null for shape search by upload. */
  itemId: string | null;
  by: SimilarBy;
  items: ScoredItem[];
}

export interface ItemSummary {
  id: string;
  title: string;
  category: string | null;
  tags: string[];
  creator: string | null;
  license: string | null;
  format: string | null;
  thumbnailUrl: string;
  /** Weighted interaction count (all event types, config weights). */
  popularity: number;
}

export interface ItemDetail extends ItemSummary {
  description: string;
  sizeBytes: number | null;
  createdAt: string | null;
  remixOf: string | null;
  family: string | null;
  printability: PrintabilityReport | null;
  /** Event counts by type. */
  stats: Record<string, number>;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ItemListQuery {
  query?: string;
  category?: string;
  tag?: string;
  /** Only items that fit this printer's build volume (in some axis permutation). */
  printer?: string;
  cursor?: string;
  limit: number;
}

export interface SearchHit extends ScoredItem {
  /** The BM25 text score before blending with popularity. */
  textScore: number;
}

export interface SearchResponse {
  query: string;
  items: SearchHit[];
}

export interface UserSummary {
  id: string;
  events: number;
  lastActive: string | null;
}

export interface UserDetail extends UserSummary {
  /** Saved printer profile id (used by recommendations when the request names none). */
  printer: string | null;
  byType: Record<string, number>;
  recent: { itemId: string; type: string; weight: number; timestamp: string }[];
  topCategories: { category: string; count: number }[];
}

export interface EventInput {
  userId: string;
  itemId: string;
  type: string;
  /** ISO 8601 or epoch milliseconds; now when absent. */
  timestamp?: string | number;
  /** Overrides the configured weight of the type (ratings: the rating). */
  weight?: number;
  /** The recommendation response the item was shown in (its `recommendationId`). */
  recommendationId?: string;
}

export interface EventsResult {
  accepted: number;
  rejected: { index: number; code: string; message: string }[];
}

export interface ModelInfo {
  /** `name@version`: what POST /v1/models/:id/activate takes. */
  id: string;
  name: string;
  /** Algorithm (ease, ials, …) from the artifact's config; the name when unknown. */
  kind: string;
  version: number;
  createdAt: string;
  active: boolean;
  configHash: string;
  metrics: Record<string, unknown>;
}

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

export interface ReadyState {
  ready: boolean;
  checks: Record<string, { ok: boolean; message: string }>;
}

/** Figures /metrics exposes besides request latencies. */
export interface ServiceGauges {
  model: ModelRef | null;
  items: number;
  users: number;
  eventsApplied: number;
  /** Seconds since the online state was last caught up with the store's events (grows if applying stalls). */
  eventLagSeconds: number;
}

/** A built-in printer profile as the UI needs it (selectors, build plate drawn to scale). */
export interface PrinterInfo {
  id: string;
  name: string;
  technology: 'fdm' | 'resin';
  buildVolumeMm: [number, number, number];
}

/** The printability report of an uploaded mesh (nothing is stored). */
export interface InspectResult {
  filename: string;
  format: string;
  printability: PrintabilityReport;
}

/** A 2-D projection (PCA) of the library's shape embeddings, for the evaluation dashboard's map. */
export interface ShapeMap {
  encoder: string | null;
  /** Share of the variance the two axes explain. */
  explained: [number, number];
  /** Number of embedded items; `points` is a deterministic sample of at most `limit` of them. */
  total: number;
  points: { itemId: string; title: string; category: string | null; x: number; y: number }[];
  /** The shape encoder's training loss per epoch (empty when it has none). */
  encoderLosses: number[];
}

/** An experiment as the API shows it (times ISO 8601). */
export interface ExperimentInfo {
  id: string;
  name: string;
  status: 'draft' | 'running' | 'stopped';
  arms: { name: string; model: string | null; rules: Record<string, unknown> | null; share: number }[];
  settings: Record<string, unknown>;
  createdAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
}

export interface ExperimentCreate {
  id?: string;
  name: string;
  arms: { name: string; model?: string | null; rules?: Record<string, number> | null; share?: number }[];
  settings?: Record<string, unknown>;
  /** Start at once. */
  start?: boolean;
}

/** The readout of app/experiments with the experiment's times as ISO strings. */
export type ExperimentReadout = Omit<Readout, 'experiment'> & { experiment: ExperimentInfo };

export interface ModelChangeInfo {
  name: string;
  version: number;
  action: string;
  previous: number | null;
  reason: string;
  details: unknown;
  at: string;
}

type MaybePromise<T> = T | Promise<T>;

/** Everything the HTTP layer calls. Implementations throw LayerwiseError; the API maps codes to statuses. */
export interface Services {
  recommendations: {
    forUser(userId: string, query: RecommendQuery): MaybePromise<RecommendationResponse>;
  };
  items: {
    get(id: string): MaybePromise<ItemDetail>;
    list(query: ItemListQuery): MaybePromise<Page<ItemSummary>>;
    similar(id: string, k: number, by: SimilarBy): MaybePromise<SimilarResponse>;
    thumbnail(id: string): MaybePromise<Uint8Array>;
    upload(file: UploadedFile, meta: UploadMetadata): Promise<ItemDetail>;
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
    removeItem(
      id: string,
      options: { purgeEvents: boolean },
    ): Promise<{ id: string; removed: boolean; events: number }>;
    updateItem(id: string, patch: unknown): Promise<ItemDetail>;
    eraseUser(id: string): Promise<{ id: string; events: number; impressions: number }>;
  };
  insights: {
    printers(): PrinterInfo[];
    /** Categories of the catalogue with their item counts, most common first. */
    categories(): { category: string; count: number }[];
    /** The item's mesh as binary STL (for the 3-D viewer); not_found when its file is unreachable. */
    meshStl(id: string): Promise<Uint8Array>;
    inspect(file: UploadedFile, printer?: string): InspectResult;
    shapeMap(limit: number): Promise<ShapeMap>;
  };
  health: {
    ready(): MaybePromise<ReadyState>;
    gauges(): ServiceGauges;
  };
  close?(): Promise<void>;
}
