/**
 * The request log: one JSON line per request (pino, Fastify's own logger) when it has been answered — request id
 * (`reqId`: the caller's X-Request-Id or req-N), method, route pattern, URL, status and latency in ms — instead of
 * Fastify's two lines ("incoming request", "request completed"). A response that failed mid-way is logged at
 * `error` with the error. Fastify's other log lines (stream errors, …) are kept.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 1000) / 1000,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request failed');
    else request.log.info(line, 'request');
  }
}
