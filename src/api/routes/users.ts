/** User routes: paged list of known users and a user's history summary. */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import { errorResponses, idParam } from '../schemas.js';

export function userRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: { cursor?: string; limit?: number } }>(
    '/v1/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Page through known users',
        querystring: {
          type: 'object',
          properties: {
            cursor: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
        response: { 200: { $ref: 'UserPage#' }, ...errorResponses(400, 401) },
      },
    },
    async (request) => services.users.list(request.query.cursor, request.query.limit ?? 50),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "A user's history summary: counts by event type, recent events, top categories",
        params: idParam,
        response: { 200: { $ref: 'User#' }, ...errorResponses(401, 404) },
      },
    },
    async (request) => services.users.get(request.params.id),
  );

  app.put<{ Params: { id: string }; Body: { printer: string | null } }>(
    '/v1/users/:id/printer',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['users'],
        summary: "Save the user's printer profile (null clears it); recommendations use it when `printer` is absent",
        params: idParam,
        body: {
          type: 'object',
          required: ['printer'],
          additionalProperties: false,
          properties: { printer: { type: ['string', 'null'], description: 'printer profile id, e.g. prusa-mk4' } },
        },
        response: { 200: { $ref: 'User#' }, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => services.users.setPrinter(request.params.id, request.body.printer),
  );
}
