/**
 * Impression logging off the request path: `log()` appends to an in-memory buffer (optionally sampled per
 * response), and a timer writes the buffer every `flushMs` or as soon as it holds `batchSize` rows — so a
 * recommendation request never waits on the database. A flush writes at most `chunkRows` rows per transaction and
 * yields to the event loop between transactions: with a synchronous store driver (better-sqlite3) an insert blocks
 * the loop while it runs (~10 µs per row with the table's three indexes), so one 5,000-row write would stall every
 * request for ~50 ms (the API benchmark's p99 at 1,000 req/s), while 250-row slices stall it ~2–3 ms. When the store
 * is down the buffer is kept up to `maxBuffered` rows and the rest are dropped and counted (serving must not fall
 * over because analytics cannot be written). `close()` flushes what is left.
 */
import type { ImpressionInput } from '../../store/live-ports.js';
import type { Store } from '../../store/ports.js';

export interface ImpressionLogOptions {
  /** Share of responses whose impressions are logged, 0..1 (default 1; sampling is per response). */
  sampleRate?: number;
  /** Write what is buffered this often (default 250 ms). */
  flushMs?: number;
  /** Flush at once when this many rows are buffered (default 2,500). */
  batchSize?: number;
  /** Rows per write transaction; the flush yields to the event loop between them (default 250). */
  chunkRows?: number;
  maxBuffered?: number;
  /** Called with a failed flush's error (for the log); the rows stay buffered. */
  onError?: (error: unknown, rows: number) => void;
  /** Uniform [0,1) source for sampling (tests). */
  random?: () => number;
}

export interface ImpressionLogStats {
  logged: number;
  written: number;
  dropped: number;
  sampledOut: number;
  failedFlushes: number;
  buffered: number;
}

export class ImpressionLog {
  private buffer: ImpressionInput[] = [];
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly o: Required<Omit<ImpressionLogOptions, 'onError'>> & {
    onError: ImpressionLogOptions['onError'] | undefined;
  };
  readonly stats: ImpressionLogStats = {
    logged: 0,
    written: 0,
    dropped: 0,
    sampledOut: 0,
    failedFlushes: 0,
    buffered: 0,
  };

  constructor(
    private readonly store: Store,
    options: ImpressionLogOptions = {},
  ) {
    this.o = {
      sampleRate: options.sampleRate ?? 1,
      flushMs: options.flushMs ?? 250,
      batchSize: options.batchSize ?? 2500,
      chunkRows: Math.max(1, options.chunkRows ?? 250),
      maxBuffered: options.maxBuffered ?? 200_000,
      random: options.random ?? Math.random,
      onError: options.onError,
    };
    if (this.o.flushMs > 0) {
      this.timer = setInterval(() => void this.flush(), this.o.flushMs);
      this.timer.unref();
    }
  }

  /** Whether this response's impressions should be logged (decide once per response). */
  sampled(): boolean {
    if (this.o.sampleRate >= 1) return true;
    if (this.o.random() < this.o.sampleRate) return true;
    this.stats.sampledOut++;
    return false;
  }

  /** Buffers one response's shown items. Never throws, never waits. */
  log(rows: ImpressionInput[]): void {
    const room = this.o.maxBuffered - this.buffer.length;
    if (room < rows.length) {
      this.stats.dropped += rows.length - Math.max(0, room);
      rows = rows.slice(0, Math.max(0, room));
    }
    for (const r of rows) this.buffer.push(r);
    this.stats.logged += rows.length;
    this.stats.buffered = this.buffer.length;
    if (this.buffer.length >= this.o.batchSize) void this.flush();
  }

  /** Drops buffered rows of a user (erasure: nothing of theirs is written afterwards). */
  forgetUser(userId: string): void {
    this.buffer = this.buffer.filter((r) => r.userId !== userId);
    this.stats.buffered = this.buffer.length;
  }

  /**
   * Writes everything buffered, `chunkRows` per transaction with a turn of the event loop between them (serialised:
   * one flush at a time). Resolves when written or failed; rows of a failed write stay buffered (within the bound).
   */
  flush(): Promise<void> {
    const run = async () => {
      while (this.buffer.length > 0) {
        const rows = this.buffer.splice(0, this.o.chunkRows);
        try {
          this.stats.written += await this.store.addImpressions(rows);
        } catch (e) {
          this.stats.failedFlushes++;
          this.o.onError?.(e, rows.length);
          // keep them for the next try, within the bound
          const keep = rows.slice(0, Math.max(0, this.o.maxBuffered - this.buffer.length));
          this.stats.dropped += rows.length - keep.length;
          this.buffer = keep.concat(this.buffer);
          break;
        } finally {
          this.stats.buffered = this.buffer.length;
        }
        if (this.buffer.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    this.flushing = this.flushing.then(run, run);
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
