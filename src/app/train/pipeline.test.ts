/**
 * The scale pipeline in CI size (bench/scale runs it at 1 M–100 M events): demo --scale files → ingest items →
 * ingest events → train pop + iALS with sampled validation, progress and ETA → serve (item statistics loaded, histories
 * read on demand, candidates through the MIPS index with recall ≥ 0.95 of full scoring's top 10); re-running both
 * ingests changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateScale } from '../../demo/scale.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { loadServerConfig } from '../config.js';
import { ingestEvents } from '../ingest/events.js';
import { ingestItemsFile } from '../ingest/items.js';
import { createServices } from '../serve/index.js';
import { trainFromStore } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'scale-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scale pipeline (200 k events)', () => {
  it('imports, trains and re-imports idempotently', async () => {
    const gen = await generateScale({ out: join(dir, 'demo'), items: 4000, events: 200_000, seed: 7 });
    expect(gen.events).toBe(200_000);
    const store = await openSqliteStore(join(dir, 'store', 'layerwise.db'));
    try {
      const items = await ingestItemsFile(store, join(dir, 'demo', 'items.jsonl'));
      expect(items).toMatchObject({ scanned: 4000, added: 4000, failed: 0 });
      const ev = await ingestEvents(store, join(dir, 'demo', 'events.csv'), { unknownItems: 'reject' });
      expect(ev).toMatchObject({ scanned: 200_000, failed: 0, rejected: 0 });
      expect(ev.added + ev.duplicates).toBe(200_000);
      expect(await store.countEvents()).toBe(ev.added);

      const lines: string[] = [];
      const summary = await trainFromStore(store, {
        kinds: ['pop', 'ials'],
        params: { ials: { epochs: 3 } },
        validationUsers: 800,
        onProgress: (m) => lines.push(m),
        // the active model's candidate index, built where serve looks for it
        indexDir: join(dir, 'store', 'indexes'),
        indexMinItems: 0,
      });
      expect(summary.errors).toEqual([]);
      expect(summary.data.items).toBeLessThanOrEqual(4000);
      expect(summary.saved.map((s) => s.kind)).toEqual(['pop', 'ials']);
      for (const s of summary.saved) {
        expect(s.metrics.validationUsers).toBe(800);
        expect(s.metrics.ndcgCiLo).toBeLessThanOrEqual(s.metrics.ndcg!);
        expect(s.metrics.ndcgCiHi).toBeGreaterThanOrEqual(s.metrics.ndcg!);
      }
      // The generator plants tastes: personalised factors must beat popularity beyond the sampling noise.
      const [pop, ials] = summary.saved;
      expect(ials!.metrics.ndcgCiLo).toBeGreaterThan(pop!.metrics.ndcg!);
      expect(summary.active?.kind).toBe('ials');
      expect(lines.some((l) => /^read events: \d+\/\d+ \(100%\)/.test(l))).toBe(true);
      expect(lines.some((l) => /^ials refit \(epochs\): 3\/3/.test(l))).toBe(true);
      expect(lines.some((l) => /validation NDCG@10 .* \(95% CI .*, 800 users\)/.test(l))).toBe(true);

      expect(lines.some((l) => /^item statistics for serving: \d+ items/.test(l))).toBe(true);
      expect(lines.some((l) => /^candidate index for serving: \d+ items/.test(l))).toBe(true);
      expect(lines.some((l) => /^read events: .*, RSS \d+\.\d\d GB$/.test(l))).toBe(true);

      // serve: nothing of the event log is read at start-up; candidates come from the index over the iALS factors
      const config = loadServerConfig({ serving: { annMinItems: 0 } }, {});
      const services = await createServices(store, config, {
        dataDir: join(dir, 'store'),
        pollMs: 0,
        closeStore: false,
      });
      const state = services.state;
      expect(state.statsSource).toBe('loaded');
      expect(state.caughtUpEvents).toBe(0);
      expect(state.histories.size).toBe(0);
      await state.indexes.ready(state.model!.model);
      expect(state.model!.retriever?.kind).toBe('factors');
      expect(state.indexes.lastBuildSeconds).toBe(0); // train built it: serve mapped the file
      const users = (await store.listUsers({ limit: 200 })).items.map((u) => u.id);
      let found = 0;
      let total = 0;
      for (const id of users) {
        const hist = state.model!.historyArrays((await state.histories.get(id)).items);
        const exact = state.model!.scan(hist, 10);
        const got = new Set(state.model!.candidates(hist, config.serving.candidates).items);
        for (const i of exact.items) found += got.has(i) ? 1 : 0;
        total += exact.count;
      }
      expect(found / total).toBeGreaterThanOrEqual(0.95);
      const rec = await services.recommendations.forUser(users[0]!, { k: 10, explain: true });
      expect(rec.items).toHaveLength(10);
      expect(rec.items.some((it) => it.reasons.some((r) => r.kind === 'history'))).toBe(true);

      // a new user's index search runs on a search thread (serving.searchThreads, default one per spare core, at
      // least one here): the same recommendations as a server searching on its request thread
      const here = await createServices(
        store,
        loadServerConfig({ serving: { annMinItems: 0, searchThreads: 0 } }, {}),
        {
          dataDir: join(dir, 'store'),
          pollMs: 0,
          closeStore: false,
        },
      );
      const threaded = await createServices(
        store,
        loadServerConfig({ serving: { annMinItems: 0, searchThreads: 1 } }, {}),
        {
          dataDir: join(dir, 'store'),
          pollMs: 0,
          closeStore: false,
        },
      );
      await here.state.indexes.ready(here.state.model!.model);
      await threaded.state.indexes.ready(threaded.state.model!.model);
      const page = (r: { items: { itemId: string; score: number }[] }) => r.items.map((it) => [it.itemId, it.score]);
      for (const id of users.slice(0, 30)) {
        const a = threaded.recommendations.forUser(id, { k: 10, explain: true });
        expect(a).toBeInstanceOf(Promise); // not cached yet: read and searched off the request path
        expect(page(await a)).toEqual(page(await here.recommendations.forUser(id, { k: 10, explain: true })));
      }
      // cached now: answered synchronously; an online event changes the next response (searched again)
      const cached = threaded.recommendations.forUser(users[1]!, { k: 10, explain: false });
      expect(cached).not.toBeInstanceOf(Promise);
      const before = page(await cached);
      const top = before[0]![0] as string;
      await threaded.events.ingest([
        { userId: users[1]!, itemId: top, type: 'make', weight: 4, timestamp: Date.now() },
      ]);
      const after = page(await threaded.recommendations.forUser(users[1]!, { k: 10, explain: false }));
      expect(after.map((p) => p[0])).not.toContain(top);
      here.state.histories.invalidate(users[1]!); // its cached history predates the event
      expect(after).toEqual(page(await here.recommendations.forUser(users[1]!, { k: 10, explain: false })));
      await here.close?.();
      await threaded.close?.();
      await services.close?.();

      expect(await ingestItemsFile(store, join(dir, 'demo', 'items.jsonl'))).toMatchObject({ unchanged: 4000 });
      const again = await ingestEvents(store, join(dir, 'demo', 'events.csv'), { unknownItems: 'reject' });
      expect(again).toMatchObject({ added: 0, duplicates: 200_000 });
    } finally {
      await store.close();
    }
  }, 120_000);
});
