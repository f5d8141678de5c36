/** Model routes: list trained versions with metrics; activate one (admin) — an atomic swap under traffic. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function modelRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route({ ...api.options('listModels'), handler: async () => services.models.list() });

  app.route<RouteTypes<ApiRoutes['activateModel']>>({
    ...api.options('activateModel'),
    handler: async (request) => services.models.activate(request.params.id),
  });
}
