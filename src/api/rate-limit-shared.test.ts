/**
 * Rate limits shared through Redis (a cluster): two servers given the same Redis namespace count one key's requests
 * together, so a client cannot get twice its limit by alternating replicas; a server without Redis counts alone.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedisForRequests, redisSettings } from '../app/cluster/redis.js';
import { type Fixture, startFixture } from './testing/fixture.js';

const REDIS_URL = process.env.LAYERWISE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `lwtest-rate-${process.pid}-${randomUUID().slice(0, 8)}`;

async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    return true;
  } catch (e) {
    if (process.env.CI === 'true') throw new Error(`Redis unreachable at ${REDIS_URL} in CI: ${(e as Error).message}`);
    console.warn(`skipping shared rate limits: ${(e as Error).message}`);
    return false;
  } finally {
    r.disconnect();
  }
}
const hasRedis = await redisUp();
const fixtures: Fixture[] = [];
const connections: Redis[] = [];

afterAll(async () => {
  for (const f of fixtures) await f.close();
  for (const c of connections) c.disconnect();
  if (!hasRedis) return;
  const r = new Redis(REDIS_URL);
  const keys = await r.keys(`${prefix}*`);
  if (keys.length > 0) await r.del(...keys);
  r.disconnect();
});

describe.skipIf(!hasRedis)('rate limits shared through Redis', () => {
  it('two replicas count one client together; a server without Redis counts alone', async () => {
    const settings = redisSettings(REDIS_URL, prefix);
    const limit = { rateLimit: { max: 5, windowMs: 60_000 } };
    for (let i = 0; i < 2; i++) {
      const redis = await connectRedisForRequests(settings);
      connections.push(redis);
      fixtures.push(await startFixture(limit, {}, {}, { rateLimitRedis: { redis, nameSpace: `${prefix}:rate:` } }));
    }
    const alone = await startFixture(limit);
    fixtures.push(alone);
    const [a, b] = fixtures;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const f of [a!, b!]) statuses.push((await fetch(`${f.url}/v1/printers`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const own: number[] = [];
    for (let i = 0; i < 6; i++) own.push((await fetch(`${alone.url}/v1/printers`)).status);
    expect(own).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
