/** Experiments use case on a real SQLite store: validation, lifecycle, sticky assignment, impressions, readout. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../store/ports.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { ImpressionLog } from './impression-log.js';
import { ExperimentService } from './service.js';

describe('ExperimentService', () => {
  let store: Store;
  let svc: ExperimentService;
  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    await store.saveModel({ name: 'recommender', config: {}, configHash: 'a' });
    await store.saveModel({ name: 'recommender', config: {}, configHash: 'b' });
    svc = await ExperimentService.open(store);
  });
  afterEach(() => store.close());

  const spec = {
    name: 'iALS v2 vs v1',
    arms: [
      { name: 'control', model: 'recommender@1' },
      { name: 'treatment', model: 'recommender@2', share: 1 },
    ],
  };

  it('validates arms, models and settings with clear errors', async () => {
    await expect(svc.create({ name: 'x', arms: [{ name: 'a' }] })).rejects.toThrow(/at least two arms/);
    await expect(svc.create({ name: 'x', arms: [{ name: 'a' }, { name: 'a' }] })).rejects.toThrow(/unique/);
    await expect(
      svc.create({ name: 'x', arms: [{ name: 'a', model: 'recommender@9' }, { name: 'b' }] }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(svc.create({ name: 'x', arms: [{ name: 'a', model: 'v2' }, { name: 'b' }] })).rejects.toThrow(
      /name@version/,
    );
    await expect(svc.create({ name: 'x', arms: [{ name: 'a', share: 0 }, { name: 'b' }] })).rejects.toThrow(
      /share must be a number > 0/,
    );
    await expect(
      svc.create({ name: 'x', arms: [{ name: 'a', rules: { printerPenalty: 1 } as never }, { name: 'b' }] }),
    ).rejects.toThrow(/unknown rule "printerPenalty"; known: supportPenalty/);
    await expect(svc.create({ ...spec, settings: { alpha: 0.7 } })).rejects.toThrow(/alpha/);
    const e = await svc.create({ ...spec, settings: { primaryMetric: 'like' } });
    expect(e.id).toMatch(/^ials-v2-vs-v1-/);
    expect(e.settings).toMatchObject({ primaryMetric: 'like', alpha: 0.05 });
  });

  it('runs one experiment at a time; assignment is sticky and follows the shares', async () => {
    const a = await svc.create({ ...spec, id: 'exp-a' });
    const b = await svc.create({ ...spec, id: 'exp-b' });
    expect(svc.assign('u1')).toBeNull();
    await svc.start(a.id);
    await expect(svc.start(b.id)).rejects.toMatchObject({ code: 'conflict' });
    const arms = new Map<string, number>();
    for (let u = 0; u < 2000; u++) {
      const x = svc.assign(`u${u}`)!;
      expect(x.experiment).toBe('exp-a');
      expect(svc.assign(`u${u}`)!.arm.name).toBe(x.arm.name);
      arms.set(x.arm.name, (arms.get(x.arm.name) ?? 0) + 1);
    }
    expect(Math.abs((arms.get('control') ?? 0) - 1000)).toBeLessThan(100);
    // another process (a second service on the same store) sees it after refresh
    const other = await ExperimentService.open(store);
    expect(other.assign('u7')!.arm.name).toBe(svc.assign('u7')!.arm.name);
    await svc.stop(a.id);
    expect(svc.assign('u1')).toBeNull();
    await expect(svc.start(a.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await other.refresh()).toBeNull();
  });

  it('reads out per-arm rates and a winner from impressions and events carrying recommendationId', async () => {
    await store.upsertItems(Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, status: 'ready' as const })));
    const e = await svc.create({ ...spec, id: 'exp-r', settings: { minUsers: 20 } });
    const t0 = 1_700_000_000_000;
    await svc.start(e.id, t0);
    const log = new ImpressionLog(store, { flushMs: 0 });
    const events = [];
    for (let u = 0; u < 600; u++) {
      const user = `u${u}`;
      const { arm } = svc.assign(user)!;
      const rec = `r${u}`;
      log.log(
        [0, 1, 2, 3].map((p) => ({
          recommendationId: rec,
          userId: user,
          itemId: `i${p}`,
          position: p,
          model: arm.model,
          experiment: e.id,
          arm: arm.name,
          timestamp: t0 + u * 1000,
        })),
      );
      // treatment users click two of four shown items, control users one in four on every other user
      const clicks = arm.name === 'treatment' ? 2 : u % 2;
      for (let c = 0; c < clicks; c++) {
        events.push({
          userId: user,
          itemId: `i${c}`,
          type: 'view' as const,
          weight: 1,
          timestamp: t0 + u * 1000 + 10,
          recommendationId: rec,
        });
      }
    }
    await log.close();
    await store.addEvents(events);
    expect(log.stats).toMatchObject({ logged: 2400, written: 2400, dropped: 0 });
    const r = await svc.readout(e.id, { now: t0 + 600_000 });
    const [control, treatment] = r.arms;
    expect(control!.metrics.view.perImpression.rate).toBeCloseTo(0.125, 1);
    expect(treatment!.metrics.view.perImpression.rate).toBeCloseTo(0.5, 6);
    expect(treatment!.metrics.view.perUser.rate).toBe(1);
    expect(control!.impressions + treatment!.impressions).toBe(2400);
    expect(r.comparisons[0]).toMatchObject({ arm: 'treatment', control: 'control', significant: true });
    expect(r.verdict).toMatchObject({ state: 'winner', arm: 'treatment' });
    expect(r.series.at.length).toBeGreaterThan(5);
    expect(r.series.p[0]!.at(-1)).toBe(r.comparisons[0]!.p);
  });
});

describe('ImpressionLog', () => {
  it('writes a large buffer in chunkRows-sized transactions and lets the event loop run between them', async () => {
    const events: string[] = [];
    const fake = {
      addImpressions: async (rows: unknown[]) => {
        events.push(`write ${rows.length}`);
        // a request arriving while a chunk is being written runs before the next chunk
        setImmediate(() => events.push('request'));
        return rows.length;
      },
    } as unknown as Store;
    const log = new ImpressionLog(fake, { flushMs: 0, batchSize: 1e9, chunkRows: 100 });
    const row = {
      recommendationId: 'r',
      userId: 'u',
      itemId: 'i',
      position: 0,
      model: null,
      experiment: null,
      arm: null,
      timestamp: 1,
    };
    log.log(Array(350).fill(row));
    await log.flush();
    expect(events).toEqual(['write 100', 'request', 'write 100', 'request', 'write 100', 'request', 'write 50']);
    expect(log.stats).toMatchObject({ logged: 350, written: 350, buffered: 0 });
  });

  it('batches writes, samples per response and keeps rows while the store fails', async () => {
    const written: number[] = [];
    let fail = true;
    const fake = {
      addImpressions: async (rows: unknown[]) => {
        if (fail) throw new Error('down');
        written.push(rows.length);
        return rows.length;
      },
    } as unknown as Store;
    const errors: number[] = [];
    const log = new ImpressionLog(fake, {
      flushMs: 0,
      batchSize: 1000,
      maxBuffered: 25,
      onError: (_, n) => errors.push(n),
    });
    const row = {
      recommendationId: 'r',
      userId: 'u',
      itemId: 'i',
      position: 0,
      model: null,
      experiment: null,
      arm: null,
      timestamp: 1,
    };
    log.log(Array(10).fill(row));
    await log.flush();
    expect(errors).toEqual([10]);
    log.log(Array(20).fill(row)); // 10 kept + 20 > 25: 5 dropped
    expect(log.stats).toMatchObject({ dropped: 5, buffered: 25 });
    fail = false;
    await log.close();
    expect(written).toEqual([25]);
    let k = 0;
    const sampled = new ImpressionLog(fake, { flushMs: 0, sampleRate: 0.25, random: () => (k++ % 4) / 4 });
    const decisions = Array.from({ length: 8 }, () => sampled.sampled());
    expect(decisions.filter(Boolean)).toHaveLength(2);
    expect(sampled.stats.sampledOut).toBe(6);
  });
});
