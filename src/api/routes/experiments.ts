/**
 * Experiment routes: create (admin), list, read out (per-arm metrics with 95 % CIs, the always-valid comparison,
 * series over time, the verdict), start and stop (admin).
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';

export function experimentRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['createExperiment']>>({
    ...api.options('createExperiment'),
    handler: async (request, reply) => {
      reply.code(201);
      return services.experiments.create(request.body);
    },
  });

  app.route<RouteTypes<ApiRoutes['listExperiments']>>({
    ...api.options('listExperiments'),
    handler: async () => services.experiments.list(),
  });

  app.route<RouteTypes<ApiRoutes['experimentReadout']>>({
    ...api.options('experimentReadout'),
    handler: async (request) => services.experiments.readout(request.params.id),
  });

  app.route<RouteTypes<ApiRoutes['startExperiment']>>({
    ...api.options('startExperiment'),
    handler: async (request) => services.experiments.start(request.params.id),
  });

  app.route<RouteTypes<ApiRoutes['stopExperiment']>>({
    ...api.options('stopExperiment'),
    handler: async (request) => services.experiments.stop(request.params.id),
  });
}
