/**
 * The HTTP API as the UI sees it: typed fetch helpers and the response shapes (mirroring the server's OpenAPI at
 * /docs; the UI only talks HTTP). Errors come back as `{ code, message }` and are thrown as ApiError.
 */

export interface Reason {
  kind: string;
  itemId?: string;
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

export interface ItemSummary {
  id: string;
  title: string;
  category: string | null;
  tags: string[];
  creator: string | null;
  license: string | null;
  format: string | null;
  thumbnailUrl: string;
  popularity: number;
}

export interface PrintabilityReport {
  triangles: number;
  vertices: number;
  shells: number;
  watertight: boolean;
  openEdges: number;
  nonManifoldEdges: number;
  volumeMm3: number;
  areaMm2: number;
  bboxMm: [number, number, number];
  overhangAreaMm2: number;
  overhangAngleDeg: number;
  fitsPrinter: boolean | null;
  printer: string | null;
  massG: number;
  printMinutes: number;
  warnings: { code: string; message: string }[];
}

export interface ItemDetail extends ItemSummary {
  description: string;
  createdAt: string | null;
  remixOf: string | null;
  printability: PrintabilityReport | null;
  stats: Record<string, number>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface UserSummary {
  id: string;
  events: number;
  lastActive: string | null;
}

export interface UserDetail extends UserSummary {
  printer: string | null;
  byType: Record<string, number>;
  recent: { itemId: string; type: string; weight: number; timestamp: string }[];
  topCategories: { category: string; count: number }[];
}

export interface Recommendations {
  userId: string;
  model: { id: string; name: string; version: number } | null;
  coldStart: boolean;
  printer: string | null;
  items: ScoredItem[];
}

export interface Similar {
  itemId: string | null;
  by: string;
  items: ScoredItem[];
}

export interface Printer {
  id: string;
  name: string;
  technology: 'fdm' | 'resin';
  buildVolumeMm: [number, number, number];
}

export interface ModelMetrics {
  ndcg?: number;
  recall?: number;
  precision?: number;
  map?: number;
  hitRate?: number;
  k?: number;
  fitSeconds?: number;
  ci?: { ndcg?: [number, number]; recall?: [number, number] };
  curves?: { k: number[]; ndcg: number[]; recall: number[] };
  losses?: number[];
}

export interface ModelInfo {
  id: string;
  name: string;
  kind: string;
  version: number;
  createdAt: string;
  active: boolean;
  metrics: ModelMetrics;
}

export interface ShapeMap {
  encoder: string | null;
  explained: [number, number];
  total: number;
  points: { itemId: string; title: string; category: string | null; x: number; y: number }[];
  encoderLosses: number[];
}

export interface InspectResult {
  filename: string;
  format: string;
  printability: PrintabilityReport;
}

export interface Rate {
  rate: number;
  lo: number;
  hi: number;
  users: number;
}

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

export type OnlineMetric = 'view' | 'like' | 'download' | 'make';

export interface ExperimentReadout {
  experiment: ExperimentInfo;
  settings: { primaryMetric: OnlineMetric; alpha: number; tau: number; minUsers: number };
  arms: {
    name: string;
    model: string | null;
    rules: Record<string, unknown> | null;
    share: number;
    users: number;
    impressions: number;
    metrics: Record<OnlineMetric, { perImpression: Rate; perUser: Rate }>;
  }[];
  comparisons: {
    arm: string;
    control: string;
    metric: OnlineMetric;
    difference: number;
    lo: number;
    hi: number;
    p: number;
    significant: boolean;
  }[];
  verdict: { state: 'draft' | 'collecting' | 'no_difference_yet' | 'winner'; arm: string | null; text: string };
  series: {
    at: number[];
    arms: { name: string; users: number[]; rate: number[]; lo: number[]; hi: number[] }[];
    p: number[][];
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const e = (body ?? {}) as { code?: string; message?: string };
    throw new ApiError(res.status, e.code ?? 'error', e.message ?? `${res.status} ${res.statusText}`);
  }
  return body as T;
}

/** Query string from defined, non-empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

const enc = encodeURIComponent;

function upload<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request<T>(path, { method: 'POST', body: form });
}

export const api = {
  items: (q: { query?: string; category?: string; tag?: string; printer?: string; cursor?: string; limit: number }) =>
    request<Page<ItemSummary>>(`/v1/items${qs(q)}`),
  item: (id: string) => request<ItemDetail>(`/v1/items/${enc(id)}`),
  similar: (id: string, by: 'shape' | 'behaviour' | 'hybrid', k = 8) =>
    request<Similar>(`/v1/items/${enc(id)}/similar${qs({ by, k })}`),
  meshUrl: (id: string) => `/v1/items/${enc(id)}/mesh.stl`,
  categories: () => request<{ category: string; count: number }[]>('/v1/categories'),
  printers: () => request<Printer[]>('/v1/printers'),
  users: (cursor?: string, limit = 100) => request<Page<UserSummary>>(`/v1/users${qs({ cursor, limit })}`),
  user: (id: string) => request<UserDetail>(`/v1/users/${enc(id)}`),
  recommendations: (id: string, printer?: string, k = 12) =>
    request<Recommendations>(`/v1/users/${enc(id)}/recommendations${qs({ printer, k })}`),
  postEvent: (userId: string, itemId: string, type: 'like' | 'make' | 'view') =>
    request<{ accepted: number; rejected: { message: string }[] }>('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ userId, itemId, type }] }),
    }),
  inspect: (file: File, printer?: string) => upload<InspectResult>(`/v1/inspect${qs({ printer })}`, file),
  shapeSearch: (file: File, k = 12) => upload<Similar>(`/v1/search/shape${qs({ k })}`, file),
  models: () => request<ModelInfo[]>('/v1/models'),
  experiments: () => request<ExperimentInfo[]>('/v1/experiments'),
  experimentReadout: (id: string) => request<ExperimentReadout>(`/v1/experiments/${enc(id)}`),
  startExperiment: (id: string) => request<ExperimentInfo>(`/v1/experiments/${enc(id)}/start`, { method: 'POST' }),
  stopExperiment: (id: string) => request<ExperimentInfo>(`/v1/experiments/${enc(id)}/stop`, { method: 'POST' }),
  shapeMap: (limit = 1500) => request<ShapeMap>(`/v1/insights/shape-map${qs({ limit })}`),
};
