/**
 * Impressions written from a worker thread with its own SQLite connection (file stores). Recommendation traffic
 * shows ~10 items per response, so at 1,000 responses/s the store takes 10,000 impression rows a second; each row
 * costs ~8 µs of B-tree work (the table's three indexes, two of them on random keys) — written on the serving
 * thread that is ~8 % of the event loop in 2–20 ms stalls, the API benchmark's p99. The worker does that work
 * beside the event loop; WAL mode lets the serving thread keep reading, and its own writes (events) wait for the
 * write lock asynchronously (sqlite-write.ts) while a 250-row impression transaction (~2 ms) commits.
 *
 * The worker is plain JavaScript (no TypeScript loader needed) and needs only better-sqlite3. A write resolves
 * after its transaction committed (so `ImpressionLog.flush()` still means "written" — erasure relies on it). If the
 * worker dies, pending writes fail with `unavailable` and later writes go through `fallback` on the caller's thread.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { LayerwiseError } from '../core/errors.js';
import type { ImpressionInput } from './live-ports.js';

const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 30000');
const insert = db.prepare(
  'insert or ignore into impressions (recommendation_id, user_id, item_id, position, model, experiment, arm, ts) ' +
    'values (?, ?, ?, ?, ?, ?, ?, ?)',
);
const write = db.transaction((rows) => {
  let n = 0;
  for (const r of rows) n += insert.run(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]).changes;
  return n;
});
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: m.id, n: write.immediate(m.rows) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
  }
});
`;

type Row = [string, string, string, number, string | null, string | null, string | null, number];

export class ImpressionThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (n: number) => void; reject: (e: unknown) => void }>();
  private next = 1;
  private dead: Error | null = null;

  constructor(
    file: string,
    private readonly fallback: (rows: ImpressionInput[]) => Promise<number>,
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(SOURCE, { eval: true, workerData: { file, driver } });
    this.worker.unref();
    this.worker.on('message', (m: { id: number; n?: number; error?: string }) => {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error !== undefined) p.reject(new LayerwiseError('unavailable', `writing impressions failed: ${m.error}`));
      else p.resolve(m.n ?? 0);
    });
    const fail = (e: Error) => {
      this.dead ??= e;
      for (const p of this.pending.values()) {
        p.reject(new LayerwiseError('unavailable', `the impression writer thread stopped: ${e.message}`, { cause: e }));
      }
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  /** Writes rows in one transaction on the worker; resolves with the rows written once committed. */
  write(rows: ImpressionInput[]): Promise<number> {
    if (this.dead !== null) return this.fallback(rows);
    const id = this.next++;
    const data: Row[] = rows.map((r) => [
      r.recommendationId,
      r.userId,
      r.itemId,
      r.position,
      r.model,
      r.experiment,
      r.arm,
      Math.round(r.timestamp),
    ]);
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ id, rows: data });
    });
  }

  /** Waits for pending writes, then stops the worker (its connection closed). */
  async close(): Promise<void> {
    if (this.dead !== null) return;
    while (this.pending.size > 0) await new Promise((r) => setTimeout(r, 5));
    this.dead = new Error('closed');
    const exited = new Promise((r) => this.worker.once('exit', r));
    this.worker.postMessage('close');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    await this.worker.terminate();
  }
}
