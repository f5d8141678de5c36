/**
 * The HTTP API as the UI sees it: typed fetch helpers. The shapes are the server's wire contract (src/contract),
 * imported as types only — no zod reaches the browser bundle; the UI only talks HTTP. Errors come back as
 * `{ code, message }` and are thrown as ApiError.
 */
import type {
  CategoryCount,
  EventInput,
  EventsResult,
  ExperimentInfo,
  ExperimentReadout,
  InspectResult,
  ItemDetail,
  ItemListParams,
  ItemPage,
  JobInfo,
  ModelMetrics,
  NextItems,
  PrinterInfo,
  RecommendationResponse,
  RemixesResponse,
  ShapeMap,
  SimilarBy,
  SimilarResponse,
  UserDetail,
  UserPage,
  ModelInfo as WireModelInfo,
} from '../../../contract/index.js';

export type {
  ExperimentInfo,
  ExperimentReadout,
  InspectResult,
  ItemDetail,
  ItemSummary,
  JobInfo,
  ModelMetrics,
  OnlineMetric,
  Page,
  PrintabilityReport,
  RateEstimate,
  Reason,
  ScoredItem,
  ShapeMap,
  UserDetail,
  UserSummary,
} from '../../../contract/index.js';
export type Recommendations = RecommendationResponse;
export type { NextItems };
export type Remixes = RemixesResponse;
export type Similar = SimilarResponse;
export type Printer = PrinterInfo;
/** A model version with its metrics read as the trainer records them (the wire keeps them an open object). */
export type ModelInfo = Omit<WireModelInfo, 'metrics'> & { metrics: ModelMetrics };

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
  items: (q: ItemListParams) => request<ItemPage>(`/v1/items${qs(q)}`),
  item: (id: string) => request<ItemDetail>(`/v1/items/${enc(id)}`),
  similar: (id: string, by: SimilarBy, k = 8) =>
    request<SimilarResponse>(`/v1/items/${enc(id)}/similar${qs({ by, k })}`),
  remixes: (id: string) => request<RemixesResponse>(`/v1/items/${enc(id)}/remixes`),
  meshUrl: (id: string) => `/v1/items/${enc(id)}/mesh.stl`,
  categories: () => request<CategoryCount[]>('/v1/categories'),
  printers: () => request<PrinterInfo[]>('/v1/printers'),
  users: (cursor?: string, limit = 100) => request<UserPage>(`/v1/users${qs({ cursor, limit })}`),
  user: (id: string) => request<UserDetail>(`/v1/users/${enc(id)}`),
  recommendations: (id: string, printer?: string, k = 12) =>
    request<RecommendationResponse>(`/v1/users/${enc(id)}/recommendations${qs({ printer, k })}`),
  next: (id: string, printer?: string, k = 6) => request<NextItems>(`/v1/users/${enc(id)}/next${qs({ printer, k })}`),
  postEvent: (userId: string, itemId: string, type: 'like' | 'make' | 'view') => {
    const events: EventInput[] = [{ userId, itemId, type }];
    return request<EventsResult>('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
  },
  inspect: (file: File, printer?: string) => upload<InspectResult>(`/v1/inspect${qs({ printer })}`, file),
  shapeSearch: (file: File, k = 12) => upload<SimilarResponse>(`/v1/search/shape${qs({ k })}`, file),
  models: () => request<ModelInfo[]>('/v1/models'),
  experiments: () => request<ExperimentInfo[]>('/v1/experiments'),
  experimentReadout: (id: string) => request<ExperimentReadout>(`/v1/experiments/${enc(id)}`),
  startExperiment: (id: string) => request<ExperimentInfo>(`/v1/experiments/${enc(id)}/start`, { method: 'POST' }),
  stopExperiment: (id: string) => request<ExperimentInfo>(`/v1/experiments/${enc(id)}/stop`, { method: 'POST' }),
  jobs: (state?: string, limit = 100) => request<JobInfo[]>(`/v1/jobs${qs({ state, limit })}`),
  shapeMap: (limit = 1500) => request<ShapeMap>(`/v1/insights/shape-map${qs({ limit })}`),
};
