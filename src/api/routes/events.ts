/** POST /v1/events — a batch of interactions, stored durably then applied online (write scope). */
import type { FastifyInstance } from 'fastify';
import type { EventInput, Services } from '../../app/serve/types.js';
import { errorResponses } from '../schemas.js';

export const MAX_EVENTS_PER_BATCH = 10_000;

export function eventRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Body: { events: EventInput[] } }>(
    '/v1/events',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['events'],
        summary: 'Record a batch of events; the next recommendations for those users reflect them (no retrain)',
        description:
          'Events are stored first (durable), then folded into the online state. Per-event problems (unknown ' +
          'item, unknown type) are reported in `rejected` with their index while the rest are accepted.',
        body: {
          type: 'object',
          required: ['events'],
          additionalProperties: false,
          properties: {
            events: {
              type: 'array',
              minItems: 1,
              maxItems: MAX_EVENTS_PER_BATCH,
              items: {
                type: 'object',
                required: ['userId', 'itemId', 'type'],
                additionalProperties: false,
                properties: {
                  userId: { type: 'string', minLength: 1, maxLength: 256 },
                  itemId: { type: 'string', minLength: 1, maxLength: 256 },
                  type: {
                    type: 'string',
                    description: 'view, like, download, make, collect, rating; negative: dislike, hide, report',
                  },
                  timestamp: { type: ['string', 'number'], description: 'ISO 8601 or epoch ms; default now' },
                  weight: { type: 'number', minimum: 0, description: 'overrides the type weight (rating: 1–5)' },
                  recommendationId: {
                    type: 'string',
                    maxLength: 200,
                    description: 'the recommendationId of the response that showed the item (online metrics)',
                  },
                },
              },
            },
          },
        },
        response: { 200: { $ref: 'EventsResult#' }, ...errorResponses(400, 401, 403, 413) },
      },
    },
    async (request) => services.events.ingest(request.body.events),
  );
}
