import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Interactions } from '../models/interactions.js';
import { loadRecommender } from '../models/registry.js';
import { parseDelimitedEvents, parseMovieLens100k } from './datasets.js';
import { runExperiment } from './experiment.js';
import { renderHtmlReport } from './report-html.js';
import { trainAndSelect } from './train-select.js';
import { tune } from './tune.js';

/** Two taste groups over 40 items plus noise: personalised models must beat popularity. */
function clustered(seed = 3): Interactions {
  const rng = new Rng(seed);
  const events = [];
  for (let u = 0; u < 60; u++) {
    const g = u % 2;
    for (let i = 0; i < 40; i++) {
      const p = i % 2 === g ? 0.45 : 0.04;
      if (rng.bernoulli(p)) events.push({ user: `u${u}`, item: `i${i}`, timestamp: rng.int(1000) });
    }
  }
  return Interactions.fromEvents(events).data;
}

describe('experiment harness', () => {
  const data = clustered();
  const models = [
    { kind: 'pop' },
    { kind: 'ease', params: { lambda: 5 } },
    { kind: 'ials', params: { factors: 4, epochs: 4, reg: 1, alpha: 5 } },
  ];

  it('same seeds give identical metrics; personalised beats popularity; CIs bracket the mean', async () => {
    const a = await runExperiment(data, models, { protocol: 'random', seeds: [1, 2], k: 5 });
    const b = await runExperiment(data, models, { protocol: 'random', seeds: [1, 2], k: 5 });
    expect(b.models.map((m) => m.metrics)).toEqual(a.models.map((m) => m.metrics));
    const [pop, ease] = a.models;
    expect(ease!.metrics.ndcg.mean).toBeGreaterThan(pop!.metrics.ndcg.mean + 0.1);
    for (const m of a.models) {
      expect(m.metrics.ndcg.lo).toBeLessThanOrEqual(m.metrics.ndcg.mean);
      expect(m.metrics.ndcg.hi).toBeGreaterThanOrEqual(m.metrics.ndcg.mean);
      expect(m.metrics.ndcg.seeds).toHaveLength(2);
      expect(m.curves.recall[19]!).toBeGreaterThanOrEqual(m.curves.recall[0]!);
    }
    expect(a.comparisons).toHaveLength(2);
    const best = a.models.reduce((x, y) => (y.metrics.ndcg.mean > x.metrics.ndcg.mean ? y : x));
    for (const c of a.comparisons) expect(c.against).toBe(best.name);
    expect(a.comparisons.find((c) => c.model === 'pop')!.pT).toBeLessThan(0.01);
    const html = renderHtmlReport(a, { dataset: 'clustered' });
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('reports a failing model and goes on', async () => {
    const r = await runExperiment(data, [{ kind: 'ease', params: { lambda: -1 } }, { kind: 'pop' }], {
      protocol: 'stratified',
    });
    expect(r.models[0]!.error).toMatch(/lambda must be > 0/);
    expect(r.models[1]!.metrics.ndcg.mean).toBeGreaterThan(0);
  });

  it('strong generalisation scores held-out users by fold-in', async () => {
    const r = await runExperiment(data, [{ kind: 'pop' }, { kind: 'itemknn' }], { protocol: 'strong', k: 5 });
    expect(r.models[1]!.metrics.ndcg.mean).toBeGreaterThan(r.models[0]!.metrics.ndcg.mean);
  });

  it('tuning is seeded, bounded, and starts from the defaults', async () => {
    const t = await tune('ease', data, { protocol: 'random', trials: 4, seconds: 30, seed: 2, k: 5 });
    expect(t.trials).toHaveLength(4);
    expect(t.trials[0]!.params.lambda).toBe(500);
    expect(t.bestScore).toBe(Math.max(...t.trials.map((x) => x.score)));
    const again = await tune('ease', data, { protocol: 'random', trials: 4, seconds: 30, seed: 2, k: 5 });
    expect(again.best).toEqual(t.best);
  });

  it('train-and-select refits on all data and the artifact reloads with its metrics', async () => {
    const r = await trainAndSelect(data, ['pop', 'rp3beta'], { k: 5 });
    expect(r.artifacts.map((a) => a.kind)).toEqual(['pop', 'rp3beta']);
    expect(r.artifacts[r.best]!.kind).toBe('rp3beta');
    const m = loadRecommender(r.artifacts[1]!.bytes);
    expect(m.meta?.metrics.ndcg).toBeCloseTo(r.artifacts[1]!.metrics.ndcg!, 12);
    expect(m.data.nnz).toBe(data.nnz);
  });
});

describe('dataset parsers', () => {
  it('MovieLens u.data and delimited files with or without a header', () => {
    expect(parseMovieLens100k('196\t242\t3\t881250949\n186\t302\t3\t891717742\n')).toEqual([
      { user: '196', item: '242', value: 3, timestamp: 881250949 },
      { user: '186', item: '302', value: 3, timestamp: 891717742 },
    ]);
    expect(parseDelimitedEvents('userId,movieId,rating,timestamp\n1,1,4.0,964982703\n')).toEqual([
      { user: '1', item: '1', value: 4, timestamp: 964982703 },
    ]);
    expect(parseDelimitedEvents('2\t51\t13883\n')).toEqual([{ user: '2', item: '51', value: 13883 }]);
    expect(() => parseDelimitedEvents('a,b,c\n1,2,x\n')).toThrowError(/line 2: value is not a number/);
  });
});
