/** Operations routes: liveness, readiness and Prometheus metrics. All public (no API key needed). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiMetrics } from '../metrics.js';
import type { ApiSchemas } from '../schemas.js';

export function healthRoutes(app: FastifyInstance, services: Services, metrics: ApiMetrics, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['healthz']>>({ ...api.options('healthz'), handler: async () => ({ status: 'ok' }) });

  app.route<RouteTypes<ApiRoutes['readyz']>>({
    ...api.options('readyz'),
    handler: async (_request, reply) => {
      const state = await services.health.ready();
      return reply.status(state.ready ? 200 : 503).send(state);
    },
  });

  app.route({
    ...api.options('metrics'),
    handler: async (_request, reply) => {
      return reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(await metrics.render());
    },
  });
}
