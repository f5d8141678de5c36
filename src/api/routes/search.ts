/** Search routes: BM25 text search blended with popularity, and shape search by mesh upload. */
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../../app/config.js';
import type { Services } from '../../app/serve/types.js';
import { errorResponses } from '../schemas.js';
import { readUpload } from './upload.js';

export function searchRoutes(app: FastifyInstance, services: Services, config: ServerConfig): void {
  const { defaultK, maxK } = config.recommend;

  app.get<{ Querystring: { q: string; k?: number; category?: string } }>(
    '/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Full-text search (BM25 over title, tags, description) blended with popularity',
        querystring: {
          type: 'object',
          required: ['q'],
          properties: {
            q: { type: 'string', minLength: 1, maxLength: 200 },
            k: { type: 'integer', minimum: 1, maximum: maxK, default: defaultK },
            category: { type: 'string' },
          },
        },
        response: { 200: { $ref: 'SearchResults#' }, ...errorResponses(400, 401) },
      },
    },
    async (request) => services.search.text(request.query.q, request.query.k ?? defaultK, request.query.category),
  );
}

/** POST /v1/search/shape (multipart): registered where the multipart parser is. */
export function shapeSearchRoutes(app: FastifyInstance, services: Services, config: ServerConfig): void {
  const { defaultK, maxK } = config.recommend;
  app.post<{ Querystring: { k?: number } }>(
    '/v1/search/shape',
    {
      schema: {
        tags: ['search'],
        summary: 'Upload a mesh (multipart field "file") and get the catalogue items closest in shape',
        consumes: ['multipart/form-data'],
        querystring: {
          type: 'object',
          properties: { k: { type: 'integer', minimum: 1, maximum: maxK, default: defaultK } },
        },
        response: { 200: { $ref: 'Similar#' }, ...errorResponses(400, 401, 413, 415, 422) },
      },
    },
    async (request) => {
      const { file } = await readUpload(request);
      return services.search.shape(file, request.query.k ?? defaultK);
    },
  );
}
