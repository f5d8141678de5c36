/** Model routes: list trained versions with metrics; activate one (admin) — an atomic swap under traffic. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import { errorResponses, idParam } from '../schemas.js';

export function modelRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    '/v1/models',
    {
      schema: {
        tags: ['models'],
        summary: 'Trained model versions with their validation metrics; `active` marks the one serving',
        response: { 200: { type: 'array', items: { $ref: 'Model#' } }, ...errorResponses(401) },
      },
    },
    async () => services.models.list(),
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
        response: { 200: { type: 'array', items: { $ref: 'ModelChange#' } }, ...errorResponses(401) },
      },
    },
    async (request) => services.models.history(request.query.limit ?? 50),
  );

  app.post<{ Params: { id: string } }>(
    '/v1/models/:id/activate',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['models'],
        summary: 'Serve this model version (id `name@version`); requests in flight finish on the old one',
        params: idParam,
        response: { 200: { $ref: 'Model#' }, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => services.models.activate(request.params.id),
  );
}
