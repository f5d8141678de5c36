/**
 * Redis for a cluster: one URL (LAYERWISE_REDIS_URL) and one key prefix (LAYERWISE_REDIS_PREFIX, default
 * `layerwise`) under which the job queue, the pub/sub channel and shared rate-limit counters live — so two
 * clusters, or two tests, can share one Redis without seeing each other's keys.
 */
import { Redis } from 'ioredis';
import { LayerwiseError } from '../../core/errors.js';

export interface RedisSettings {
  url: string;
  /** Key prefix for everything this cluster keeps in Redis (letters, digits, `_-:.`). */
  prefix: string;
}

const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

export function redisSettings(url: string, prefix = 'layerwise'): RedisSettings {
  if (!/^rediss?:\/\//.test(url)) {
    throw new LayerwiseError(
      'invalid_argument',
      `LAYERWISE_REDIS_URL must be redis://host:port[/db] or rediss://…, got ${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))}`,
    );
  }
  if (!PREFIX.test(prefix)) {
    throw new LayerwiseError(
      'invalid_argument',
      `LAYERWISE_REDIS_PREFIX must match ${PREFIX.source}, got ${JSON.stringify(prefix)}`,
    );
  }
  return { url, prefix };
}

/**
 * A connection for BullMQ and pub/sub (`maxRetriesPerRequest: null`, which BullMQ requires for blocking commands).
 * Waits until it is ready and throws `unavailable` with the redacted URL when Redis cannot be reached.
 */
export async function connectRedis(settings: RedisSettings, name = 'layerwise'): Promise<Redis> {
  const redis = new Redis(settings.url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: true });
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new LayerwiseError(
      'unavailable',
      `cannot connect to Redis at ${settings.url.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  return redis;
}

/**
 * A connection for work on the request path (shared rate-limit counters): a command fails after `timeoutMs` and is
 * retried once, and at once while the connection is down, instead of waiting for Redis to come back as BullMQ's
 * connections do.
 */
export async function connectRedisForRequests(settings: RedisSettings, timeoutMs = 500): Promise<Redis> {
  const redis = new Redis(settings.url, {
    maxRetriesPerRequest: 1,
    commandTimeout: timeoutMs,
    // disconnected (Redis down, reconnecting): a command fails at once — the rate limit skips it (skipOnError)
    // instead of every request waiting out the command timeout
    enableOfflineQueue: false,
    connectionName: 'layerwise-requests',
    lazyConnect: true,
  });
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new LayerwiseError(
      'unavailable',
      `cannot connect to Redis at ${settings.url.replace(/:[^:@/]*@/, ':***@')}`,
      {
        cause: e,
      },
    );
  }
  return redis;
}
