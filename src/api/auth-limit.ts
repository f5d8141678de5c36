/**
 * Throttling of failed authentication per client address, checked before the key is looked at: after `max` failures
 * (401) within a fixed window of `windowMs`, every non-public request from that address is answered 429 with
 * Retry-After until its window ends. The key-guessing rate is then `max` per window per address, however fast the
 * client sends. Memory is bounded: windows that have ended are swept when the map grows past `maxAddresses`.
 */
import { LayerwiseError } from '../core/errors.js';

interface Window {
  start: number;
  failures: number;
}

export class AuthFailureLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxAddresses = 100_000,
  ) {}

  /** Throws `rate_limited` (with `details.retryAfterS`) when `address` has used up its failures. */
  check(address: string, now = Date.now()): void {
    const w = this.windows.get(address);
    if (w === undefined || now - w.start >= this.windowMs || w.failures < this.max) return;
    const retryAfterS = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    throw new LayerwiseError(
      'rate_limited',
      `too many failed authentication attempts from this address (${this.max} per ${formatWindow(this.windowMs)}); ` +
        `retry in ${retryAfterS} s with a valid key`,
      { details: { retryAfterS } },
    );
  }

  fail(address: string, now = Date.now()): void {
    let w = this.windows.get(address);
    if (w === undefined || now - w.start >= this.windowMs) {
      if (this.windows.size >= this.maxAddresses) this.sweep(now);
      w = { start: now, failures: 0 };
      this.windows.set(address, w);
    }
    w.failures++;
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
    if (this.windows.size >= this.maxAddresses) this.windows.clear();
  }
}

/** "1 minute", "30 seconds", "2 hours": a window length as people say it. */
export function formatWindow(ms: number): string {
  const units: [number, string][] = [
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return n === 1 ? `1 ${name}` : `${n} ${name}s`;
    }
  }
  return `${ms} ms`;
}
