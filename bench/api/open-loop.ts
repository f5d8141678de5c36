/**
 * An open-loop, fixed-rate load generator (what wrk2 does; no such tool ships with Debian or npm): request i is due at
 * start + i / rate whatever happened before; sending never waits for responses, so a server stall is charged to
 * every request sent during it (no coordinated omission). Latency runs from the send. Timers fire at ≥ 1 ms
 * granularity, so a due request goes out at the next tick; that lateness is the client's, not the server's, and is
 * reported separately (`lateP99`). Polling with setImmediate instead would take a whole core from the server on a
 * 2-core machine.
 *
 * It speaks HTTP/1.1 over raw keep-alive sockets (one request in flight per connection, a new connection when all are
 * busy) with the request bytes built once per path and responses framed by Content-Length: a few µs of client CPU
 * per request instead of ~100 µs for node:http, so the client neither steals the server's core nor adds its own GC
 * pauses to the tail it measures. autocannon's `overallRate` instead sends each connection's quota for a second back
 * to back at the start of the second, which measures bursts of 10 concurrent requests, not a steady rate.
 */
import net from 'node:net';

export interface OpenLoopResult {
  rate: number;
  sent: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** 99th percentile of how late requests left the client (ms after they were due). */
  lateP99: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;

/** One keep-alive connection with at most one request in flight. */
class Conn {
  readonly socket: net.Socket;
  busy = false;
  private buf: Buffer | null = null;
  private need = -1;
  private sentAt = 0;

  constructor(
    port: number,
    host: string,
    private readonly done: (latencyMs: number, ok: boolean) => void,
    private readonly dead: (c: Conn) => void,
  ) {
    this.socket = net.connect({ port, host, noDelay: true });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    const fail = (): void => {
      if (this.busy) this.finish(false);
      this.dead(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', fail);
  }

  send(request: Buffer): void {
    this.busy = true;
    this.sentAt = performance.now();
    this.buf = null;
    this.need = -1;
    this.socket.write(request);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf === null ? d : Buffer.concat([this.buf, d]);
    if (this.need < 0) {
      const end = this.buf.indexOf(CRLF2);
      if (end < 0) return;
      const head = this.buf.toString('latin1', 0, end);
      const m = CONTENT_LENGTH.exec(head);
      if (m === null) {
        this.finish(false); // chunked or malformed: not expected from this server
        this.socket.destroy();
        return;
      }
      this.need = end + 4 + Number(m[1]);
      (this as { status?: number }).status = Number(head.slice(9, 12));
    }
    if (this.buf.length >= this.need) this.finish((this as { status?: number }).status === 200);
  }

  private finish(ok: boolean): void {
    if (!this.busy) return;
    this.busy = false;
    this.buf = null;
    this.need = -1;
    this.done(performance.now() - this.sentAt, ok);
  }
}

export async function openLoop(
  base: string,
  path: () => string,
  opts: { rate: number; durationS: number },
): Promise<OpenLoopResult> {
  const url = new URL(base);
  const port = Number(url.port);
  const total = Math.round(opts.rate * opts.durationS);
  const lat = new Float64Array(total);
  const late = new Float64Array(total);
  let errors = 0;
  let sent = 0;
  let done = 0;
  const idle: Conn[] = [];
  const all = new Set<Conn>();
  const requests = new Map<string, Buffer>();
  const bytes = (p: string): Buffer => {
    let b = requests.get(p);
    if (b === undefined) {
      b = Buffer.from(`GET ${p} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
      requests.set(p, b);
    }
    return b;
  };
  const start = performance.now();
  await new Promise<void>((finish) => {
    const complete = (c: Conn) => (ms: number, ok: boolean) => {
      if (!ok) errors++;
      lat[done] = ms;
      if (++done === total) finish();
      if (!c.socket.destroyed && all.has(c)) idle.push(c);
    };
    const open = (): Conn => {
      const c: Conn = new Conn(
        port,
        url.hostname,
        (ms, ok) => complete(c)(ms, ok),
        (x) => {
          // a closed connection (the server's keep-alive timeout) must never be handed a request: it would be lost
          all.delete(x);
          const at = idle.indexOf(x);
          if (at >= 0) idle.splice(at, 1);
        },
      );
      all.add(c);
      return c;
    };
    const tick = (): void => {
      const now = performance.now();
      for (;;) {
        const due = start + (sent * 1000) / opts.rate;
        if (sent >= total || due > now) break;
        late[sent++] = now - due;
        let c = idle.pop();
        while (c !== undefined && (c.socket.destroyed || !c.socket.writable)) c = idle.pop();
        c ??= open();
        c.send(bytes(path()));
      }
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
  for (const c of all) c.socket.destroy();
  const sorted = lat.slice(0, done).sort();
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  const elapsed = (performance.now() - start) / 1000;
  const lateP99 = late.sort()[Math.floor(total * 0.99)] ?? 0;
  return {
    rate: done / elapsed,
    sent,
    errors,
    p50: q(0.5),
    p99: q(0.99),
    p999: q(0.999),
    max: sorted.at(-1) ?? 0,
    lateP99,
  };
}
