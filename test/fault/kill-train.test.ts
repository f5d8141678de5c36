/**
 * Fault injection (issue 15): `kill -9` of `layerwise train` at several moments. The served (active) model must
 * stay the one that was active before, load and recommend; a re-run must then finish and activate its own model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedStore } from '../../src/api/testing/fixture.js';
import { loadRecommender } from '../../src/models/registry.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { kill9, startCli } from './children.js';

const MODEL = 'recommender';

describe('kill -9 of training', () => {
  it('leaves the active model intact and loadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harden-train-'));
    try {
      const seed = await openSqliteStore(join(dir, 'layerwise.db'));
      await seedStore(seed);
      await seed.close();
      const args = ['train', '--data-dir', dir, '--models', 'pop,itemknn,ease', '--json'];
      expect(await startCli(args).exit).toBe(0);
      const before = await activeVersion(dir);
      expect(before).not.toBeNull();

      let killedWhileRunning = 0;
      for (const delayMs of [300, 900, 1500, 2500]) {
        const run = startCli(args);
        await new Promise((r) => setTimeout(r, delayMs));
        if (run.child.exitCode === null) killedWhileRunning++;
        await kill9(run.child);
        await run.exit;
        const store = await openSqliteStore(join(dir, 'layerwise.db'));
        const active = await store.getActiveModel(MODEL);
        expect(active).not.toBeNull();
        const model = loadRecommender(active!.payload!);
        expect(model.kind).toBeTruthy();
        await store.close();
      }
      expect(killedWhileRunning).toBeGreaterThan(0);
      expect(await startCli(args).exit).toBe(0);
      expect(await activeVersion(dir)).toBeGreaterThan(before!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function activeVersion(dir: string): Promise<number | null> {
  const store = await openSqliteStore(join(dir, 'layerwise.db'));
  try {
    return (await store.getActiveModel(MODEL))?.version ?? null;
  } finally {
    await store.close();
  }
}
