/** Operations routes: liveness, readiness and Prometheus metrics. All public (no API key needed). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../app/serve/types.js';
import type { RequestMetrics } from '../metrics.js';

export function healthRoutes(app: FastifyInstance, services: Services, metrics: RequestMetrics): void {
  app.get(
    '/healthz',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: store reachable, catalogue and model loaded (503 until then)',
        response: {
          200: { $ref: 'Ready#' },
          503: { $ref: 'Ready#' },
        },
      },
    },
    async (_request, reply) => {
      const state = await services.health.ready();
      return reply.status(state.ready ? 200 : 503).send(state);
    },
  );

  app.get(
    '/metrics',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics: request latency histograms, model version, event lag',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      return reply
        .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
        .send(metrics.render(services.health.gauges()));
    },
  );
}
