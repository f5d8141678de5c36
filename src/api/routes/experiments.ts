/**
 * Experiment routes: create (admin), list, read out (per-arm metrics with 95 % CIs, the always-valid comparison,
 * series over time, the verdict), start and stop (admin).
 */
import type { FastifyInstance } from 'fastify';
import type { ExperimentCreate, Services } from '../../app/serve/types.js';

const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;
const experiment = {
  type: 'object',
  required: ['id', 'name', 'status', 'arms', 'settings', 'createdAt', 'startedAt', 'stoppedAt'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'running', 'stopped'] },
    arms: { type: 'array', items: { type: 'object', additionalProperties: true } },
    settings: { type: 'object', additionalProperties: true },
    createdAt: { type: 'string' },
    startedAt: { type: ['string', 'null'] },
    stoppedAt: { type: ['string', 'null'] },
  },
} as const;
const change = {
  type: 'object',
  required: ['name', 'version', 'action', 'previous', 'reason', 'at'],
  properties: {
    name: { type: 'string' },
    version: { type: 'integer' },
    action: { type: 'string', enum: ['activate', 'promote', 'reject', 'rollback', 'prune'] },
    previous: { type: ['integer', 'null'] },
    reason: { type: 'string' },
    details: {},
    at: { type: 'string' },
  },
} as const;

const arm = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    model: { type: ['string', 'null'], description: 'model version `name@version`; null or absent = the active model' },
    rules: {
      type: ['object', 'null'],
      additionalProperties: { type: 'number', minimum: 0 },
      description: 'rule overrides: supportPenalty, openMeshPenalty, maxPerCreator, maxPerFamily',
    },
    share: { type: 'number', exclusiveMinimum: 0, description: 'traffic share (normalised over arms; default 1)' },
  },
} as const;

export function experimentRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Body: ExperimentCreate }>(
    '/v1/experiments',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['experiments'],
        summary: 'Create an A/B test of model versions or rules (a draft until started)',
        body: {
          type: 'object',
          required: ['name', 'arms'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 64 },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            arms: { type: 'array', minItems: 2, maxItems: 10, items: arm },
            start: { type: 'boolean', description: 'start at once (default false)' },
            settings: {
              type: 'object',
              additionalProperties: false,
              properties: {
                primaryMetric: { type: 'string', enum: ['view', 'like', 'download', 'make'] },
                alpha: { type: 'number', exclusiveMinimum: 0, maximum: 0.5 },
                tau: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
                minUsers: { type: 'integer', minimum: 10 },
              },
            },
          },
        },
        response: { 201: experiment },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return services.experiments.create(request.body);
    },
  );

  app.get(
    '/v1/experiments',
    {
      schema: {
        tags: ['experiments'],
        summary: 'Every experiment, newest first',
        response: { 200: { type: 'array', items: experiment } },
      },
    },
    async () => services.experiments.list(),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/experiments/:id',
    {
      // the readout is built to its schema by the service; skip the compiled serializer's copy
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['experiments'],
        summary: 'Readout: arms, traffic, online metrics with 95% CIs, always-valid p-values over time, verdict',
        params: idParam,
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (request) => services.experiments.readout(request.params.id),
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/v1/models/history',
    {
      schema: {
        tags: ['models'],
        summary: 'Promotions, rejected candidates, activations, rollbacks and pruning of model versions, newest first',
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
        },
        response: { 200: { type: 'array', items: change } },
      },
    },
    async (request) => services.models.history(request.query.limit ?? 50),
  );

  for (const action of ['start', 'stop'] as const) {
    app.post<{ Params: { id: string } }>(
      `/v1/experiments/:id/${action}`,
      {
        config: { scope: 'admin' },
        schema: {
          tags: ['experiments'],
          summary:
            action === 'start'
              ? 'Start assigning users to arms (sticky by user; one experiment at a time)'
              : 'Stop the experiment: every user gets the active model again',
          params: idParam,
          response: { 200: experiment },
        },
      },
      async (request) => services.experiments[action](request.params.id),
    );
  }
}
