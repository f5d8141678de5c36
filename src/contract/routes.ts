/**
 * Every HTTP route of the API: method, path, the scope a caller needs, the OpenAPI texts and the zod schemas of its
 * params, querystring, body and responses. `src/api` registers each route from this table (validation and OpenAPI
 * are generated from it, see json-schema.ts); clients read its types. A new route is one entry here plus its
 * handler in src/api/routes/.
 *
 * `apiRoutes(limits)` is a function because `k` (result count) takes its default and maximum from the server
 * config; the shapes do not depend on them.
 */
import { z } from 'zod';
import { IdParams, type Limits } from './common.js';
import { EventsBody, EventsResult } from './events.js';
import { ExperimentCreate, ExperimentInfo, ExperimentReadout } from './experiments.js';
import { Health, ReadyState } from './health.js';
import { CategoryCount, InspectQuery, InspectResult, ShapeMap, ShapeMapQuery } from './insights.js';
import {
  ItemDetail,
  ItemListQuery,
  ItemPage,
  RemixesResponse,
  SimilarResponse,
  similarQuery,
  UploadFields,
} from './items.js';
import { JobInfo, JobListQuery, StoredScores } from './jobs.js';
import { ModelChange, ModelHistoryQuery, ModelInfo } from './models.js';
import { NextItems, nextQuery, sessionBody } from './next.js';
import { PrinterInfo } from './printability.js';
import { RecommendationResponse, recommendQuery } from './recommendations.js';
import { EraseUserResult, ItemPatch, RemoveItemQuery, RemoveItemResult } from './removal.js';
import { SearchResponse, searchQuery, shapeSearchQuery } from './search.js';
import { SliceQuery, SliceResult } from './slicing.js';
import { SetPrinterBody, UserDetail, UserListQuery, UserPage } from './users.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** public: no key; read < write < admin (a key of a higher scope may call lower routes). */
export type Scope = 'public' | 'read' | 'write' | 'admin';

export interface RouteDef {
  method: Method;
  /** Fastify-style path (`/v1/items/:id`). */
  url: string;
  scope: Scope;
  tags: readonly string[];
  summary: string;
  description?: string;
  params?: z.ZodObject;
  querystring?: z.ZodObject;
  /** JSON body; multipart routes document their text fields in `multipart` instead. */
  body?: z.ZodType;
  /** Text fields of a multipart/form-data body besides the `file` part (documented, parsed by the route). */
  multipart?: z.ZodObject;
  /** JSON responses by status. */
  response?: Readonly<Record<number, z.ZodType>>;
  /** Statuses answered with the `Error` body. */
  errors?: readonly number[];
  /** Content type of a non-JSON response (STL, PNG, Prometheus text). */
  produces?: string;
}

/** Keeps the literal type of a route (for `RouteTypes`) while checking it is a RouteDef. */
function route<const R extends RouteDef>(r: R): R {
  return r;
}

type Out<S> = S extends z.ZodType ? z.output<S> : unknown;

/** A route's JSON responses by status (`{ 200: Item }`), as types. */
export type ResponsesOf<R extends RouteDef> =
  R['response'] extends Readonly<Record<number, z.ZodType>>
    ? { -readonly [S in keyof R['response']]: z.output<R['response'][S]> }
    : unknown;

/**
 * The Fastify route generic of a route: what its handler receives (after ajv applied the defaults) and what it must
 * answer (the handler's return value is checked against the contract's responses).
 */
export interface RouteTypes<R extends RouteDef> {
  Params: Out<R['params']>;
  Querystring: Out<R['querystring']>;
  Body: Out<R['body']>;
  Reply: ResponsesOf<R>;
}

export function apiRoutes(limits: Limits) {
  return {
    healthz: route({
      method: 'GET',
      url: '/healthz',
      scope: 'public',
      tags: ['operations'],
      summary: 'Liveness: the process answers',
      response: { 200: Health },
    }),
    readyz: route({
      method: 'GET',
      url: '/readyz',
      scope: 'public',
      tags: ['operations'],
      summary: 'Readiness: store reachable, catalogue and model loaded (503 until then)',
      response: { 200: ReadyState, 503: ReadyState },
    }),
    metrics: route({
      method: 'GET',
      url: '/metrics',
      scope: 'public',
      tags: ['operations'],
      summary:
        'Prometheus metrics: request latency, impressions, online metrics per experiment arm, cache hit rate, ' +
        'event lag, queue depth, process and GC',
      produces: 'text/plain',
    }),
    recommendations: route({
      method: 'GET',
      url: '/v1/users/:id/recommendations',
      scope: 'read',
      tags: ['recommendations'],
      summary: 'Top-k recommendations for a user, with reasons',
      description:
        'Unknown users get cold-start results (trending within the printer limits), never an error. ' +
        '`printer` removes items that cannot fit in any orientation and down-ranks heavy-support or open meshes.',
      params: IdParams,
      querystring: recommendQuery(limits),
      response: { 200: RecommendationResponse },
      errors: [400, 401, 403, 429],
    }),
    nextForUser: route({
      method: 'GET',
      url: '/v1/users/:id/next',
      scope: 'read',
      tags: ['recommendations'],
      summary: 'Print next: what the user is likely to print after their latest event, with reasons',
      description:
        'Scored by the active sequential model (`layerwise train --sequential`) over the user’s history in time ' +
        'order; without one, by the personal model’s neighbours of the latest items; without history, trending. ' +
        'Never an error for an unknown user.',
      params: IdParams,
      querystring: nextQuery(limits),
      response: { 200: NextItems },
      errors: [400, 401, 403, 429],
    }),
    sessionNext: route({
      method: 'POST',
      url: '/v1/recommendations/session',
      scope: 'read',
      tags: ['recommendations'],
      summary: 'Next items for an anonymous session: a list of item ids (oldest first) → what comes next',
      description:
        'Unknown item ids are left out and listed in `ignored`; a session of only unknown ids gets trending.',
      body: sessionBody(limits),
      response: { 200: NextItems },
      errors: [400, 401, 403, 429],
    }),
    listItems: route({
      method: 'GET',
      url: '/v1/items',
      scope: 'read',
      tags: ['items'],
      summary: 'Page through the catalogue (filter by text, category, tag, printer fit)',
      querystring: ItemListQuery,
      response: { 200: ItemPage },
      errors: [400, 401],
    }),
    getItem: route({
      method: 'GET',
      url: '/v1/items/:id',
      scope: 'read',
      tags: ['items'],
      summary: 'Item metadata, printability report, event counts and thumbnail URL',
      params: IdParams,
      response: { 200: ItemDetail },
      errors: [401, 404],
    }),
    similarItems: route({
      method: 'GET',
      url: '/v1/items/:id/similar',
      scope: 'read',
      tags: ['items'],
      summary: 'Items similar by shape (embeddings), behaviour (co-interaction) or a hybrid of both',
      params: IdParams,
      querystring: similarQuery(limits),
      response: { 200: SimilarResponse },
      errors: [400, 401, 404],
    }),
    itemRemixes: route({
      method: 'GET',
      url: '/v1/items/:id/remixes',
      scope: 'read',
      tags: ['items'],
      summary: 'The remix tree around an item: its ancestors (parent first) and its remixes',
      params: IdParams,
      response: { 200: RemixesResponse },
      errors: [401, 404],
    }),
    thumbnail: route({
      method: 'GET',
      url: '/v1/items/:id/thumbnail.png',
      scope: 'read',
      tags: ['items'],
      summary: 'A rendered PNG thumbnail of the item (cached after the first render)',
      params: IdParams,
      produces: 'image/png',
      errors: [401, 404],
    }),
    uploadItem: route({
      method: 'POST',
      url: '/v1/items',
      scope: 'write',
      tags: ['items'],
      summary: 'Upload a mesh (multipart: file + title, description, tags, license, creator, category)',
      description:
        'Ingested like `layerwise ingest models`: parsed, analysed for printability, embedded for shape search. ' +
        'Returns 201 with the item; 409 when these exact bytes are already an item, 413 when the file is over the ' +
        'size limit, 422 when it is corrupt or has too many triangles. On a cluster replica the work runs in a ' +
        '`layerwise worker` job; 503 names the job when no worker finished it in time.',
      multipart: UploadFields,
      response: { 201: ItemDetail },
      errors: [400, 401, 403, 409, 413, 415, 422, 503],
    }),
    search: route({
      method: 'GET',
      url: '/v1/search',
      scope: 'read',
      tags: ['search'],
      summary: 'Full-text search (BM25 over title, tags, description) blended with popularity',
      querystring: searchQuery(limits),
      response: { 200: SearchResponse },
      errors: [400, 401],
    }),
    shapeSearch: route({
      method: 'POST',
      url: '/v1/search/shape',
      scope: 'read',
      tags: ['search'],
      summary: 'Upload a mesh (multipart field "file") and get the catalogue items closest in shape',
      querystring: shapeSearchQuery(limits),
      multipart: z.object({}),
      response: { 200: SimilarResponse },
      errors: [400, 401, 413, 415, 422],
    }),
    listUsers: route({
      method: 'GET',
      url: '/v1/users',
      scope: 'read',
      tags: ['users'],
      summary: 'Page through known users',
      querystring: UserListQuery,
      response: { 200: UserPage },
      errors: [400, 401],
    }),
    getUser: route({
      method: 'GET',
      url: '/v1/users/:id',
      scope: 'read',
      tags: ['users'],
      summary: "A user's history summary: counts by event type, recent events, top categories",
      params: IdParams,
      response: { 200: UserDetail },
      errors: [401, 404],
    }),
    setPrinter: route({
      method: 'PUT',
      url: '/v1/users/:id/printer',
      scope: 'write',
      tags: ['users'],
      summary: "Save the user's printer profile (null clears it); recommendations use it when `printer` is absent",
      params: IdParams,
      body: SetPrinterBody,
      response: { 200: UserDetail },
      errors: [400, 401, 403],
    }),
    postEvents: route({
      method: 'POST',
      url: '/v1/events',
      scope: 'write',
      tags: ['events'],
      summary: 'Record a batch of events; the next recommendations for those users reflect them (no retrain)',
      description:
        'Events are stored first (durable), then folded into the online state. Per-event problems (unknown ' +
        'item, unknown type) are reported in `rejected` with their index while the rest are accepted.',
      body: EventsBody,
      response: { 200: EventsResult },
      errors: [400, 401, 403, 413],
    }),
    listModels: route({
      method: 'GET',
      url: '/v1/models',
      scope: 'read',
      tags: ['models'],
      summary: 'Trained model versions with their validation metrics; `active` marks the one serving',
      response: { 200: z.array(ModelInfo) },
      errors: [401],
    }),
    activateModel: route({
      method: 'POST',
      url: '/v1/models/:id/activate',
      scope: 'admin',
      tags: ['models'],
      summary: 'Serve this model version (id `name@version`); requests in flight finish on the old one',
      params: IdParams,
      response: { 200: ModelInfo },
      errors: [401, 403, 404, 422],
    }),
    printers: route({
      method: 'GET',
      url: '/v1/printers',
      scope: 'read',
      tags: ['items'],
      summary: 'Built-in printer profiles (ids for the `printer` parameters, build volumes in mm)',
      response: { 200: z.array(PrinterInfo) },
      errors: [401],
    }),
    categories: route({
      method: 'GET',
      url: '/v1/categories',
      scope: 'read',
      tags: ['items'],
      summary: 'Categories of the catalogue with their item counts, most common first',
      response: { 200: z.array(CategoryCount) },
      errors: [401],
    }),
    meshStl: route({
      method: 'GET',
      url: '/v1/items/:id/mesh.stl',
      scope: 'read',
      tags: ['items'],
      summary: "The item's mesh as binary STL (mm), for viewers",
      params: IdParams,
      produces: 'model/stl',
      errors: [401, 404],
    }),
    shapeMap: route({
      method: 'GET',
      url: '/v1/insights/shape-map',
      scope: 'read',
      tags: ['models'],
      summary: "2-D PCA map of the library's shape embeddings (a deterministic sample of `limit` points)",
      querystring: ShapeMapQuery,
      response: { 200: ShapeMap },
      errors: [400, 401],
    }),
    inspect: route({
      method: 'POST',
      url: '/v1/inspect',
      scope: 'read',
      tags: ['search'],
      summary: 'Printability report of an uploaded mesh (multipart field "file"); nothing is stored',
      querystring: InspectQuery,
      multipart: z.object({}),
      response: { 200: InspectResult },
      errors: [400, 401, 413, 415, 422],
    }),
    modelHistory: route({
      method: 'GET',
      url: '/v1/models/history',
      scope: 'read',
      tags: ['models'],
      summary: 'Promotions, rejected candidates, activations, rollbacks and pruning of model versions, newest first',
      querystring: ModelHistoryQuery,
      response: { 200: z.array(ModelChange) },
      errors: [400, 401],
    }),
    listExperiments: route({
      method: 'GET',
      url: '/v1/experiments',
      scope: 'read',
      tags: ['experiments'],
      summary: 'Every experiment, newest first',
      response: { 200: z.array(ExperimentInfo) },
      errors: [401],
    }),
    createExperiment: route({
      method: 'POST',
      url: '/v1/experiments',
      scope: 'admin',
      tags: ['experiments'],
      summary: 'Create an A/B test of model versions or rules (a draft until started)',
      description:
        'Two to ten arms, each a model version (`recommender@3`; absent = the active model) and/or rule ' +
        'overrides, with traffic shares. 404 when an arm names a version that does not exist; 409 with ' +
        '`start: true` while another experiment runs.',
      body: ExperimentCreate,
      response: { 201: ExperimentInfo },
      errors: [400, 401, 403, 404, 409],
    }),
    experimentReadout: route({
      method: 'GET',
      url: '/v1/experiments/:id',
      scope: 'read',
      tags: ['experiments'],
      summary: 'Readout: arms, traffic, online metrics with 95% CIs, always-valid p-values over time, verdict',
      params: IdParams,
      response: { 200: ExperimentReadout },
      errors: [401, 404],
    }),
    startExperiment: route({
      method: 'POST',
      url: '/v1/experiments/:id/start',
      scope: 'admin',
      tags: ['experiments'],
      summary: 'Start assigning users to arms (sticky by user; one experiment at a time)',
      params: IdParams,
      response: { 200: ExperimentInfo },
      errors: [401, 403, 404, 409],
    }),
    stopExperiment: route({
      method: 'POST',
      url: '/v1/experiments/:id/stop',
      scope: 'admin',
      tags: ['experiments'],
      summary: 'Stop the experiment: every user gets the active model again',
      params: IdParams,
      response: { 200: ExperimentInfo },
      errors: [401, 403, 404, 409],
    }),
    removeItem: route({
      method: 'DELETE',
      url: '/v1/items/:id',
      scope: 'admin',
      tags: ['items'],
      summary: 'Unpublish an item: gone from lists, recommendations, search and similar at once; GET answers 404',
      description: 'Its events are kept (they stay in the history of the users) unless `purgeEvents=true`.',
      params: IdParams,
      querystring: RemoveItemQuery,
      response: { 200: RemoveItemResult },
      errors: [400, 401, 403, 404],
    }),
    editItem: route({
      method: 'PATCH',
      url: '/v1/items/:id',
      scope: 'admin',
      tags: ['items'],
      summary: "Edit an item's metadata (title, description, tags, license, creator, category, remixOf)",
      params: IdParams,
      body: ItemPatch,
      response: { 200: ItemDetail },
      errors: [400, 401, 403, 404],
    }),
    sliceItem: route({
      method: 'POST',
      url: '/v1/items/:id/slice',
      scope: 'admin',
      tags: ['items'],
      summary: 'Slice an item with PrusaSlicer for a printer: its time, filament and layers (cached in the store)',
      description:
        "Runs PrusaSlicer in a child process with a time limit under the printer profile's settings. Off unless " +
        'the server enables it (`LAYERWISE_SLICER=prusa-slicer`): 403 `slicer_disabled` until then; 503 when ' +
        'PrusaSlicer is not installed or busy; 422 past the time limit; 400 for an unknown or resin printer. ' +
        'A result is kept per item, printer and orientation until the file or the profile changes.',
      params: IdParams,
      querystring: SliceQuery,
      response: { 200: SliceResult },
      errors: [400, 401, 403, 404, 422, 503],
    }),
    eraseUser: route({
      method: 'DELETE',
      url: '/v1/users/:id',
      scope: 'admin',
      tags: ['users'],
      summary: 'Erase a user: events, printer, impressions and cached recommendations; GET answers 404',
      params: IdParams,
      response: { 200: EraseUserResult },
      errors: [401, 403, 404],
    }),
    listJobs: route({
      method: 'GET',
      url: '/v1/jobs',
      scope: 'read',
      tags: ['jobs'],
      summary:
        'Background jobs (ingest, embed, thumbnail, train, sweep, score), newest first: state, progress, attempts, error',
      description:
        'Every process of a cluster writes its jobs into the store, so any replica lists the same jobs. A failed ' +
        'attempt is retried with exponential backoff (`delayed` until then).',
      querystring: JobListQuery,
      response: { 200: z.array(JobInfo) },
      errors: [400, 401],
    }),
    getJob: route({
      method: 'GET',
      url: '/v1/jobs/:id',
      scope: 'read',
      tags: ['jobs'],
      summary: 'One background job',
      params: IdParams,
      response: { 200: JobInfo },
      errors: [401, 404],
    }),
    userScores: route({
      method: 'GET',
      url: '/v1/users/:id/scores',
      scope: 'read',
      tags: ['jobs'],
      summary: "A user's batch-scored top-k, as the last `score` job stored it (404 until one has)",
      description:
        'Written by `layerwise jobs add score` (a worker job): the same lists the recommendations route answers ' +
        'for the active model at that time, without experiment arms or impressions, read from the store as stored.',
      params: IdParams,
      response: { 200: StoredScores },
      errors: [401, 404],
    }),
  };
}

export type ApiRoutes = ReturnType<typeof apiRoutes>;
export type RouteName = keyof ApiRoutes;
