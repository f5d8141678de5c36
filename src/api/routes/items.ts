/**
 * Item routes: detail, paged list, similar items, remix tree, thumbnail, slicing (admin), and upload of a new model
 * (write scope).
 */
import type { FastifyInstance } from 'fastify';
import type { Services, UploadMetadata } from '../../app/serve/types.js';
import type { ApiRoutes, ItemListQuery, RouteTypes } from '../../contract/index.js';
import type { ApiSchemas } from '../schemas.js';
import { readUpload } from './upload.js';

export function itemRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['listItems']>>({
    ...api.options('listItems'),
    handler: async (request) => {
      const q = request.query;
      const query: ItemListQuery = { limit: q.limit };
      if (q.query !== undefined && q.query !== '') query.query = q.query;
      if (q.category !== undefined) query.category = q.category;
      if (q.tag !== undefined) query.tag = q.tag;
      if (q.printer !== undefined && q.printer !== '') query.printer = q.printer;
      if (q.cursor !== undefined) query.cursor = q.cursor;
      return services.items.list(query);
    },
  });

  app.route<RouteTypes<ApiRoutes['getItem']>>({
    ...api.options('getItem'),
    handler: async (request) => services.items.get(request.params.id),
  });

  app.route<RouteTypes<ApiRoutes['similarItems']>>({
    ...api.options('similarItems'),
    handler: async (request) => services.items.similar(request.params.id, request.query.k, request.query.by),
  });

  app.route<RouteTypes<ApiRoutes['itemRemixes']>>({
    ...api.options('itemRemixes'),
    handler: async (request) => services.items.remixes(request.params.id),
  });

  app.route<RouteTypes<ApiRoutes['sliceItem']>>({
    ...api.options('sliceItem'),
    handler: async (request) => services.items.slice(request.params.id, request.query),
  });

  app.route<RouteTypes<ApiRoutes['thumbnail']>>({
    ...api.options('thumbnail'),
    handler: async (request, reply) => {
      const png = await services.items.thumbnail(request.params.id);
      return reply
        .header('content-type', 'image/png')
        .header('cache-control', 'public, max-age=3600')
        .send(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
    },
  });
}

/** POST /v1/items (multipart): registered where the multipart parser is. */
export function itemUploadRoutes(app: FastifyInstance, services: Services, api: ApiSchemas): void {
  app.route<RouteTypes<ApiRoutes['uploadItem']>>({
    ...api.options('uploadItem'),
    handler: async (request, reply) => {
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
  });
}
