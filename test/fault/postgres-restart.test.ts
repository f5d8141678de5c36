/**
 * Fault injection (issue 15): PostgreSQL restarted (`pg_ctl restart -m immediate`, a crash-style stop) while writers
 * add events. Writes during the outage wait and retry, or fail with a typed `unavailable`; every acknowledged event
 * is stored afterwards. Runs on a throwaway PostgreSQL cluster (initdb in /tmp, its own port), never the shared
 * server other tests use. Needs PostgreSQL's server binaries and root (to run them as the postgres user); skipped
 * with a message otherwise.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerwiseError } from '../../src/core/errors.js';
import { openPostgresStore } from '../../src/store/postgres.js';

function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const v = readdirSync(root).sort().pop();
  return v && existsSync(join(root, v, 'bin', 'pg_ctl')) ? join(root, v, 'bin') : undefined;
}

const bin = pgBin();
const canRun = bin !== undefined && process.getuid?.() === 0;
if (!canRun) console.warn('skipping PostgreSQL restart fault test: needs root and /usr/lib/postgresql/*/bin');

const dir = mkdtempSync(join(tmpdir(), 'harden-pg-'));
const asPostgres = (cmd: string, args: string[]) =>
  execFileSync('runuser', ['-u', 'postgres', '--', join(bin!, cmd), ...args], { stdio: 'pipe', timeout: 120_000 });

afterAll(() => {
  if (canRun && existsSync(join(dir, 'data', 'postmaster.pid'))) {
    try {
      asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
    } catch {
      // already down
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.runIf(canRun)('PostgreSQL restarted under write load', () => {
  it('keeps every acknowledged event and reports the outage as unavailable', async () => {
    execFileSync('chown', ['postgres:postgres', dir]);
    const data = join(dir, 'data');
    asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB -c max_connections=20`;
    const start = () => asPostgres('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
    start();
    const store = await openPostgresStore(`postgres://postgres@127.0.0.1:${port}/postgres`, {
      max: 4,
      writeDeadlineMs: 20_000,
    });
    await store.upsertItems([{ id: 'i1', status: 'ready' }]);
    const acked: number[] = [];
    const failures: LayerwiseError[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let b = 0; !stop; b++) {
        const ts = w * 1e9 + b;
        try {
          await store.addEvents([{ userId: `w${w}`, itemId: 'i1', type: 'view', weight: 1, timestamp: ts }]);
          acked.push(ts);
        } catch (e) {
          if (!(e instanceof LayerwiseError)) throw e;
          failures.push(e);
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await new Promise((r) => setTimeout(r, 800));
    const before = acked.length;
    asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    await new Promise((r) => setTimeout(r, 1000));
    start();
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(writers);
    for (const f of failures) expect(f.code).toBe('unavailable');
    const stored = new Set<number>();
    for await (const page of store.iterateEvents()) for (const e of page) stored.add(e.timestamp);
    await store.close();
    console.info(
      `postgres restart: ${acked.length} acknowledged (${before} before the stop), ${failures.length} unavailable`,
    );
    expect(acked.length).toBeGreaterThan(before);
    expect(acked.filter((t) => !stored.has(t))).toEqual([]);
  });
});
