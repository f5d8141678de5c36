/**
 * Load shedding. An overloaded server that keeps accepting work answers everything late, and the work it does for
 * clients that have already given up is wasted: in the soak (bench/RESULTS.md) goodput fell to zero while the
 * server stayed busy. Two checks, both before any work is done:
 *
 * - **Event-loop delay.** A timer ticks every `TICK_MS`; the delay is how late its ticks come, or — while one turn
 *   of the loop is still running — how long that turn has run past its due tick (LoopDelay). A request that arrives
 *   when the loop has been later than `overload.maxEventLoopDelayMs` twice in a row (a backlog, not one long turn)
 *   is answered at once with 503 `unavailable` and `Retry-After`
 *   (`overload.retryAfterS`), at the cost of a few µs instead of a full request. Public routes (`/healthz`,
 *   `/readyz`, `/metrics`) are never shed: an orchestrator must see the process alive.
 * - **Gone clients.** A request whose socket is already closed (the client timed out or went away) is dropped before
 *   its handler runs — after the body was read too — with no answer, since nobody can receive one. While the loop is
 *   late, a request waits for the end of the next turn first, so that a close that arrived with it is seen.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../app/config.js';
import { LayerwiseError } from '../core/errors.js';

const TICK_MS = 10;
/** How long a late tick counts. */
const WINDOW_MS = 100;
/** A loop this late defers each request to the end of the turn, to see closes that arrived with it first. */
const DEFER_MS = 2 * TICK_MS;

export interface ShedStats {
  /** Requests answered 503 because the event loop was late. */
  delayed: number;
  /** Requests dropped because their client had closed the connection. */
  gone: number;
}

/**
 * Event-loop delay, ms, from a timer that ticks every `TICK_MS`. `now()`: the largest lag of the ticks within the
 * last `WINDOW_MS`, or — while one turn of the loop is still running — how far that turn is past its due tick,
 * whichever is larger (the window keeps one late tick from counting for only the few requests read before the next
 * one). `sustained()`: the same over two consecutive observations (each tick with the one before it, the running
 * turn with the last tick), so that one long turn — a start-up step, a major GC, the process descheduled on a busy
 * machine — does not count as overload; a backlog, whose turns are all long, does.
 */
export class LoopDelay {
  private last = performance.now();
  private lastLag = 0;
  private readonly peak = { raw: 0, rawAt: 0, sustained: 0, sustainedAt: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => {
      const now = performance.now();
      const lag = Math.max(0, now - this.last - TICK_MS);
      const sustained = Math.min(lag, this.lastLag);
      this.last = now;
      this.lastLag = lag;
      const p = this.peak;
      if (lag >= p.raw || now - p.rawAt > WINDOW_MS) {
        p.raw = lag;
        p.rawAt = now;
      }
      if (sustained >= p.sustained || now - p.sustainedAt > WINDOW_MS) {
        p.sustained = sustained;
        p.sustainedAt = now;
      }
    }, TICK_MS);
    this.timer.unref();
  }

  now(): number {
    const now = performance.now();
    const recent = now - this.peak.rawAt <= WINDOW_MS ? this.peak.raw : 0;
    return Math.max(recent, now - this.last - TICK_MS);
  }

  sustained(): number {
    const now = performance.now();
    const recent = now - this.peak.sustainedAt <= WINDOW_MS ? this.peak.sustained : 0;
    return Math.max(recent, Math.min(this.lastLag, now - this.last - TICK_MS));
  }

  close(): void {
    clearInterval(this.timer);
  }
}

function gone(request: FastifyRequest): boolean {
  const socket = request.raw.socket;
  return request.raw.destroyed || socket === null || socket.destroyed;
}

export function registerLoadShedding(app: FastifyInstance, config: ServerConfig['overload']): ShedStats {
  const stats: ShedStats = { delayed: 0, gone: 0 };
  const delay = new LoopDelay();
  app.addHook('onClose', async () => delay.close());
  const max = config.maxEventLoopDelayMs;
  /** Continues with the request unless its client has gone (then drops it, unanswered). */
  const proceed = (request: FastifyRequest, reply: FastifyReply, done: (e?: Error) => void): void => {
    if (gone(request)) {
      stats.gone++;
      reply.hijack(); // nothing to answer, nobody to answer to; Fastify runs nothing more for a hijacked reply
      request.raw.socket?.destroy();
    }
    done();
  };
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.scope === 'public') return done();
    const late = max > 0 ? delay.sustained() : 0;
    if (late > max && max > 0) {
      stats.delayed++;
      return done(
        new LayerwiseError(
          'unavailable',
          `the server is overloaded (event loop ${Math.round(late)} ms late, limit ${max} ms); retry after ${config.retryAfterS} s`,
          { details: { retryAfterS: config.retryAfterS } },
        ),
      );
    }
    if (delay.now() <= DEFER_MS) return proceed(request, reply, done);
    // The loop is behind: a request is handled as soon as it is parsed, and a close right behind it on the same
    // socket is only read in the next turn (libuv stops at a partial read). Waiting for the end of that turn lets a
    // client that gave up (its socket closed since it sent the request) be noticed before any work is done for it.
    setImmediate(() => setImmediate(() => proceed(request, reply, done)));
  });
  // a body can take a while to arrive, and the client may give up meanwhile
  app.addHook('preHandler', (request, reply, done) => {
    if (request.routeOptions.config?.scope === 'public') return done();
    proceed(request, reply, done);
  });
  return stats;
}
