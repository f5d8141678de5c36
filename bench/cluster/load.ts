/**
 * The load client of bench/cluster, in a process of its own (nothing else on its event loop): recommendation
 * requests for random users spread round-robin over one or more replica base URLs — what a load balancer in front
 * of the replicas does. Two modes:
 *   closed  C keep-alive connections (dealt round-robin to the bases), each sending its next request as soon as the
 *           previous answer arrived: the most the replicas serve (req/s) and the latency at that load;
 *   open    a fixed rate (request i due at start + i / rate, whatever happened before: no coordinated omission),
 *           requests dealt round-robin to the bases; latency from the due time.
 * HTTP/1.1 over raw sockets, responses framed by Content-Length (a few µs of client CPU per request; see
 * bench/api/open-loop.ts for why not node:http or autocannon).
 *
 *   npx tsx bench/cluster/load.ts closed|open BASES USERS_JSON CONNECTIONS|RATE SECONDS SEED
 * prints one JSON line: { mode, seconds, done, errors, rate, p50, p99, max, perBase }.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { Rng } from '../../src/core/rng.js';

const [mode, basesArg, usersFile, levelArg, secondsArg, seedArg] = process.argv.slice(2);
const bases = basesArg!.split(',').map((b) => new URL(b));
const users = JSON.parse(readFileSync(usersFile!, 'utf8')) as string[];
const level = Number(levelArg);
const seconds = Number(secondsArg);
const rng = new Rng(Number(seedArg ?? 1));
const CRLF2 = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;
const requests = bases.map((b) =>
  users.map((u) =>
    Buffer.from(
      `GET /v1/users/${encodeURIComponent(u)}/recommendations?k=10 HTTP/1.1\r\nHost: ${b.host}\r\n` +
        'Connection: keep-alive\r\n\r\n',
      'latin1',
    ),
  ),
);

class Conn {
  readonly socket: net.Socket;
  busy = false;
  private buf: Buffer | null = null;
  private need = -1;
  private status = 0;
  private from = 0;
  onDone: (c: Conn, ms: number, ok: boolean) => void = () => {};

  constructor(readonly base: number) {
    const u = bases[base]!;
    this.socket = net.connect({ port: Number(u.port), host: u.hostname, noDelay: true });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    const fail = () => this.finish(false);
    this.socket.on('error', fail);
    this.socket.on('close', fail);
  }

  send(from: number): void {
    this.busy = true;
    this.from = from;
    this.buf = null;
    this.need = -1;
    if (this.socket.destroyed) {
      queueMicrotask(() => this.finish(false)); // closed while idle: an error, never a request that hangs
      return;
    }
    const r = requests[this.base]!;
    this.socket.write(r[rng.int(r.length)]!);
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
        return;
      }
      this.need = end + 4 + Number(m[1]);
      this.status = Number(head.slice(9, 12));
    }
    if (this.buf.length >= this.need) this.finish(this.status === 200);
  }

  private finish(ok: boolean): void {
    if (!this.busy) return;
    this.busy = false;
    this.onDone(this, performance.now() - this.from, ok);
  }
}

const lat: number[] = [];
const perBase = bases.map(() => 0);
let errors = 0;
const start = performance.now();
const end = start + seconds * 1000;
// answers still missing 15 s after the last request was due count as errors (the run must end)
let missing = 0;
const deadline = (finish: () => void, outstanding: () => number) =>
  setTimeout(
    () => {
      missing = outstanding();
      finish();
    },
    (seconds + 15) * 1000,
  ).unref();

if (mode === 'closed') {
  await new Promise<void>((finish) => {
    let open = level;
    deadline(finish, () => open);
    for (let i = 0; i < level; i++) {
      const c = new Conn(i % bases.length);
      c.onDone = (conn, ms, ok) => {
        lat.push(ms);
        perBase[conn.base]!++;
        if (!ok) errors++;
        const now = performance.now();
        if (now < end && !conn.socket.destroyed) conn.send(now);
        else if (--open === 0) finish();
      };
      c.socket.once('connect', () => c.send(performance.now()));
    }
  });
} else {
  const total = Math.round(level * seconds);
  const idle: Conn[][] = bases.map(() => []);
  let sent = 0;
  let done = 0;
  await new Promise<void>((finish) => {
    deadline(finish, () => total - done);
    const onDone = (conn: Conn, ms: number, ok: boolean) => {
      lat.push(ms);
      perBase[conn.base]!++;
      if (!ok) errors++;
      if (!conn.socket.destroyed) idle[conn.base]!.push(conn);
      if (++done === total) finish();
    };
    const tick = () => {
      const now = performance.now();
      for (;;) {
        const due = start + (sent * 1000) / level;
        if (sent >= total || due > now) break;
        const b = sent % bases.length;
        sent++;
        let c = idle[b]!.pop();
        while (c?.socket.destroyed) c = idle[b]!.pop();
        if (c === undefined) {
          c = new Conn(b);
          c.onDone = onDone;
        }
        c.send(due); // latency from when it was due, not from when the timer let it go
      }
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
}
const elapsed = (performance.now() - start) / 1000;
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({ mode, seconds: elapsed, done: lat.length, errors: errors + missing, rate: lat.length / elapsed, p50: q(0.5), p99: q(0.99), max: lat.at(-1) ?? 0, perBase })}\n`,
);
process.exit(0);
