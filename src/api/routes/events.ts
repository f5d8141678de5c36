/** POST /v1/events — a batch of interactions, stored durably then applied online (write scope). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function eventRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['postEvents']>>({
    ...api.options('postEvents'),
    handler: async (request) => services.events.ingest(request.body.events),
  });
}
