/**
 * What the serving code counts for operators, as plain numbers: recommendation cache hits and misses; per
 * experiment arm the responses served, the items shown and the events that came back carrying a recommendationId;
 * and how long accepted events take to become visible to the model (reported to observers the HTTP layer installs:
 * its Prometheus histogram). No dependencies and no I/O — `++` on the hot path; src/api/metrics.ts turns a snapshot
 * into Prometheus metrics when /metrics is scraped.
 */

/** Counters of one arm of one experiment since this process started. */
export interface ArmCounts {
  experiment: string;
  arm: string;
  /** Recommendation responses served in the arm. */
  responses: number;
  /** Items shown in them (whether or not impression logging sampled the response). */
  shown: number;
  /** Events carrying a recommendationId from users in the arm, by type (view = click-through). */
  events: Record<string, number>;
}

export type EventLagObserver = (seconds: number, events: number) => void;

export class ServingTelemetry {
  /** Requests whose cached candidates were reused (user history and model unchanged). */
  cacheHits = 0;
  /** Requests that scored the user's history with the model (no entry, or a stale one). */
  cacheMisses = 0;
  private readonly arms = new Map<string, ArmCounts>();
  private readonly lagObservers = new Set<EventLagObserver>();

  private arm(experiment: string, arm: string): ArmCounts {
    const key = `${experiment}\u0000${arm}`;
    let a = this.arms.get(key);
    if (a === undefined) {
      a = { experiment, arm, responses: 0, shown: 0, events: {} };
      this.arms.set(key, a);
    }
    return a;
  }

  /** One response served in an arm, with `items` items shown. */
  served(experiment: string, arm: string, items: number): void {
    const a = this.arm(experiment, arm);
    a.responses++;
    a.shown += items;
  }

  /** An event that came back from a recommendation (it carries a recommendationId) of a user in an arm. */
  armEvent(experiment: string, arm: string, type: string): void {
    const a = this.arm(experiment, arm);
    a.events[type] = (a.events[type] ?? 0) + 1;
  }

  /** Every arm seen since start (copies). */
  armCounts(): ArmCounts[] {
    return [...this.arms.values()].map((a) => ({ ...a, events: { ...a.events } }));
  }

  /** Registers an observer of event lag; returns its removal. */
  onEventLag(observer: EventLagObserver): () => void {
    this.lagObservers.add(observer);
    return () => void this.lagObservers.delete(observer);
  }

  /** `events` accepted events became visible to the model `seconds` after they were accepted. */
  eventsVisible(seconds: number, events: number): void {
    for (const o of this.lagObservers) o(seconds, events);
  }
}
