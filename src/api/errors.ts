/**
 * The one place where failures become HTTP responses. LayerwiseError codes map to statuses; Fastify's own errors
 * (schema validation, malformed JSON, body too large, multipart limits) map to the same `{ code, message }` body.
 * Bad input is always a 4xx; only genuine faults are 5xx, and those never leak internals.
 */
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isLayerwiseError } from '../core/errors.js';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_exceeded: 413,
  unsupported: 415,
  parse_error: 422,
  rate_limited: 429,
  fit_failed: 500,
  io_error: 500,
  internal: 500,
  unavailable: 503,
};

/** Every code an error body can carry (the `code` of `{ code, message }`). */
export const ERROR_CODES = Object.keys(STATUS) as ErrorCode[];

/** Limits on what a file contains (io/parse-options.ts names them), as opposed to how many bytes were sent. */
const CONTENT_LIMITS = new Set([
  'triangles',
  'vertices',
  'zipEntryBytes',
  'compressionRatio',
  'zipEntries',
  'componentDepth',
  'memory',
  'time',
]);

/**
 * HTTP status of an error code. `limit_exceeded` is 413 for sizes (`details.name === 'bytes'`, a body too large),
 * but 422 when the limit is on content (`details.name`: triangles, vertices, zipEntryBytes, time, memory, …): the
 * bytes arrived fine, the mesh is just too big to process.
 */
export function statusForCode(code: ErrorCode, details?: Record<string, unknown>): number {
  if (code === 'limit_exceeded' && (details?.limit === 'triangles' || CONTENT_LIMITS.has(details?.name as string)))
    return 422;
  return STATUS[code];
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'limit_exceeded';
  if (status === 415) return 'unsupported';
  if (status === 422) return 'parse_error';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return status < 500 ? 'invalid_argument' : 'internal';
}

/** Converts anything thrown in a handler into a status and a body. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (isLayerwiseError(err)) {
    const body: ErrorBody = { code: err.code, message: err.message };
    if (Object.keys(err.details).length > 0) body.details = err.details;
    return { status: statusForCode(err.code, err.details), body };
  }
  const fe = err as Partial<FastifyError> & { validation?: unknown[]; validationContext?: string };
  if (fe.validation) {
    return {
      status: 400,
      body: { code: 'invalid_argument', message: `invalid request ${fe.message ?? ''}`.trim() },
    };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.code === 'FST_REQ_FILE_TOO_LARGE') {
    return {
      status: 413,
      body: { code: 'limit_exceeded', message: `${fe.message ?? 'body too large'}; send a smaller file` },
    };
  }
  if (fe.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return {
      status: 414,
      body: { code: 'limit_exceeded', message: 'a path parameter is longer than this server accepts (1,024 bytes)' },
    };
  }
  if (fe.code === 'FST_ERR_BAD_URL') {
    return { status: 400, body: { code: 'invalid_argument', message: 'malformed URL (bad percent-encoding)' } };
  }
  if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, body: { code: 'invalid_argument', message: `malformed JSON body: ${fe.message}` } };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    return { status, body: { code: codeForStatus(status), message: fe.message ?? 'bad request' } };
  }
  return {
    status: status >= 500 && status < 600 ? status : 500,
    body: { code: codeForStatus(status), message: 'internal error; the server log has the details' },
  };
}

/**
 * Fastify error handler: logs 5xx, answers everything with `{ code, message }`. 429 and 503 carry Retry-After
 * (`details.retryAfterS`, else 1 s): a client that backs off as told is not refused again.
 */
export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorResponse(err);
  if (status >= 500) request.log.error({ err }, 'request failed');
  if (status === 429 || status === 503) {
    const after = Number(body.details?.retryAfterS ?? (reply.getHeader('retry-after') as number | undefined) ?? 1);
    void reply.header('retry-after', String(Math.max(1, Math.ceil(Number.isFinite(after) ? after : 1))));
  }
  void reply.status(status).send(body);
}

/**
 * Node's HTTP parser errors, before any route runs (a header block too large, a malformed request line, a request
 * head or body that timed out): answered with the same `{ code, message }` body, then the socket is closed. A slow
 * client therefore gets `408 {code: 'invalid_argument', message: 'the request did not arrive in time'}` and a closed
 * connection (api/connections.test.ts).
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  // a response already under way on this socket (its head sent) must not be followed by a second head: just close
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'limit_exceeded', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'invalid_argument', 'the request did not arrive in time']
        : [400, 'Bad Request', 'invalid_argument', `malformed HTTP request (${err.code ?? 'parse error'})`];
  const body = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
