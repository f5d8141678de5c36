/** Item routes: detail, paged list, similar items, thumbnail, and upload of a new model (write scope). */
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../../app/config.js';
import type { ItemListQuery, Services, SimilarBy, UploadMetadata } from '../../app/serve/types.js';
import { errorResponses, idParam } from '../schemas.js';
import { readUpload } from './upload.js';

export function itemRoutes(app: FastifyInstance, services: Services, config: ServerConfig): void {
  const { defaultK, maxK } = config.recommend;

  app.get<{
    Querystring: { query?: string; category?: string; tag?: string; printer?: string; cursor?: string; limit?: number };
  }>(
    '/v1/items',
    {
      schema: {
        tags: ['items'],
        summary: 'Page through the catalogue (filter by text, category, tag, printer fit)',
        querystring: {
          type: 'object',
          properties: {
            query: { type: 'string', maxLength: 200, description: 'case-insensitive substring of title/tags' },
            category: { type: 'string' },
            tag: { type: 'string' },
            printer: { type: 'string', description: 'only items that fit this printer (profile id)' },
            cursor: { type: 'string', description: 'nextCursor of the previous page' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
        response: { 200: { $ref: 'ItemPage#' }, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      const query: ItemListQuery = { limit: q.limit ?? 50 };
      if (q.query !== undefined && q.query !== '') query.query = q.query;
      if (q.category !== undefined) query.category = q.category;
      if (q.tag !== undefined) query.tag = q.tag;
      if (q.printer !== undefined && q.printer !== '') query.printer = q.printer;
      if (q.cursor !== undefined) query.cursor = q.cursor;
      return services.items.list(query);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/items/:id',
    {
      schema: {
        tags: ['items'],
        summary: 'Item metadata, printability report, event counts and thumbnail URL',
        params: idParam,
        response: { 200: { $ref: 'Item#' }, ...errorResponses(401, 404) },
      },
    },
    async (request) => services.items.get(request.params.id),
  );

  app.get<{ Params: { id: string }; Querystring: { k?: number; by?: SimilarBy } }>(
    '/v1/items/:id/similar',
    {
      schema: {
        tags: ['items'],
        summary: 'Items similar by shape (embeddings), behaviour (co-interaction) or a hybrid of both',
        params: idParam,
        querystring: {
          type: 'object',
          properties: {
            k: { type: 'integer', minimum: 1, maximum: maxK, default: defaultK },
            by: { type: 'string', enum: ['shape', 'behaviour', 'hybrid'], default: 'hybrid' },
          },
        },
        response: { 200: { $ref: 'Similar#' }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      services.items.similar(request.params.id, request.query.k ?? defaultK, request.query.by ?? 'hybrid'),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/items/:id/thumbnail.png',
    {
      schema: {
        tags: ['items'],
        summary: 'A rendered PNG thumbnail of the item (cached after the first render)',
        params: idParam,
        produces: ['image/png'],
      },
    },
    async (request, reply) => {
      const png = await services.items.thumbnail(request.params.id);
      return reply
        .header('content-type', 'image/png')
        .header('cache-control', 'public, max-age=3600')
        .send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  );
}

/** POST /v1/items (multipart): registered where the multipart parser is. */
export function itemUploadRoutes(app: FastifyInstance, services: Services): void {
  app.post(
    '/v1/items',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['items'],
        summary: 'Upload a mesh (multipart: file + title, description, tags, license, creator, category)',
        description:
          'Ingested like `layerwise ingest models`: parsed, analysed for printability, embedded for shape search. ' +
          'Returns 201 with the item; 413 when the file is over the size limit, 422 when it is corrupt or has too ' +
          'many triangles.',
        consumes: ['multipart/form-data'],
        response: { 201: { $ref: 'Item#' }, ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const { file, fields } = await readUpload(request);
      const meta: UploadMetadata = {};
      if (fields.title) meta.title = fields.title;
      if (fields.description) meta.description = fields.description;
      if (fields.license) meta.license = fields.license;
      if (fields.creator) meta.creator = fields.creator;
      if (fields.category) meta.category = fields.category;
      if (fields.tags)
        meta.tags = fields.tags
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '');
      const item = await services.items.upload(file, meta);
      return reply.status(201).send(item);
    },
  );
}
