/** "Print next": GET /v1/users/:id/next and POST /v1/recommendations/session (an anonymous session's next items). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, NextQuery, RouteTypes, SessionRequest } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function nextRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['nextForUser']>>({
    ...api.options('nextForUser'),
    handler: async (request) => {
      const q = request.query;
      const query: NextQuery = { k: q.k, explain: q.explain };
      if (q.printer !== undefined) query.printer = q.printer;
      return services.next.forUser(request.params.id, query);
    },
  });
  app.route<RouteTypes<ApiRoutes['sessionNext']>>({
    ...api.options('sessionNext'),
    handler: async (request) => {
      const b = request.body;
      const session: SessionRequest = { items: b.items, k: b.k, explain: b.explain };
      if (b.printer !== undefined) session.printer = b.printer;
      return services.next.session(session);
    },
  });
}
