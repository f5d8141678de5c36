/**
 * The SQLite bulk path remembers items it found live across batches; an item unpublished by another process (its own
 * connection) must still be refused from the next batch on — the removal log is read inside each batch's transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventInput } from './ports.js';
import { openSqliteStore } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'bulk-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const view = (userId: string, itemId: string, timestamp: number): EventInput => ({
  userId,
  itemId,
  type: 'view',
  weight: 1,
  timestamp,
});

describe('SQLite event batches and items removed by another connection', () => {
  it('refuses events on an item another process unpublished after this connection saw it live', async () => {
    const file = join(dir, 'layerwise.db');
    const importer = await openSqliteStore(file);
    const other = await openSqliteStore(file);
    try {
      await importer.upsertItems(['a', 'b'].map((id) => ({ id, status: 'ready' as const, title: id })));
      expect(await importer.addEvents([view('u1', 'a', 1), view('u1', 'b', 2)])).toMatchObject({ inserted: 2 });
      expect((await other.removeItem('a')).removed).toBe(true);
      const r = await importer.addEvents([view('u2', 'a', 3), view('u2', 'b', 4)], { unknownItems: 'reject' });
      expect(r).toMatchObject({ inserted: 1, rejected: [0] });
      // an item first seen as a stub is remembered too, and a later removal of it is still seen
      expect(await importer.addEvents([view('u3', 'new', 5)])).toMatchObject({ inserted: 1 });
      expect((await other.getItem('new'))?.status).toBe('stub');
      await other.removeItem('new');
      expect(await importer.addEvents([view('u3', 'new', 6)])).toMatchObject({ inserted: 0, rejected: [0] });
    } finally {
      await importer.close();
      await other.close();
    }
  });
});
