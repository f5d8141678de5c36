/** Search routes: BM25 text search blended with popularity, and shape search by mesh upload. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { ApiRoutes, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';
import { readUpload } from './upload.js';

export function searchRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['search']>>({
    ...api.options('search'),
    handler: async (request) => services.search.text(request.query.q, request.query.k, request.query.category),
  });
}

/** POST /v1/search/shape (multipart): registered where the multipart parser is. */
export function shapeSearchRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['shapeSearch']>>({
    ...api.options('shapeSearch'),
    handler: async (request) => {
      const { file } = await readUpload(request);
      return services.search.shape(file, request.query.k);
    },
  });
}
