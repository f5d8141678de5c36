/**
 * Group commit for API events. The batches of every request that arrives within one turn of the event loop are
 * stored in one transaction: one commit — one fsync of the WAL under SQLite's `synchronous=FULL`, about 3 ms on this
 * machine's disk and blocking the event loop, since better-sqlite3 is synchronous — instead of one per request. Each
 * request is answered only after the commit that holds its events, so "acknowledged means stored" is unchanged; a
 * failed commit fails every request of its group with the store's error (the client retries, as for its own).
 * Under light traffic a group is one request and nothing waits longer than it did; under load (the soak's 100
 * event batches per second) the fsyncs no longer take the event loop. With an asynchronous `commit` (a commit
 * thread) one group is in flight at a time and the requests that arrive meanwhile form the next one.
 */
import type { AddEventsOptions, AddEventsResult, EventInput, Store } from '../../store/ports.js';

/** Stores one group's events in one transaction (`Store.addEvents`, or the same on another thread). */
export type CommitEvents = (events: EventInput[], options: AddEventsOptions) => Promise<AddEventsResult>;

interface Waiter {
  events: EventInput[];
  resolve: (rejected: number[]) => void;
  reject: (e: unknown) => void;
}

export class EventWriter {
  private queue: Waiter[] = [];
  private scheduled = false;
  /** A flush is committing; requests arriving meanwhile form the next group, flushed when it is done. */
  private flushing = false;
  /** Commits so far (for tests and metrics). */
  commits = 0;

  /**
   * `commit`: how a group is stored (default `store.addEvents` on this thread; event-commit-thread.ts: on a worker
   * thread). `maxRows`: most events in one transaction (a group beyond it is committed in several).
   */
  constructor(
    store: Store,
    private readonly maxRows = 20_000,
    private readonly commitEvents: CommitEvents = (events, options) => store.addEvents(events, options),
  ) {}

  /**
   * Stores `events` (unknown items rejected, exact duplicates dropped) together with the other requests of this
   * turn; resolves with the indices into `events` of those rejected for an unknown item, once they are durable.
   */
  add(events: EventInput[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.scheduled && !this.flushing) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Resolves when everything queued so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing || this.scheduled) await new Promise((r) => setTimeout(r, 5));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const queue = this.queue;
        this.queue = [];
        await this.commitAll(queue);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async commitAll(queue: Waiter[]): Promise<void> {
    for (let start = 0; start < queue.length; ) {
      let end = start;
      let rows = 0;
      while (end < queue.length && (end === start || rows + queue[end]!.events.length <= this.maxRows)) {
        rows += queue[end]!.events.length;
        end++;
      }
      await this.commit(queue.slice(start, end));
      start = end;
    }
  }

  private async commit(group: Waiter[]): Promise<void> {
    const all = group.length === 1 ? group[0]!.events : group.flatMap((w) => w.events);
    try {
      this.commits++;
      const { rejected } = await this.commitEvents(all, { unknownItems: 'reject' });
      let offset = 0;
      let r = 0;
      const sorted = [...rejected].sort((a, b) => a - b);
      for (const w of group) {
        const end = offset + w.events.length;
        const mine: number[] = [];
        while (r < sorted.length && sorted[r]! < end) mine.push(sorted[r++]! - offset);
        w.resolve(mine);
        offset = end;
      }
    } catch (e) {
      for (const w of group) w.reject(e);
    }
  }
}

const writers = new WeakMap<Store, EventWriter>();

/** Makes `writer` the group-commit writer of `store` (e.g. one committing on a thread of its own). */
export function setEventWriter(store: Store, writer: EventWriter): void {
  writers.set(store, writer);
}

/** The group-commit writer of `store` (one per store, so every request to it joins the same groups). */
export function eventWriter(store: Store): EventWriter {
  let w = writers.get(store);
  if (w === undefined) {
    w = new EventWriter(store);
    writers.set(store, w);
  }
  return w;
}
