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
