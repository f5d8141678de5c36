/**
 * JSON schemas of the API's bodies: registered once with `$id` so routes reference them (`{ $ref: 'Item#' }`) and
 * the OpenAPI document lists them as named components. They mirror the types in src/app/services/types.ts.
 */

const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const nullableStr = { type: ['string', 'null'] } as const;

export const sharedSchemas = [
  {
    $id: 'Error',
    type: 'object',
    description: 'Every 4xx/5xx body: a machine-readable code and a human message.',
    required: ['code', 'message'],
    properties: {
      code: { ...str, description: 'invalid_argument, unauthorized, forbidden, not_found, limit_exceeded, …' },
      message: str,
      details: { type: 'object', additionalProperties: true },
    },
  },
  {
    $id: 'Reason',
    type: 'object',
    required: ['kind', 'weight', 'text'],
    properties: {
      kind: { type: 'string', enum: ['history', 'shape', 'popular', 'trending', 'cold_start', 'printer'] },
      itemId: str,
      weight: num,
      text: str,
    },
  },
  {
    $id: 'ScoredItem',
    type: 'object',
    required: ['itemId', 'score', 'title', 'category', 'creator', 'thumbnailUrl', 'reasons'],
    properties: {
      itemId: str,
      score: num,
      title: str,
      category: nullableStr,
      creator: nullableStr,
      thumbnailUrl: str,
      reasons: { type: 'array', items: { $ref: 'Reason#' } },
    },
  },
  {
    $id: 'ModelRef',
    type: ['object', 'null'],
    required: ['id', 'name', 'version'],
    properties: { id: str, name: str, version: int },
  },
  {
    $id: 'Recommendations',
    type: 'object',
    required: ['userId', 'recommendationId', 'model', 'coldStart', 'printer', 'experiment', 'arm', 'items'],
    properties: {
      userId: str,
      recommendationId: { ...str, description: 'send it back with events on these items (online metrics)' },
      experiment: { ...nullableStr, description: 'the running experiment the user is in' },
      arm: { ...nullableStr, description: "the user's arm in it (sticky)" },
      model: { $ref: 'ModelRef#' },
      coldStart: { type: 'boolean', description: 'true when the user had no history: trending items were served' },
      printer: nullableStr,
      items: { type: 'array', items: { $ref: 'ScoredItem#' } },
    },
  },
  {
    $id: 'Similar',
    type: 'object',
    required: ['itemId', 'by', 'items'],
    properties: {
      itemId: { ...nullableStr, description: 'the query item; null for shape search by upload' },
      by: { type: 'string', enum: ['shape', 'behaviour', 'hybrid'] },
      items: { type: 'array', items: { $ref: 'ScoredItem#' } },
    },
  },
  {
    $id: 'ItemSummary',
    type: 'object',
    required: ['id', 'title', 'category', 'tags', 'creator', 'license', 'format', 'thumbnailUrl', 'popularity'],
    properties: {
      id: str,
      title: str,
      category: nullableStr,
      tags: { type: 'array', items: str },
      creator: nullableStr,
      license: nullableStr,
      format: nullableStr,
      thumbnailUrl: str,
      popularity: num,
    },
  },
  {
    $id: 'Item',
    type: 'object',
    required: ['id', 'title', 'description', 'tags', 'stats', 'printability'],
    properties: {
      id: str,
      title: str,
      description: str,
      category: nullableStr,
      tags: { type: 'array', items: str },
      creator: nullableStr,
      license: nullableStr,
      format: nullableStr,
      thumbnailUrl: str,
      popularity: num,
      sizeBytes: { type: ['integer', 'null'] },
      createdAt: nullableStr,
      remixOf: nullableStr,
      family: nullableStr,
      printability: {
        type: ['object', 'null'],
        additionalProperties: true,
        description: 'PrintabilityReport: geometry stats, watertightness, overhangs, fit, mass, print time',
      },
      stats: { type: 'object', additionalProperties: { type: 'number' }, description: 'event counts by type' },
    },
  },
  {
    $id: 'ItemPage',
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: { $ref: 'ItemSummary#' } }, nextCursor: nullableStr },
  },
  {
    $id: 'SearchResults',
    type: 'object',
    required: ['query', 'items'],
    properties: {
      query: str,
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['itemId', 'score', 'textScore', 'title', 'reasons'],
          properties: {
            itemId: str,
            score: num,
            textScore: num,
            title: str,
            category: nullableStr,
            creator: nullableStr,
            thumbnailUrl: str,
            reasons: { type: 'array', items: { $ref: 'Reason#' } },
          },
        },
      },
    },
  },
  {
    $id: 'UserSummary',
    type: 'object',
    required: ['id', 'events', 'lastActive'],
    properties: { id: str, events: int, lastActive: nullableStr },
  },
  {
    $id: 'UserPage',
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: { $ref: 'UserSummary#' } }, nextCursor: nullableStr },
  },
  {
    $id: 'User',
    type: 'object',
    required: ['id', 'events', 'lastActive', 'printer', 'byType', 'recent', 'topCategories'],
    properties: {
      id: str,
      events: int,
      lastActive: nullableStr,
      printer: { ...nullableStr, description: 'saved printer profile id' },
      byType: { type: 'object', additionalProperties: { type: 'number' } },
      recent: {
        type: 'array',
        items: {
          type: 'object',
          required: ['itemId', 'type', 'weight', 'timestamp'],
          properties: { itemId: str, type: str, weight: num, timestamp: str },
        },
      },
      topCategories: {
        type: 'array',
        items: { type: 'object', required: ['category', 'count'], properties: { category: str, count: int } },
      },
    },
  },
  {
    $id: 'EventsResult',
    type: 'object',
    required: ['accepted', 'rejected'],
    properties: {
      accepted: int,
      rejected: {
        type: 'array',
        items: {
          type: 'object',
          required: ['index', 'code', 'message'],
          properties: { index: int, code: str, message: str },
        },
      },
    },
  },
  {
    $id: 'Model',
    type: 'object',
    required: ['id', 'name', 'kind', 'version', 'createdAt', 'active', 'configHash', 'metrics'],
    properties: {
      id: str,
      name: str,
      kind: str,
      version: int,
      createdAt: str,
      active: { type: 'boolean' },
      configHash: str,
      metrics: { type: 'object', additionalProperties: true },
    },
  },
  {
    $id: 'Experiment',
    type: 'object',
    required: ['id', 'name', 'status', 'arms', 'settings', 'createdAt', 'startedAt', 'stoppedAt'],
    properties: {
      id: str,
      name: str,
      status: { type: 'string', enum: ['draft', 'running', 'stopped'] },
      arms: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'model', 'rules', 'share'],
          properties: {
            name: str,
            model: nullableStr,
            rules: { type: ['object', 'null'], additionalProperties: true },
            share: num,
          },
        },
      },
      settings: { type: 'object', additionalProperties: true },
      createdAt: str,
      startedAt: nullableStr,
      stoppedAt: nullableStr,
    },
  },
  {
    $id: 'ModelChange',
    type: 'object',
    required: ['name', 'version', 'action', 'previous', 'reason', 'at'],
    properties: {
      name: str,
      version: int,
      action: { type: 'string', enum: ['activate', 'promote', 'reject', 'rollback', 'prune'] },
      previous: { type: ['integer', 'null'] },
      reason: str,
      details: {},
      at: str,
    },
  },
  {
    $id: 'Ready',
    type: 'object',
    required: ['ready', 'checks'],
    properties: {
      ready: { type: 'boolean' },
      checks: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          required: ['ok', 'message'],
          properties: { ok: { type: 'boolean' }, message: str },
        },
      },
    },
  },
] as const;

/** Standard error responses for a route's schema, by status. */
export function errorResponses(...statuses: number[]): Record<number, { $ref: string }> {
  const out: Record<number, { $ref: string }> = {};
  for (const s of statuses) out[s] = { $ref: 'Error#' };
  return out;
}

export const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;
