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

describe('layerwise train / eval with item content', () => {
  it('gives the store content to the hybrid, prints stages, records the features; eval --item-features cold-items', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lw-train-content-'));
    const rng = new Rng(3);
    const events: EventInput[] = [];
    for (let u = 0; u < 40; u++)
      for (let i = 0; i < 40; i++)
        if (rng.bernoulli(i % 2 === u % 2 ? 0.5 : 0.03))
          events.push({ userId: `u${u}`, itemId: `i${i}`, type: 'download', weight: 4, timestamp: 1e12 + u * 100 + i });
    await withStore({ dataDir, databaseUrl: null }, async (s) => {
      await s.addEvents(events);
      // listing content: the taste group's tag; i40/i41 have content but no events yet
      await s.upsertItems(
        Array.from({ length: 42 }, (_, i) => ({ id: `i${i}`, title: `part ${i}`, tags: [i % 2 ? 'odd' : 'even'] })),
      );
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = { out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), isTty: false };
    const params =
      '{"hybrid":{"factors":8,"epochs":5,"reg":1,"towerHidden":16,"towerEpochs":30,"towerLr":0.01,"minEvents":1}}';
    const args = ['train', '--data-dir', dataDir, '--models', 'pop,hybrid', '--k', '5', '--params', params, '--json'];
    expect(await main(args, io)).toBe(0);
    const summary = JSON.parse(stdout.join(''));
    expect(summary.features.map((b: { name: string }) => b.name)).toEqual(['tags']);
    expect(stderr.join('\n')).toMatch(/hybrid: refit done in [\d.]+ s/);
    await withStore({ dataDir, databaseUrl: null }, async (s) => {
      const hybrid = (await s.listModels(SERVING_MODEL_NAME)).find(
        (m) => (m.config as { kind: string }).kind === 'hybrid',
      )!;
      expect((hybrid.config as { features: { name: string }[] }).features.map((b) => b.name)).toEqual(['tags']);
      const model = loadRecommender((await s.getModel(SERVING_MODEL_NAME, hybrid.version))!.payload!);
      // the item without events is servable at once, ranked by its content
      const top = model.recommend('u0', 40).map((x) => x.item);
      expect(top.indexOf('i40')).toBeGreaterThanOrEqual(0);
      expect(top.indexOf('i40')).toBeLessThan(top.indexOf('i41') < 0 ? 99 : top.indexOf('i41'));
    });
    const evalOut: string[] = [];
    const evalIo: CliIo = { out: (t) => void evalOut.push(t), err: () => {}, isTty: false };
    const evalArgs = ['eval', '--dataset', 'store', '--data-dir', dataDir, '--protocol', 'cold-items', '--k', '5'];
    const more = ['--models', 'pop,content', '--item-features', 'tags', '--json'];
    expect(await main([...evalArgs, ...more], evalIo)).toBe(0);
    const ev = JSON.parse(evalOut.join(''));
    expect(ev.models.content.metrics.recall.mean).toBeGreaterThan(ev.models.pop.metrics.recall.mean);
    expect(ev.models.content.metrics.recallAll.mean).toBeGreaterThanOrEqual(0);
    expect(ev.comparisons.map((c: { metric: string }) => c.metric)).toContain('recallAll');
  });
});
