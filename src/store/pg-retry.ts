/**
 * PostgreSQL faults as typed errors: while the server restarts or refuses connections (connection refused/reset,
 * `57P01 admin_shutdown`, `57P02 crash_shutdown`, `57P03 cannot_connect_now`, class 08 connection exceptions), a write
 * is retried with jittered backoff until `deadlineMs` (default 15 s), then fails with `unavailable` and
 * `details.retryAfterS`. Our writes are idempotent (events ignore exact duplicates, items and users upsert), so
 * re-running a transaction whose commit was cut off stores nothing twice. `53100 disk_full` becomes `unavailable`
 * with `details.storage = 'full'`.
 */
import { LayerwiseError } from '../core/errors.js';

const TRANSIENT_SQLSTATE = /^(08...|57P01|57P02|57P03|53300|40001|40P01)$/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EAI_AGAIN']);

export function isTransientPg(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_ERRNO.has(code)) return true;
  const message = typeof err?.message === 'string' ? err.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function retryTransientPg<T>(fn: () => Promise<T>, deadlineMs = 15_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if ((e as { code?: unknown })?.code === '53100') {
        throw new LayerwiseError('unavailable', 'the database disk is full; nothing of this request was stored', {
          cause: e,
          details: { storage: 'full', retryAfterS: 30 },
        });
      }
      if (!isTransientPg(e)) throw e;
      if (Date.now() >= deadline) {
        throw new LayerwiseError('unavailable', `PostgreSQL is unavailable (${(e as Error).message}); retry later`, {
          cause: e,
          details: { retryAfterS: 5 },
        });
      }
      await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
    }
  }
}
