/**
 * Prometheus metrics (prom-client, text exposition format 0.0.4) for GET /metrics:
 * - per request: latency histograms by method, route pattern and status (`observe`, called from the onResponse
 *   hook), and per accepted event batch the time until its events were visible to the model (an observer the
 *   services call);
 * - scraped from one snapshot of the services (`Services.health.gauges()`): the served model, catalogue and users,
 *   events applied and the event lag, impressions logged / written / dropped, per experiment arm the responses,
 *   items shown and events that came back, the recommendation cache's hits and misses, the in-process queues;
 * - prom-client's default process metrics (CPU, memory, event-loop lag, GC), registered once per process.
 * Each server has its own registry (tests run several servers in one process).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceGauges, Services } from '../app/serve/types.js';

/** Upper bounds in seconds. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;
/** prom-client's default metrics live in one registry per process (their GC observer is process-wide). */
function defaultMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly started = Date.now();
  /** The services' figures for the scrape in progress (one snapshot per scrape). */
  private snap: ServiceGauges | null = null;
  private readonly stopObserving: () => void;

  constructor(private readonly services: Services) {
    const registers = [this.registry];
    this.latency = new Histogram({
      name: 'layerwise_http_request_duration_seconds',
      help: 'HTTP request latency by route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const lag = new Histogram({
      name: 'layerwise_event_visible_seconds',
      help: 'Per accepted POST /v1/events batch: seconds from acceptance until its events were visible to the model.',
      buckets: LAG_BUCKETS,
      registers,
    });
    const accepted = new Counter({
      name: 'layerwise_events_accepted_total',
      help: 'Events accepted by POST /v1/events.',
      registers,
    });
    this.stopObserving = services.health.onEventLag((seconds, events) => {
      lag.observe(seconds);
      accepted.inc(events);
    });
    this.scraped(registers);
  }

  /** Records one request: `route` is the route pattern (e.g. /v1/items/:id), never the raw URL. */
  observe(method: string, route: string, status: number, seconds: number): void {
    this.latency.observe({ method, route, status }, seconds);
  }

  /** The full exposition text (this server's metrics, then the process' default metrics). */
  async render(): Promise<string> {
    this.snap = this.services.health.gauges();
    try {
      return `${await this.registry.metrics()}${await defaultMetrics().metrics()}`;
    } finally {
      this.snap = null;
    }
  }

  /** Stops observing the services (the server closed). */
  close(): void {
    this.stopObserving();
  }

  /** Metrics whose values are read from the snapshot when scraped. */
  private scraped(registers: Registry[]): void {
    const snap = (): ServiceGauges => this.snap ?? this.services.health.gauges();
    const gauge = (name: string, help: string, value: (g: ServiceGauges) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(value(snap()));
        },
      });
    /** A counter whose running total the services keep (reset, then set to the total). */
    const total = (name: string, help: string, value: (g: ServiceGauges) => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(value(snap()));
        },
      });
    new Gauge({
      name: 'layerwise_model_info',
      help: 'The model serving recommendations (value 1); version label.',
      labelNames: ['id', 'name', 'version'],
      registers,
      collect() {
        this.reset();
        const m = snap().model;
        if (m) this.set({ id: m.id, name: m.name, version: String(m.version) }, 1);
      },
    });
    gauge('layerwise_model_version', 'Version number of the active model (0 = popularity fallback).', (g) =>
      g.model ? g.model.version : 0,
    );
    gauge('layerwise_items', 'Items in the served catalogue.', (g) => g.items);
    gauge('layerwise_users', 'Users with history in the online state.', (g) => g.users);
    total('layerwise_events_applied_total', 'Events applied online since start.', (g) => g.eventsApplied);
    gauge(
      'layerwise_event_lag_seconds',
      'Seconds since the online state was last caught up with the stored events (events of other processes are ' +
        'polled every 2 s).',
      (g) => g.eventLagSeconds,
    );
    gauge('layerwise_uptime_seconds', 'Seconds since the server started.', () => (Date.now() - this.started) / 1000);
    total('layerwise_impressions_logged_total', 'Impressions (shown items) logged.', (g) => g.impressions.logged);
    total('layerwise_impressions_written_total', 'Impressions written to the store.', (g) => g.impressions.written);
    total(
      'layerwise_impressions_dropped_total',
      'Impressions dropped because the buffer was full (store unreachable).',
      (g) => g.impressions.dropped,
    );
    total(
      'layerwise_impressions_sampled_out_total',
      'Recommendation responses whose impressions were not logged (impressions.sampleRate).',
      (g) => g.impressions.sampledOut,
    );
    gauge('layerwise_impressions_buffered', 'Impressions waiting for the next batch write.', (g) => {
      return g.impressions.buffered;
    });
    this.armMetrics(registers, snap);
    new Counter({
      name: 'layerwise_recommendation_cache_requests_total',
      help: 'Recommendation requests of users with history: hit = cached candidates reused, miss = history scored.',
      labelNames: ['result'],
      registers,
      collect() {
        const c = snap().cache;
        this.reset();
        this.inc({ result: 'hit' }, c.hits);
        this.inc({ result: 'miss' }, c.misses);
      },
    });
    gauge(
      'layerwise_recommendation_cache_hit_ratio',
      'Cache hits ÷ (hits + misses) since start (0 before any).',
      (g) => (g.cache.hits + g.cache.misses === 0 ? 0 : g.cache.hits / (g.cache.hits + g.cache.misses)),
    );
    gauge('layerwise_recommendation_cache_users', 'Users with cached candidates.', (g) => g.cache.users);
    total(
      'layerwise_model_failures_total',
      'Requests answered from trending because the model could not score the user.',
      (g) => g.modelFailures,
    );
    new Gauge({
      name: 'layerwise_job_queue_depth',
      help: 'Jobs in in-process queues (mesh-sandbox: uploads, shape searches, inspections) by state.',
      labelNames: ['queue', 'state'],
      registers,
      collect() {
        this.reset();
        for (const q of snap().queues) {
          this.set({ queue: q.name, state: 'queued' }, q.queued);
          this.set({ queue: q.name, state: 'running' }, q.running);
        }
      },
    });
  }

  private armMetrics(registers: Registry[], snap: () => ServiceGauges): void {
    new Counter({
      name: 'layerwise_experiment_responses_total',
      help: 'Recommendation responses served per experiment arm.',
      labelNames: ['experiment', 'arm'],
      registers,
      collect() {
        this.reset();
        for (const a of snap().arms) this.inc({ experiment: a.experiment, arm: a.arm }, a.responses);
      },
    });
    new Counter({
      name: 'layerwise_experiment_impressions_total',
      help: 'Items shown per experiment arm.',
      labelNames: ['experiment', 'arm'],
      registers,
      collect() {
        this.reset();
        for (const a of snap().arms) this.inc({ experiment: a.experiment, arm: a.arm }, a.shown);
      },
    });
    new Counter({
      name: 'layerwise_experiment_events_total',
      help:
        'Events carrying a recommendationId per experiment arm and type (view = click-through, like, download, ' +
        'make, …); the readout at /v1/experiments/:id has the rates with confidence intervals.',
      labelNames: ['experiment', 'arm', 'type'],
      registers,
      collect() {
        this.reset();
        for (const a of snap().arms) {
          for (const [type, n] of Object.entries(a.events)) this.inc({ experiment: a.experiment, arm: a.arm, type }, n);
        }
      },
    });
  }
}
