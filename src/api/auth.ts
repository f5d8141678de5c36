/**
 * API keys with scopes: read < write < admin (a write key can read, admin can do all). Keys arrive as
 * `Authorization: Bearer KEY`. Each route declares the scope it needs in `config.scope` ('public' for health,
 * metrics and docs). No configured keys = open API (the server then binds to localhost only; see app/config.ts).
 * Keys are compared by SHA-256 digest so lookup time does not depend on how much of a guessed key matches.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiKey, ApiScope } from '../app/config.js';
import { LayerwiseError } from '../core/errors.js';
import type { AuthFailureLimiter } from './auth-limit.js';

export type RouteScope = ApiScope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope a caller needs; default 'read'. */
    scope?: RouteScope;
  }
  interface FastifyRequest {
    /** Digest of the caller's key (for per-key rate limits); undefined without a key. */
    apiKeyId?: string;
    apiScope?: ApiScope;
  }
}

const RANK: Record<ApiScope, number> = { read: 1, write: 2, admin: 3 };

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Reads `Bearer KEY` from the Authorization header; undefined when absent. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (h === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) {
    throw new LayerwiseError('unauthorized', 'Authorization header must be "Bearer <API key>"');
  }
  return m[1];
}

/**
 * Installs the key check as an onRequest hook. With a `limiter`, an address that failed authentication too often is
 * refused (429) before its key is even looked at, and every 401 counts against its address.
 */
export function registerAuth(app: FastifyInstance, keys: readonly ApiKey[], limiter?: AuthFailureLimiter): void {
  const byDigest = new Map<string, ApiScope>();
  for (const k of keys) byDigest.set(digest(k.key), k.scope);
  const open = byDigest.size === 0;

  // callback style, not async: no promise per request on the hot path
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      check(request);
      done();
    } catch (e) {
      if (limiter && (e as LayerwiseError).code === 'unauthorized') limiter.fail(request.ip);
      done(e as Error);
    }
  });

  function check(request: FastifyRequest): void {
    const needed: RouteScope = request.routeOptions.config?.scope ?? 'read';
    if (open) {
      request.apiScope = 'admin';
      return;
    }
    if (limiter && needed !== 'public') limiter.check(request.ip);
    const token = needed === 'public' ? safeBearer(request) : bearerToken(request);
    if (token !== undefined) {
      const id = digest(token);
      const scope = byDigest.get(id);
      if (scope !== undefined) {
        request.apiKeyId = id.slice(0, 16);
        request.apiScope = scope;
      } else if (needed !== 'public') {
        throw new LayerwiseError('unauthorized', 'unknown API key; send a configured key as "Bearer <key>"');
      }
    }
    if (needed === 'public') return;
    if (request.apiScope === undefined) {
      throw new LayerwiseError('unauthorized', `this route needs an API key with ${needed} scope: Bearer <key>`);
    }
    if (RANK[request.apiScope] < RANK[needed]) {
      throw new LayerwiseError(
        'forbidden',
        `this route needs ${needed} scope; the key sent has ${request.apiScope} scope`,
      );
    }
  }
}

function safeBearer(request: FastifyRequest): string | undefined {
  try {
    return bearerToken(request);
  } catch {
    return undefined;
  }
}
