/**
 * Prometheus metrics written by hand (text exposition format 0.0.4): request latency histograms per route, request
 * counts, and the service gauges (model version, items, users, events applied, event lag). Observing a request is a
 * map lookup plus a short bucket scan — cheap enough for the hot path.
 */
import type { ServiceGauges } from '../app/serve/types.js';

/** Upper bounds in seconds. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

interface Series {
  labels: string;
  counts: Float64Array;
  sum: number;
  count: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class RequestMetrics {
  private readonly series = new Map<string, Series>();
  private readonly started = Date.now();

  /** Records one request: `route` is the route pattern (e.g. /v1/items/:id), never the raw URL. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let s = this.series.get(key);
    if (s === undefined) {
      s = {
        labels: `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status="${status}"`,
        counts: new Float64Array(LATENCY_BUCKETS.length),
        sum: 0,
        count: 0,
      };
      this.series.set(key, s);
    }
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        s.counts[i]!++;
        break;
      }
    }
    s.sum += seconds;
    s.count++;
  }

  /** The full exposition text. */
  render(gauges: ServiceGauges): string {
    const out: string[] = [];
    out.push('# HELP layerwise_http_request_duration_seconds HTTP request latency by route and status.');
    out.push('# TYPE layerwise_http_request_duration_seconds histogram');
    for (const s of this.series.values()) {
      let cum = 0;
      for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
        cum += s.counts[i]!;
        out.push(`layerwise_http_request_duration_seconds_bucket{${s.labels},le="${LATENCY_BUCKETS[i]}"} ${cum}`);
      }
      out.push(`layerwise_http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      out.push(`layerwise_http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
      out.push(`layerwise_http_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    const m = gauges.model;
    out.push('# HELP layerwise_model_info The model serving recommendations (value 1); version label.');
    out.push('# TYPE layerwise_model_info gauge');
    if (m) {
      out.push(
        `layerwise_model_info{id="${escapeLabel(m.id)}",name="${escapeLabel(m.name)}",version="${m.version}"} 1`,
      );
    }
    out.push('# HELP layerwise_model_version Version number of the active model (0 = popularity fallback).');
    out.push('# TYPE layerwise_model_version gauge');
    out.push(`layerwise_model_version ${m ? m.version : 0}`);
    const gauge = (name: string, help: string, value: number, type = 'gauge'): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    gauge('layerwise_items', 'Items in the served catalogue.', gauges.items);
    gauge('layerwise_users', 'Users with history in the online state.', gauges.users);
    gauge('layerwise_events_applied_total', 'Events applied online since start.', gauges.eventsApplied, 'counter');
    gauge(
      'layerwise_event_lag_seconds',
      'Seconds since the online state was last caught up with the stored events (polled every 2 s).',
      gauges.eventLagSeconds,
    );
    gauge('layerwise_uptime_seconds', 'Seconds since the server started.', (Date.now() - this.started) / 1000);
    return `${out.join('\n')}\n`;
  }
}
