/**
 * Concurrent writers on one SQLite file (issue 15): a second process writing big transactions (as `layerwise ingest
 * events` does) must never make a store write fail with "database is locked", and waiting for its lock must not block
 * this process' event loop (the wait is an asynchronous retry, not SQLite's synchronous busy handler).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'harden-sqlite-'));
  dirs.push(d);
  return d;
}

/** A child process that writes `rounds` transactions of `rows` events each to the file, as fast as it can. */
function writer(file: string, rounds: number, rows: number): Promise<number> {
  const code = `
    const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(file)});
    db.pragma('busy_timeout = 10000');
    const ins = db.prepare("insert into events (user_id, item_id, type, weight, value, ts) values (?, ?, 'view', 1, null, ?)");
    process.send('ready');
    let n = 0;
    for (let r = 0; r < ${rounds}; r++) {
      db.transaction(() => { for (let i = 0; i < ${rows}; i++) ins.run('w' + (i % 50), 'x' + (i % 200), r * 1e6 + i); })();
      n++;
    }
    db.close();
    process.send('done:' + n);
  `;
  return new Promise((resolve, reject) => {
    const script = join(scratch(), 'writer.cjs');
    writeFileSync(script, code);
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m) => {
      if (typeof m === 'string' && m.startsWith('done:')) resolve(Number(m.slice(5)));
    });
    child.on('error', reject);
    child.on('exit', (c) => (c === 0 ? undefined : reject(new Error(`writer exited ${c}`))));
  });
}

describe('SQLite with a concurrent writer process', () => {
  it('never surfaces "database is locked" to store writes', async () => {
    const file = join(scratch(), 'lw.db');
    const store = await openSqliteStore(file);
    await store.upsertItems([{ id: 'i1', status: 'ready' }]);
    const other = writer(file, 40, 5000);
    const failures: string[] = [];
    let ok = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < 3000) {
      const batch = Array.from({ length: 8 }, (_, k) =>
        store
          .addEvents([{ userId: `u${k}`, itemId: 'i1', type: 'like', weight: 1, timestamp: Date.now() + k }])
          .then(() => ok++)
          .catch((e: Error) => failures.push(e.message)),
      );
      await Promise.all(batch);
    }
    await other;
    expect(failures.slice(0, 3)).toEqual([]);
    expect(ok).toBeGreaterThan(20);
    await store.close();
  });

  it('waits for a held write lock without blocking the event loop, then writes', async () => {
    const file = join(scratch(), 'lw.db');
    const store = await openSqliteStore(file);
    const holder = new Database(file);
    holder.exec('begin immediate');
    holder.prepare("insert into users (id, attrs, created_at) values ('holder', null, 0)").run();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const write = store.upsertUsers([{ id: 'waiting' }]);
    await new Promise((r) => setTimeout(r, 400));
    holder.exec('commit');
    holder.close();
    await write;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5); // the loop kept turning while the write waited (a blocked loop gives 0–1)
    expect(await store.getUser('waiting')).not.toBeNull();
    await store.close();
  });
});

describe('page cursors', () => {
  it('a mangled cursor is invalid_argument on users and items alike (never a silent restart)', async () => {
    const store = await openSqliteStore(':memory:');
    await store.upsertUsers([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    await store.upsertItems([
      { id: 'x', status: 'ready' },
      { id: 'y', status: 'ready' },
    ]);
    const p1 = await store.listUsers({ limit: 1 });
    expect((await store.listUsers({ limit: 1, cursor: p1.nextCursor! })).items[0]?.id).toBe('b');
    for (const bad of ['!!!', 'not a cursor', `${p1.nextCursor}=`, '']) {
      await expect(store.listUsers({ limit: 1, cursor: bad })).rejects.toMatchObject({ code: 'invalid_argument' });
      await expect(store.listItems({ limit: 1, cursor: bad })).rejects.toMatchObject({ code: 'invalid_argument' });
    }
    await store.close();
  });
});
