/** Job routes: the background jobs every process of the deployment records in the store, and what score jobs stored. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function jobRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['listJobs']>>({
    ...api.options('listJobs'),
    handler: async (request) => services.jobs.list(request.query),
  });

  app.route<RouteTypes<ApiRoutes['getJob']>>({
    ...api.options('getJob'),
    handler: async (request) => services.jobs.get(request.params.id),
  });

  app.route<RouteTypes<ApiRoutes['userScores']>>({
    ...api.options('userScores'),
    handler: async (request) => services.jobs.scores(request.params.id),
  });
}
