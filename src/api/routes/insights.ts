/**
 * Read-only routes for the web UI: printer profiles, an item's mesh (binary STL for the 3-D viewer), the
 * printability report of an uploaded file (nothing stored) and a 2-D PCA map of the shape embeddings.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import { errorResponses, idParam } from '../schemas.js';
import { readUpload } from './upload.js';

const vec3 = { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3 } as const;

export function insightRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    '/v1/printers',
    {
      schema: {
        tags: ['items'],
        summary: 'Built-in printer profiles (ids for the `printer` parameters, build volumes in mm)',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'name', 'technology', 'buildVolumeMm'],
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                technology: { type: 'string', enum: ['fdm', 'resin'] },
                buildVolumeMm: vec3,
              },
            },
          },
          ...errorResponses(401),
        },
      },
    },
    async () => services.insights.printers(),
  );

  app.get(
    '/v1/categories',
    {
      schema: {
        tags: ['items'],
        summary: 'Categories of the catalogue with their item counts, most common first',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              required: ['category', 'count'],
              properties: { category: { type: 'string' }, count: { type: 'integer' } },
            },
          },
          ...errorResponses(401),
        },
      },
    },
    async () => services.insights.categories(),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/items/:id/mesh.stl',
    {
      schema: {
        tags: ['items'],
        summary: "The item's mesh as binary STL (mm), for viewers",
        params: idParam,
        produces: ['model/stl'],
      },
    },
    async (request, reply) => {
      const stl = await services.insights.meshStl(request.params.id);
      return reply
        .header('content-type', 'model/stl')
        .header('cache-control', 'public, max-age=3600')
        .send(Buffer.from(stl.buffer, stl.byteOffset, stl.byteLength));
    },
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/v1/insights/shape-map',
    {
      schema: {
        tags: ['models'],
        summary: "2-D PCA map of the library's shape embeddings (a deterministic sample of `limit` points)",
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 20000, default: 3000 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['encoder', 'explained', 'total', 'points', 'encoderLosses'],
            properties: {
              encoder: { type: ['string', 'null'] },
              explained: { type: 'array', items: { type: 'number' } },
              total: { type: 'integer' },
              encoderLosses: { type: 'array', items: { type: 'number' } },
              points: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['itemId', 'title', 'category', 'x', 'y'],
                  properties: {
                    itemId: { type: 'string' },
                    title: { type: 'string' },
                    category: { type: ['string', 'null'] },
                    x: { type: 'number' },
                    y: { type: 'number' },
                  },
                },
              },
            },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => services.insights.shapeMap(request.query.limit ?? 3000),
  );
}

/** POST /v1/inspect (multipart): registered where the multipart parser is. */
export function inspectRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Querystring: { printer?: string } }>(
    '/v1/inspect',
    {
      schema: {
        tags: ['search'],
        summary: 'Printability report of an uploaded mesh (multipart field "file"); nothing is stored',
        consumes: ['multipart/form-data'],
        querystring: {
          type: 'object',
          properties: { printer: { type: 'string', description: 'printer profile id for fit, mass and time' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['filename', 'format', 'printability'],
            properties: {
              filename: { type: 'string' },
              format: { type: 'string' },
              printability: { type: 'object', additionalProperties: true },
            },
          },
          ...errorResponses(400, 401, 413, 415, 422),
        },
      },
    },
    async (request) => {
      const { file } = await readUpload(request);
      return services.insights.inspect(file, request.query.printer);
    },
  );
}
