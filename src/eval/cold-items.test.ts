/**
 * The cold-items protocol end to end: candidates are the held-out items for recall/ndcg and every unseen item for
 * recallAll/ndcgAll; behaviour-only models are at chance on cold items, content-aware ones are not; train-select
 * passes content, reports stages, and gives catalogue items without events a content factor.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { buildItemFeatures } from '../models/content.js';
import { Interactions } from '../models/interactions.js';
import { loadRecommender } from '../models/registry.js';
import { parseLastfmContent, parseMovieLens100kContent, parseMovieLensContent } from './content.js';
import { runExperiment } from './experiment.js';
import { type TrainStage, trainAndSelect } from './train-select.js';

/** Two taste groups over 60 items; content = the group's tag (exactly what tastes follow). */
function grouped(): { data: Interactions; features: ReturnType<typeof buildItemFeatures> } {
  const rng = new Rng(4);
  const events = [];
  for (let u = 0; u < 80; u++)
    for (let i = 0; i < 60; i++)
      if (rng.bernoulli(i % 2 === u % 2 ? 0.4 : 0.03)) events.push({ user: `u${u}`, item: `i${i}` });
  const items = Array.from({ length: 62 }, (_, i) => ({ id: `i${i}`, tokens: [i % 2 === 0 ? 'even' : 'odd'] }));
  return { data: Interactions.fromEvents(events).data, features: buildItemFeatures(items, { tokenBuckets: 16 }) };
}

const HYBRID = { factors: 8, epochs: 6, reg: 1, towerHidden: 16, towerEpochs: 40, towerLr: 0.01, minEvents: 1 };

describe('cold-items protocol', () => {
  it('reports cold-only and all-item rankings; content lifts cold items above chance and into the top 10', async () => {
    const { data, features } = grouped();
    const r = await runExperiment(
      data,
      [
        { kind: 'pop' },
        { kind: 'ials', params: { factors: 8, epochs: 6, reg: 1 } },
        { kind: 'content' },
        { kind: 'hybrid', params: HYBRID },
      ],
      { protocol: 'cold-items', seeds: [1], k: 5, itemFeatures: features, compare: ['ndcg', 'recallAll'] },
    );
    const by = Object.fromEntries(r.models.map((m) => [m.name, m.metrics]));
    for (const m of r.models) expect(m.error).toBeUndefined();
    // behaviour-only: cold items all score alike (chance among cold, nothing among all items)
    expect(by.pop!.recallAll.mean).toBe(0);
    expect(by.ials!.recall.mean).toBeLessThan(0.55);
    // content-aware: near perfect among cold items, and cold items do reach a top 5 among all items
    expect(by.content!.recall.mean).toBeGreaterThan(by.pop!.recall.mean + 0.2);
    expect(by.hybrid!.recall.mean).toBeGreaterThan(by.ials!.recall.mean + 0.2);
    // calibration: a cold item's chance of a top 5 among all items is at least half its chance among cold items
    expect(by.hybrid!.recallAll.mean).toBeGreaterThan(0.5 * by.hybrid!.recall.mean);
    expect(by.hybrid!.recallAll.mean).toBeGreaterThan(by.content!.recallAll.mean);
    expect(by.hybrid!.recallAll.mean).toBeLessThanOrEqual(by.hybrid!.recall.mean + 1e-9);
    expect(r.comparisons.map((c) => c.metric)).toContain('recallAll');
  });

  it('train-select passes content to the hybrid, reports per-stage progress, and scores event-less items', async () => {
    const { data, features } = grouped();
    const stages: TrainStage[] = [];
    const res = await trainAndSelect(data, ['hybrid'], {
      k: 5,
      params: { hybrid: HYBRID },
      itemFeatures: features,
      onStage: (s) => stages.push(s),
    });
    expect(res.errors).toEqual([]);
    const done = stages.filter((s) => s.seconds !== undefined && s.epoch === undefined).map((s) => s.stage);
    expect(done).toEqual(['validate-fit', 'validate', 'refit', 'save']);
    expect(stages.some((s) => s.stage === 'refit' && s.epoch !== undefined)).toBe(true);
    // i60, i61 have content but no events: the saved model knows them and ranks them by content
    const m = loadRecommender(res.artifacts[0]!.bytes);
    expect(m.data.items.has('i60')).toBe(true);
    const even = m.recommend('u0', 60).map((s) => s.item);
    expect(even.indexOf('i60')).toBeLessThan(even.indexOf('i61'));
  });
});

describe('public-set content parsers', () => {
  it('MovieLens csv (quoted titles, genres, tags), 100K u.item, Last.fm artists', () => {
    const ml = parseMovieLensContent(
      'movieId,title,genres\n1,"American President, The (1995)",Comedy|Drama|Romance\n2,Heat (1995),(no genres listed)\n',
      'userId,movieId,tag,timestamp\n5,1,politics,1\n',
    );
    expect(ml[0]).toEqual({
      id: '1',
      tokens: ['American President, The ', 'decade1990', 'genre-Comedy', 'genre-Drama', 'genre-Romance', 'politics'],
    });
    expect(ml[1]!.tokens).toEqual(['Heat ', 'decade1990']);
    expect(() => parseMovieLensContent('movieId,title,genres\n\n7\n')).toThrowError(/line 2/);
    const k = parseMovieLens100kContent('1|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n');
    expect(k[0]!.tokens).toEqual(['Toy Story ', 'decade1990', 'genre-animation', 'genre-children', 'genre-comedy']);
    expect(parseLastfmContent('id\tname\turl\tpic\n1\tMALICE MIZER\tu\tp\n')).toEqual([
      { id: '1', tokens: ['MALICE MIZER'] },
    ]);
  });
});
