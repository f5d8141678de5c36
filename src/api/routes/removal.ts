/**
 * Removal routes (admin): unpublish an item (`DELETE /v1/items/:id`, events kept unless `purgeEvents=true`), edit
 * an item's metadata (`PATCH /v1/items/:id`), erase a user (`DELETE /v1/users/:id`). Effective at once: the next
 * request no longer sees the removed data.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';

const idParam = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
} as const;

export function removalRoutes(app: FastifyInstance, services: Services): void {
  app.delete<{ Params: { id: string }; Querystring: { purgeEvents?: boolean } }>(
    '/v1/items/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['items'],
        summary: 'Unpublish an item: gone from lists, recommendations, search and similar at once; GET answers 404',
        params: idParam,
        querystring: {
          type: 'object',
          properties: { purgeEvents: { type: 'boolean', default: false, description: 'also delete its events' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['id', 'removed', 'events'],
            properties: { id: { type: 'string' }, removed: { type: 'boolean' }, events: { type: 'integer' } },
          },
        },
      },
    },
    async (request) =>
      services.removal.removeItem(request.params.id, { purgeEvents: request.query.purgeEvents ?? false }),
  );

  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/v1/items/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['items'],
        summary: "Edit an item's metadata (title, description, tags, license, creator, category, remixOf)",
        params: idParam,
        body: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: {
            title: { type: 'string', minLength: 1, maxLength: 1000 },
            description: { type: ['string', 'null'], maxLength: 10000 },
            tags: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 100 } },
            license: { type: ['string', 'null'], maxLength: 200 },
            creator: { type: ['string', 'null'], maxLength: 200 },
            category: { type: ['string', 'null'], maxLength: 200 },
            remixOf: { type: ['string', 'null'], maxLength: 256 },
          },
        },
      },
    },
    async (request) => services.removal.updateItem(request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/users/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Erase a user: events, printer, impressions and cached recommendations; GET answers 404',
        params: idParam,
        response: {
          200: {
            type: 'object',
            required: ['id', 'events', 'impressions'],
            properties: { id: { type: 'string' }, events: { type: 'integer' }, impressions: { type: 'integer' } },
          },
        },
      },
    },
    async (request) => services.removal.eraseUser(request.params.id),
  );
}
