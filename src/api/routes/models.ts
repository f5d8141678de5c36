/**
 * Model routes: list trained versions with metrics; activate one (admin) — an atomic swap under traffic; the
 * history of promotions, rejections, activations, rollbacks and pruning.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function modelRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['listModels']>>({
    ...api.options('listModels'),
    handler: async () => services.models.list(),
  });

  app.route<RouteTypes<ApiRoutes['activateModel']>>({
    ...api.options('activateModel'),
    handler: async (request) => services.models.activate(request.params.id),
  });

  app.route<RouteTypes<ApiRoutes['modelHistory']>>({
    ...api.options('modelHistory'),
    handler: async (request) => services.models.history(request.query.limit),
  });
}
