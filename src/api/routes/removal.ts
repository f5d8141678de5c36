/**
 * Removal routes (admin): unpublish an item (`DELETE /v1/items/:id`, events kept unless `purgeEvents=true`), edit
 * an item's metadata (`PATCH /v1/items/:id`), erase a user (`DELETE /v1/users/:id`). Effective at once: the next
 * request no longer sees the removed data.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function removalRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['removeItem']>>({
    ...api.options('removeItem'),
    handler: async (request) =>
      services.removal.removeItem(request.params.id, { purgeEvents: request.query.purgeEvents }),
  });

  app.route<RouteTypes<ApiRoutes['editItem']>>({
    ...api.options('editItem'),
    handler: async (request) => services.removal.updateItem(request.params.id, request.body),
  });

  app.route<RouteTypes<ApiRoutes['eraseUser']>>({
    ...api.options('eraseUser'),
    handler: async (request) => services.removal.eraseUser(request.params.id),
  });
}
