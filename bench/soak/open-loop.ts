/**
 * An open-loop load generator for mixed traffic (the soak benchmark): request i is due at start + i / rate, whatever
 * happened before, and its latency is measured from that due time — not from when it left — so a server stall, or a
 * client that fell behind, is charged to every request due during it (no coordinated omission).
 *
 * Like bench/api/open-loop.ts it speaks HTTP/1.1 over raw keep-alive sockets (one request in flight per connection;
 * a new connection when all are busy, up to `maxConnections`, beyond which due requests wait in a FIFO — still timed
 * from their due time) with responses framed by Content-Length: a few µs of client CPU per request, where Node's
 * fetch (undici) could not keep up with 500 req/s of mixed traffic on this machine. Unlike it, requests are arbitrary
 * bytes (GET, JSON POST, multipart upload), each tagged with a kind, and every outcome is reported to a callback.
 * Idle connections are closed by the client after 3 s, before the server's keep-alive timeout (5 s) could race a
 * reuse; a request without an answer `timeoutMs` after it was due counts as an error (status 0) — sent or still
 * waiting for a connection — so an overloaded server costs errors, not an ever longer drain after the schedule.
 */
import net from 'node:net';

export interface LoadRequest {
  kind: string;
  /** The whole HTTP/1.1 request (head and body). */
  bytes: Buffer;
}

export interface Outcome {
  kind: string;
  /** ms after the start of the run that the request was due. */
  due: number;
  /** ms from the due time to the end of the response. */
  latency: number;
  /** HTTP status; 0 when the connection failed or the request timed out. */
  status: number;
  /** What went wrong, for errors. */
  error?: string;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;
const CLOSE = /\r\nconnection: *close/i;
const IDLE_CLOSE_MS = 3000;

interface Pending {
  req: LoadRequest;
  due: number;
}

class Conn {
  readonly socket: net.Socket;
  busy: Pending | null = null;
  idleSince = 0;
  dead = false;
  private buf: Buffer | null = null;
  private need = -1;
  private status = 0;
  private closeAfter = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    port: number,
    host: string,
    private readonly timeoutMs: number,
    private readonly finish: (c: Conn, p: Pending, status: number, error?: string) => void,
  ) {
    this.socket = net.connect({ port, host, noDelay: true });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    const fail = (e?: Error): void => {
      this.dead = true;
      if (this.busy) this.done(0, e ? `socket ${(e as NodeJS.ErrnoException).code ?? e.message}` : 'closed');
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail());
  }

  /** Sends `p`; it times out `timeoutMs` after it was due (`dueAt`, performance.now() time), not after sending. */
  send(p: Pending, dueAt: number): void {
    this.busy = p;
    this.buf = null;
    this.need = -1;
    this.timer = setTimeout(
      () => {
        this.dead = true; // before done(): the connection must not be handed the next request
        this.done(0, 'timeout');
        this.socket.destroy();
      },
      Math.max(1, dueAt + this.timeoutMs - performance.now()),
    );
    this.socket.write(p.req.bytes);
  }

  private onData(d: Buffer): void {
    if (!this.busy) return;
    this.buf = this.buf === null ? d : Buffer.concat([this.buf, d]);
    if (this.need < 0) {
      const end = this.buf.indexOf(CRLF2);
      if (end < 0) return;
      const head = this.buf.toString('latin1', 0, end);
      const m = CONTENT_LENGTH.exec(head);
      if (m === null) {
        this.dead = true;
        this.done(0, 'response without content-length');
        this.socket.destroy();
        return;
      }
      this.need = end + 4 + Number(m[1]);
      this.status = Number(head.slice(9, 12));
      this.closeAfter = CLOSE.test(head);
    }
    if (this.buf.length >= this.need) {
      if (this.closeAfter) this.dead = true;
      this.done(this.status);
      if (this.closeAfter) this.socket.end();
    }
  }

  private done(status: number, error?: string): void {
    const p = this.busy;
    if (p === null) return;
    clearTimeout(this.timer);
    this.busy = null;
    this.buf = null;
    this.idleSince = performance.now();
    this.finish(this, p, status, error);
  }
}

export interface OpenLoopOptions {
  host: string;
  port: number;
  rate: number;
  durationS: number;
  next: () => LoadRequest;
  onOutcome: (o: Outcome) => void;
  /** Most connections open at once (default 256). */
  maxConnections?: number;
  /** A request without an answer after this long is an error (default 30 s). */
  timeoutMs?: number;
}

/** Runs the schedule; resolves when every request has an outcome. Returns the start time (performance.now()). */
export async function openLoop(o: OpenLoopOptions): Promise<{ start: number; sent: number }> {
  const total = Math.round(o.rate * o.durationS);
  const maxConnections = o.maxConnections ?? 256;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const idle: Conn[] = [];
  const open = new Set<Conn>();
  const waiting: Pending[] = [];
  let sent = 0;
  let done = 0;
  const start = performance.now();
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => (resolveAll = r));

  const finish = (c: Conn, p: Pending, status: number, error?: string): void => {
    const latency = performance.now() - (start + p.due);
    o.onOutcome({
      kind: p.req.kind,
      due: p.due,
      latency,
      status,
      ...(error ? { error } : status >= 400 ? { error: `HTTP ${status}` } : {}),
    });
    if (++done === total) resolveAll();
    if (c.dead) open.delete(c);
    expireWaiting();
    const queued = waiting.shift();
    if (queued && !c.dead) c.send(queued, start + queued.due);
    else if (queued) dispatch(queued);
    else if (!c.dead) idle.push(c);
  };
  /** Requests still waiting for a connection `timeoutMs` after they were due: errors, never sent. */
  const expireWaiting = (): void => {
    const now = performance.now();
    while (waiting.length > 0 && now - (start + waiting[0]!.due) > timeoutMs) {
      const p = waiting.shift()!;
      o.onOutcome({
        kind: p.req.kind,
        due: p.due,
        latency: now - (start + p.due),
        status: 0,
        error: 'timeout (never sent)',
      });
      if (++done === total) resolveAll();
    }
  };
  const dispatch = (p: Pending): void => {
    let c = idle.pop();
    while (c?.dead) {
      open.delete(c);
      c = idle.pop();
    }
    if (c === undefined && open.size < maxConnections) {
      c = new Conn(o.port, o.host, timeoutMs, finish);
      open.add(c);
    }
    if (c === undefined) waiting.push(p);
    else c.send(p, start + p.due);
  };
  const sweep = setInterval(() => {
    expireWaiting();
    const now = performance.now();
    // closed by the server, or idle long enough that the server's keep-alive timeout could race a reuse
    for (let i = idle.length - 1; i >= 0; i--) {
      const c = idle[i]!;
      if (!c.dead && now - c.idleSince <= IDLE_CLOSE_MS) continue;
      idle.splice(i, 1);
      open.delete(c);
      if (!c.dead) {
        c.dead = true;
        c.socket.end();
      }
    }
  }, 500);
  const tick = (): void => {
    const now = performance.now();
    while (sent < total) {
      const due = (sent * 1000) / o.rate;
      if (start + due > now) break;
      sent++;
      dispatch({ req: o.next(), due });
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
  await all;
  clearInterval(sweep);
  for (const c of open) c.socket.destroy();
  return { start, sent };
}
