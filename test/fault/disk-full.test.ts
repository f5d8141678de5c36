/**
 * Fault injection (issue 15): the SQLite data dir on a small tmpfs runs out of space while events are written.
 * Every write either succeeds or fails with a typed `unavailable` error saying the disk is full; every acknowledged
 * event is still there after the store is closed and reopened; reads keep working; and when space is freed, writes
 * resume. Needs root (to mount the tmpfs); skipped with a message otherwise.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LayerwiseError } from '../../src/core/errors.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'harden-diskfull-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (e) {
  console.warn(`skipping disk-full fault test: cannot mount a tmpfs (${(e as Error).message.split('\n')[0]})`);
}

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.runIf(mounted)('disk full on the data dir', () => {
  it('fails writes with a typed error, loses nothing acknowledged, and recovers when space is freed', async () => {
    const file = join(mountPoint, 'layerwise.db');
    let store = await openSqliteStore(file);
    await store.upsertItems([{ id: 'i1', status: 'ready' }]);
    writeFileSync(join(mountPoint, 'ballast'), new Uint8Array(2 * 1024 * 1024)); // freed later
    let acknowledged = 0;
    const errors: LayerwiseError[] = [];
    for (let batch = 0; errors.length < 3 && batch < 2000; batch++) {
      const events = Array.from({ length: 200 }, (_, k) => ({
        userId: `user-with-a-longish-id-${batch}-${k}`,
        itemId: 'i1',
        type: 'view' as const,
        weight: 1,
        timestamp: batch * 1000 + k,
      }));
      try {
        acknowledged += (await store.addEvents(events)).inserted;
      } catch (e) {
        if (!(e instanceof LayerwiseError)) throw new Error(`untyped ${(e as { code?: string }).code}: ${e}`);
        errors.push(e as LayerwiseError);
      }
    }
    expect(errors.length).toBe(3);
    expect(acknowledged).toBeGreaterThan(1000);
    for (const e of errors) {
      expect(e.code).toBe('unavailable');
      expect(e.details.storage).toBe('full');
    }
    expect(await store.countEvents()).toBe(acknowledged); // reads still work, nothing half-written
    await store.close();

    store = await openSqliteStore(file);
    expect(await store.countEvents()).toBe(acknowledged);
    rmSync(join(mountPoint, 'ballast'));
    const more = await store.addEvents([{ userId: 'after', itemId: 'i1', type: 'like', weight: 2, timestamp: 1 }]);
    expect(more.inserted).toBe(1);
    expect(await store.countEvents()).toBe(acknowledged + 1);
    await store.close();
  });
});
