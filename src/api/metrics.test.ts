/**
 * Metrics and logs on a real server started in-process: real requests, then the Prometheus text of GET /metrics
 * (request latency, impressions, per-arm online counts, cache hits, event lag, queue depth, process and GC metrics)
 * and the JSON log lines (one per request with id, route, status and latency).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServerConfig } from '../app/config.js';
import { type Fixture, startFixture } from './testing/fixture.js';

let fx: Fixture;
const lines: string[] = [];
beforeAll(async () => {
  fx = await startFixture({ logLevel: 'info' }, {}, {}, { logStream: { write: (line) => void lines.push(line) } });
});
afterAll(async () => {
  await fx?.close();
});

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The value of one sample line `name{labels} value` (labels as written, in order), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts requests, impressions, arms, cache hits, event lag and queues, with process metrics', async () => {
    const rec = async (user: string) =>
      (await (await fetch(`${fx.url}/v1/users/${user}/recommendations?k=4`)).json()) as {
        recommendationId: string;
        arm: string | null;
        items: { itemId: string }[];
      };
    const created = await fetch(
      `${fx.url}/v1/experiments`,
      json('POST', {
        id: 'm',
        name: 'metrics',
        arms: [
          { name: 'a', model: 'ease@1' },
          { name: 'b', model: 'itemknn@1' },
        ],
        start: true,
      }),
    );
    expect(created.status).toBe(201);
    const users = ['user-0', 'user-1', 'user-2', 'user-3', 'user-4', 'user-5'];
    const arms = new Map<string, number>();
    const events = [];
    for (const u of users) {
      const r = await rec(u);
      arms.set(r.arm!, (arms.get(r.arm!) ?? 0) + 1);
      events.push({ userId: u, itemId: r.items[0]!.itemId, type: 'view', recommendationId: r.recommendationId });
    }
    // the same users again: history and model unchanged → cached candidates
    for (const u of users) await rec(u);
    const posted = await fetch(`${fx.url}/v1/events`, json('POST', { events }));
    expect(await posted.json()).toMatchObject({ accepted: users.length });
    await (fx.services as unknown as { flushImpressions(): Promise<void> }).flushImpressions();

    const res = await fetch(`${fx.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const route = 'method="GET",route="/v1/users/:id/recommendations",status="200"';
    expect(sample(text, `layerwise_http_request_duration_seconds_count{${route}}`)).toBe(12);
    expect(sample(text, `layerwise_http_request_duration_seconds_bucket{le="+Inf",${route}}`)).toBe(12);
    expect(sample(text, 'layerwise_impressions_logged_total')).toBe(12 * 4);
    expect(sample(text, 'layerwise_impressions_written_total')).toBe(12 * 4);
    expect(sample(text, 'layerwise_impressions_dropped_total')).toBe(0);
    for (const [arm, n] of arms) {
      expect(sample(text, `layerwise_experiment_responses_total{experiment="m",arm="${arm}"}`)).toBe(2 * n);
      expect(sample(text, `layerwise_experiment_impressions_total{experiment="m",arm="${arm}"}`)).toBe(2 * n * 4);
      expect(sample(text, `layerwise_experiment_events_total{experiment="m",arm="${arm}",type="view"}`)).toBe(n);
    }
    // each user's first request scored their history with their arm's model, the second reused the candidates
    expect(sample(text, 'layerwise_recommendation_cache_requests_total{result="miss"}')).toBe(6);
    expect(sample(text, 'layerwise_recommendation_cache_requests_total{result="hit"}')).toBe(6);
    expect(sample(text, 'layerwise_recommendation_cache_hit_ratio')).toBe(0.5);
    expect(sample(text, 'layerwise_events_accepted_total')).toBe(users.length);
    expect(sample(text, 'layerwise_event_visible_seconds_count')).toBe(1);
    expect(sample(text, 'layerwise_event_visible_seconds_sum')).toBeGreaterThan(0);
    expect(sample(text, 'layerwise_event_visible_seconds_bucket{le="10"}')).toBe(1);
    expect(sample(text, 'layerwise_event_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'layerwise_job_queue_depth{queue="mesh-sandbox",state="queued"}')).toBe(0);
    expect(sample(text, 'layerwise_model_info{id="ease@1",name="ease",version="1"}')).toBe(1);
    expect(sample(text, 'layerwise_items')).toBe(18);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    await fetch(`${fx.url}/v1/experiments/m/stop`, { method: 'POST' });
  });
});

describe('JSON request log', () => {
  it('writes one parseable line per request with id, route, status and latency', async () => {
    lines.length = 0;
    const res = await fetch(`${fx.url}/v1/items/no-such-item`, { headers: { 'x-request-id': 'trace-42' } });
    expect(res.status).toBe(404);
    await fetch(`${fx.url}/v1/items/vase-1`);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({
      level: 30,
      reqId: 'trace-42',
      method: 'GET',
      route: '/v1/items/:id',
      url: '/v1/items/no-such-item',
      status: 404,
    });
    expect(logged[0]!.ms).toEqual(expect.any(Number));
    expect(logged[0]!.ms as number).toBeGreaterThanOrEqual(0);
    expect(logged[1]).toMatchObject({ status: 200, url: '/v1/items/vase-1' });
    expect(logged[1]!.reqId).toMatch(/^req-/);
    expect(typeof logged[1]!.time).toBe('number');
  });

  it('is on at info by default; LAYERWISE_LOG_LEVEL and the config choose another level; bad levels are refused', () => {
    expect(loadServerConfig({}, {}).logLevel).toBe('info');
    expect(loadServerConfig({}, { LAYERWISE_LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(loadServerConfig({ logLevel: 'silent' }, {}).logLevel).toBe('silent');
    expect(() => loadServerConfig({}, { LAYERWISE_LOG_LEVEL: 'loud' })).toThrow(/logLevel/);
  });
});
