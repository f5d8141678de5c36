import { describe, expect, it } from 'vitest';
import { RequestMetrics } from './metrics.js';

describe('RequestMetrics', () => {
  it('writes cumulative Prometheus histogram buckets, sums and counts, and the gauges', () => {
    const m = new RequestMetrics();
    m.observe('GET', '/v1/items/:id', 200, 0.0007);
    m.observe('GET', '/v1/items/:id', 200, 0.003);
    m.observe('GET', '/v1/items/:id', 200, 20);
    const text = m.render({
      model: { id: 'ease@2', name: 'ease', version: 2 },
      items: 5,
      users: 3,
      eventsApplied: 9,
      eventLagSeconds: 0.5,
    });
    const labels = 'method="GET",route="/v1/items/:id",status="200"';
    expect(text).toContain(`layerwise_http_request_duration_seconds_bucket{${labels},le="0.0005"} 0`);
    expect(text).toContain(`layerwise_http_request_duration_seconds_bucket{${labels},le="0.001"} 1`);
    expect(text).toContain(`layerwise_http_request_duration_seconds_bucket{${labels},le="0.005"} 2`);
    expect(text).toContain(`layerwise_http_request_duration_seconds_bucket{${labels},le="10"} 2`);
    expect(text).toContain(`layerwise_http_request_duration_seconds_bucket{${labels},le="+Inf"} 3`);
    expect(text).toContain(`layerwise_http_request_duration_seconds_count{${labels}} 3`);
    expect(text).toMatch(/layerwise_http_request_duration_seconds_sum\{[^}]+\} 20\.0037/);
    expect(text).toContain('layerwise_model_info{id="ease@2",name="ease",version="2"} 1');
    expect(text).toContain('layerwise_model_version 2');
    expect(text).toContain('layerwise_event_lag_seconds 0.5');
    expect(text.endsWith('\n')).toBe(true);
  });
});
