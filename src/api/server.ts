/**
 * The Fastify server factory. `buildServer(services, config)` wires plugins (OpenAPI + /docs, CORS, per-key rate
 * limits, multipart uploads), auth, metrics, the error mapping and every route; it does not listen, so tests call
 * `await app.listen({ port: 0 })` and benchmarks pick their own port. The CLI (`layerwise serve`) adds listening,
 * the UI's static files and signal handling.
 */
import { existsSync } from 'node:fs';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from '../app/config.js';
import type { Services } from '../app/serve/types.js';
import { registerAuth } from './auth.js';
import { AuthFailureLimiter, formatWindow } from './auth-limit.js';
import { clientErrorHandler, errorHandler } from './errors.js';
import { ApiMetrics } from './metrics.js';
import { registerLoadShedding } from './overload.js';
import { RequestLog } from './request-log.js';
import { eventRoutes } from './routes/events.js';
import { experimentRoutes } from './routes/experiments.js';
import { healthRoutes } from './routes/health.js';
import { insightRoutes, inspectRoutes } from './routes/insights.js';
import { itemRoutes, itemUploadRoutes } from './routes/items.js';
import { jobRoutes } from './routes/jobs.js';
import { modelRoutes } from './routes/models.js';
import { nextRoutes } from './routes/next.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { removalRoutes } from './routes/removal.js';
import { searchRoutes, shapeSearchRoutes } from './routes/search.js';
import { userRoutes } from './routes/users.js';
import { apiSchemas } from './schemas.js';

export const API_VERSION = '1.0.0';

/** How often Node sweeps open connections for header/request timeouts: a quarter of the shorter one, 50 ms–1 s. */
export function checkingInterval(c: ServerConfig['connections']): number {
  return Math.max(50, Math.min(1000, Math.floor(Math.min(c.headersTimeoutMs, c.requestTimeoutMs) / 4)));
}

export interface BuildOptions {
  /** Where the JSON log goes (default stdout); tests pass a stream to read it. */
  logStream?: { write(line: string): void };
  /**
   * Shared rate-limit counters (a cluster): an ioredis connection and the key namespace. Without it each process
   * counts on its own.
   */
  rateLimitRedis?: { redis: unknown; nameSpace: string };
}

export async function buildServer(
  services: Services,
  config: ServerConfig,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const c = config.connections;
  const app = Fastify({
    // pino, one JSON line per request (request-log.ts) instead of Fastify's two
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    logController: new RequestLog(),
    // a caller's X-Request-Id (a proxy's, a client's) becomes the request id in the log; else req-1, req-2, …
    requestIdHeader: 'x-request-id',
    bodyLimit: 16 * 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false, allowUnionTypes: true } },
    return503OnClosing: true,
    // ids may be 256 characters, URL-encoded up to 3 bytes each (Fastify's default of 100 made longer ones a 404);
    // a router option since Fastify 5.4 (the top-level `maxParamLength` is deprecated, FSTDEP022)
    routerOptions: { maxParamLength: 1024 },
    // slow or stalled clients: the head within headersTimeoutMs, the whole request within requestTimeoutMs (else
    // 408 and the connection closed, see clientErrorHandler). Node enforces both from a periodic sweep of the open
    // connections, every 30 s by default — a slow client would get up to 30 s more; sweep every ≤ 1 s instead.
    requestTimeout: c.requestTimeoutMs,
    keepAliveTimeout: c.keepAliveTimeoutMs,
    http: { headersTimeout: c.headersTimeoutMs, connectionsCheckingInterval: checkingInterval(c) },
    clientErrorHandler,
    // errors the router raises before any route (a bad percent-encoding, a path parameter over maxParamLength):
    // Fastify answers them with its own body shape unless they are handed to us
    frameworkErrors: errorHandler,
  });
  app.server.maxConnections = c.maxConnections;
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      code: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}; the API is described at /docs`,
    });
  });
  const api = apiSchemas(config.recommend);
  for (const s of api.shared) app.addSchema(s);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'layerwise API',
        version: API_VERSION,
        description:
          'Personal recommendations, shape search and printability reports for a 3D-printing model library. ' +
          'Send `Authorization: Bearer <key>` when the server has API keys (read / write / admin scopes). ' +
          'Every error body is `{ code, message }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'recommendations' },
        { name: 'items' },
        { name: 'search' },
        { name: 'users' },
        { name: 'events' },
        { name: 'models' },
        { name: 'experiments' },
        { name: 'jobs' },
        { name: 'operations' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (json.$id as string | undefined) ?? `def-${i}` },
  });
  // routes outside /v1 (docs, UI files) are public unless they declare a scope; OpenAPI says public routes need no key
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { scope?: string };
    if (!route.url.startsWith('/v1') && config.scope === undefined) route.config = { ...config, scope: 'public' };
    if ((route.config as { scope?: string } | undefined)?.scope === 'public' && route.schema) {
      route.schema = { ...route.schema, security: [] };
    }
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });

  if (config.cors !== false) {
    await app.register(cors, {
      origin: config.cors === true ? '*' : config.cors,
      methods: ['GET', 'POST', 'PUT', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type'],
    });
  }
  // first of the request hooks: a shed request costs no authentication, parsing or work
  registerLoadShedding(app, config.overload);
  registerAuth(app, config.apiKeys, new AuthFailureLimiter(config.authFailures.max, config.authFailures.windowMs));
  if (config.rateLimit.max > 0) {
    await app.register(rateLimit, {
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.windowMs,
      hook: 'preHandler',
      keyGenerator: (req) => req.apiKeyId ?? req.ip,
      ...(options.rateLimitRedis
        ? { redis: options.rateLimitRedis.redis, nameSpace: options.rateLimitRedis.nameSpace, skipOnError: true }
        : {}),
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        code: 'rate_limited',
        message:
          `rate limit of ${ctx.max} requests per ${formatWindow(config.rateLimit.windowMs)} exceeded for this key; ` +
          `retry after ${ctx.after}`,
      }),
    });
  }
  const metrics = new ApiMetrics(services);
  app.addHook('onClose', async () => metrics.close());
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observe(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  healthRoutes(app, services, metrics, api);
  recommendationRoutes(app, services, api);
  nextRoutes(app, services, api);
  itemRoutes(app, services, api);
  searchRoutes(app, services, api);
  userRoutes(app, services, api);
  eventRoutes(app, services, api);
  modelRoutes(app, services, api);
  insightRoutes(app, services, api);
  experimentRoutes(app, services, api);
  removalRoutes(app, services, api);
  jobRoutes(app, services, api);
  // The upload routes get the multipart parser in their own context: its hooks (two async hooks and a socket close
  // listener per request) would otherwise run on every request, the hot read paths included.
  await app.register(async (uploads) => {
    await uploads.register(multipart, { limits: { fileSize: config.uploads.maxBytes, files: 1, fields: 20 } });
    itemUploadRoutes(uploads, services, api);
    shapeSearchRoutes(uploads, services, api);
    inspectRoutes(uploads, services, api);
  });

  if (config.uiDir !== undefined && existsSync(config.uiDir)) {
    await app.register(fastifyStatic, { root: config.uiDir, prefix: '/', wildcard: true });
  }
  if (services.close) {
    const close = services.close.bind(services);
    app.addHook('onClose', async () => close());
  }
  return app;
}
