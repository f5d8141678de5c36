import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStore } from '../../app/store.js';
import { Rng } from '../../core/rng.js';
import { loadRecommender, SERVING_MODEL_NAME } from '../../models/registry.js';
import type { EventInput } from '../../store/ports.js';
import type { CliIo } from '../io.js';
import { main } from '../main.js';

describe('layerwise train / eval --dataset store', () => {
  it('trains on the store events, saves every artifact, activates the best; eval reads the same events', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lw-train-'));
    const rng = new Rng(2);
    const events: EventInput[] = [];
    for (let u = 0; u < 40; u++) {
      for (let i = 0; i < 30; i++) {
        if (rng.bernoulli(i % 2 === u % 2 ? 0.5 : 0.03))
          events.push({
            userId: `u${u}`,
            itemId: `i${i}`,
            type: 'download',
            weight: 4,
            timestamp: 1e12 + rng.int(1e6),
          });
      }
    }
    await withStore({ dataDir, databaseUrl: null }, (s) => s.addEvents(events));
    const stdout: string[] = [];
    const io: CliIo = { out: (t) => void stdout.push(t), err: () => {}, isTty: false };
    const code = await main(['train', '--data-dir', dataDir, '--models', 'pop,rp3beta', '--k', '5', '--json'], io);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.join(''));
    expect(summary.saved.map((s: { kind: string }) => s.kind)).toEqual(['pop', 'rp3beta']);
    expect(summary.active.kind).toBe('rp3beta');
    await withStore({ dataDir, databaseUrl: null }, async (s) => {
      const active = await s.getActiveModel(SERVING_MODEL_NAME);
      expect(active?.version).toBe(summary.active.version);
      const full = await s.getModel(SERVING_MODEL_NAME, active!.version);
      const model = loadRecommender(full!.payload!);
      expect(model.kind).toBe('rp3beta');
      expect(model.recommend('u0', 3).length).toBe(3);
    });
    const evalOut: string[] = [];
    const evalIo: CliIo = { out: (t) => void evalOut.push(t), err: () => {}, isTty: false };
    expect(
      await main(
        ['eval', '--dataset', 'store', '--data-dir', dataDir, '--models', 'pop,rp3beta', '--k', '5', '--json'],
        evalIo,
      ),
    ).toBe(0);
    const ev = JSON.parse(evalOut.join(''));
    expect(ev.data.interactions).toBe(new Set(events.map((e) => `${e.userId}:${e.itemId}`)).size);
    expect(ev.models.rp3beta.metrics.ndcg.mean).toBeGreaterThan(ev.models.pop.metrics.ndcg.mean);
  });
});
