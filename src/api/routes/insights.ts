/**
 * Read-only routes for the web UI: printer profiles, an item's mesh (binary STL for the 3-D viewer), the
 * printability report of an uploaded file (nothing stored) and a 2-D PCA map of the shape embeddings.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';
import { readUpload } from './upload.js';

export function insightRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route({ ...api.options('printers'), handler: async () => services.insights.printers() });

  app.route({ ...api.options('categories'), handler: async () => services.insights.categories() });

  app.route<RouteTypes<ApiRoutes['meshStl']>>({
    ...api.options('meshStl'),
    handler: async (request, reply) => {
      const stl = await services.insights.meshStl(request.params.id);
      return reply
        .header('content-type', 'model/stl')
        .header('cache-control', 'public, max-age=3600')
        .send(Buffer.from(stl.buffer, stl.byteOffset, stl.byteLength));
    },
  });

  app.route<RouteTypes<ApiRoutes['shapeMap']>>({
    ...api.options('shapeMap'),
    handler: async (request) => services.insights.shapeMap(request.query.limit),
  });
}

/** POST /v1/inspect (multipart): registered where the multipart parser is. */
export function inspectRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['inspect']>>({
    ...api.options('inspect'),
    handler: async (request) => {
      const { file } = await readUpload(request);
      return services.insights.inspect(file, request.query.printer);
    },
  });
}
