/**
 * An open-loop, fixed-rate load generator: request i is due at start + i / rate whatever happened before (uniform
 * arrivals, as wrk2 does; timers fire at >= 1 ms granularity, so a due request goes out within ~1 ms). Latency is
 * measured from the send; since sending never waits for responses, a server stall is still charged to every request
 * sent during it (no coordinated omission). Polling with setImmediate instead of timers would take a whole core
 * from the server on a 2-core machine. autocannon's `overallRate` instead sends
 * each connection's quota for a second back to back at the start of the second, which measures a burst of
 * 10 concurrent requests, not a steady rate.
 */
import http from 'node:http';

export interface OpenLoopResult {
  rate: number;
  sent: number;
  errors: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export async function openLoop(
  base: string,
  path: () => string,
  opts: { rate: number; durationS: number },
): Promise<OpenLoopResult> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(opts.rate * opts.durationS);
  const lat: number[] = [];
  let errors = 0;
  let sent = 0;
  let done = 0;
  const start = performance.now();
  await new Promise<void>((finish) => {
    const fire = (): void => {
      const t0 = performance.now();
      const req = http.get({ host: url.hostname, port: url.port, path: path(), agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          lat.push(performance.now() - t0);
          if (++done === total) finish();
        });
      });
      req.on('error', () => {
        errors++;
        if (++done === total) finish();
      });
    };
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / opts.rate <= now) {
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
  agent.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] ?? Number.NaN;
  const elapsed = (performance.now() - start) / 1000;
  return { rate: done / elapsed, sent, errors, p50: q(0.5), p99: q(0.99), p999: q(0.999), max: lat.at(-1) ?? 0 };
}
