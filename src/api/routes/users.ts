/** User routes: paged list of known users, a user's history summary and their saved printer. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function userRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['listUsers']>>({
    ...api.options('listUsers'),
    handler: async (request) => services.users.list(request.query.cursor, request.query.limit),
  });

  app.route<RouteTypes<ApiRoutes['getUser']>>({
    ...api.options('getUser'),
    handler: async (request) => services.users.get(request.params.id),
  });

  app.route<RouteTypes<ApiRoutes['setPrinter']>>({
    ...api.options('setPrinter'),
    handler: async (request) => services.users.setPrinter(request.params.id, request.body.printer),
  });
}
