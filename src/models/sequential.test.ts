/**
 * Sequential recommenders (SASRec, Markov chain, item-kNN on the last item): the shared contract (non-structural:
 * the checkerboard has no order), and on synthetic "projects" — chains of items always printed in the same order —
 * next-item accuracy, order sensitivity, fold-in, explanations and save/load.
 */
import { describe, expect, it } from 'vitest';
import { runRecommenderContract } from '../../test/recommender-contract.js';
import { Rng } from '../core/rng.js';
import { Interactions } from './interactions.js';
import { LastItemKnn } from './last-item-knn.js';
import { MarkovChain } from './markov.js';
import type { Recommender } from './recommender.js';
import { loadRecommender } from './registry.js';
import { Sasrec, trainingWindows } from './sasrec.js';
import { dedupeKeepLast, isSequential, tieKey, userSequence } from './sequential.js';

const TINY = { dim: 16, blocks: 2, heads: 2, maxLen: 8, dropout: 0.1, epochs: 25, batchSize: 32, learningRate: 5e-3 };
const tinySasrec = (): Sasrec => new Sasrec(TINY);

runRecommenderContract({ kind: 'markov', create: () => new MarkovChain(), structural: false });
runRecommenderContract({ kind: 'lastknn', create: () => new LastItemKnn(), structural: false });
runRecommenderContract({
  kind: 'sasrec',
  create: () => new Sasrec({ dim: 8, blocks: 1, maxLen: 6, epochs: 2, batchSize: 8 }),
  structural: false,
});

const CHAINS = 12;
const STEPS = 4;
const item = (c: number, s: number): string => `c${c}s${s}`;

/** 240 users, each printing two to five random projects, every project's parts in order. */
function projects(): Interactions {
  const rng = new Rng(3);
  const events = [];
  for (let u = 0; u < 240; u++) {
    const chosen = rng.shuffle(Array.from({ length: CHAINS }, (_, c) => c)).slice(0, 2 + rng.int(4));
    let t = 0;
    for (const c of chosen)
      for (let s = 0; s < STEPS; s++) events.push({ user: `u${u}`, item: item(c, s), timestamp: t++ });
  }
  return Interactions.fromEvents(events).data;
}

describe('sequences', () => {
  it('orders a user by time, ties by a hash of the ids; repeats keep their latest place', () => {
    const d = Interactions.fromEvents([
      { user: 'a', item: 'x', timestamp: 5 },
      { user: 'a', item: 'y', timestamp: 1 },
      { user: 'a', item: 'z', timestamp: 5 },
      { user: 'a', item: 'w', timestamp: 3 },
    ]).data;
    const tie = tieKey('a', 'x') < tieKey('a', 'z') ? ['x', 'z'] : ['z', 'x'];
    expect(Array.from(userSequence(d, 0), (i) => d.items.id(i))).toEqual(['y', 'w', ...tie]);
    expect(Array.from(dedupeKeepLast([1, 2, 1, 3, 2]))).toEqual([1, 3, 2]);
    const untimed = Interactions.fromEvents([
      { user: 'a', item: 'x' },
      { user: 'a', item: 'y' },
    ]).data;
    expect(() => userSequence(untimed, 0)).toThrowError(/timestamps/);
  });

  it('cuts training windows so every event after the first is one target', () => {
    const seqs = [Int32Array.from({ length: 11 }, (_, i) => i), Int32Array.of(7), Int32Array.of(1, 2)];
    const w = trainingWindows(seqs, 4);
    const targets = w.flatMap((x) => Array.from(x.seq.subarray(x.start + 1, x.end + 1)));
    expect(targets.sort((a, b) => a - b)).toEqual([1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const x of w) expect(x.end - x.start).toBeLessThanOrEqual(4);
  });
});

describe.each([
  ['markov', () => new MarkovChain({ alpha: 0.1 })],
  ['sasrec', tinySasrec],
] as [string, () => Recommender][])('%s on ordered projects', (_kind, create) => {
  const data = projects();
  let model: Recommender;
  const fitted = async (): Promise<Recommender> => {
    if (!model) {
      model = create();
      await model.fit(data, { seed: 1 });
    }
    return model;
  };

  it('predicts the next part of a project after the previous one', async () => {
    const m = await fitted();
    expect(isSequential(m)).toBe(true);
    let hits = 0;
    let total = 0;
    for (let c = 0; c < CHAINS; c++)
      for (let s = 0; s < STEPS - 1; s++) {
        const history = [0, 1, 2, 3, ...Array.from({ length: s + 1 }, (_, i) => 4 + i)].map((x) => ({
          item: x < 4 ? item((c + 5) % CHAINS, x) : item(c, x - 4),
        }));
        total++;
        if (m.recommendForHistory(history, 1)[0]?.item === item(c, s + 1)) hits++;
      }
    expect(hits / total).toBeGreaterThanOrEqual(0.9);
  }, 30_000);

  it('the order of the history changes the recommendation', async () => {
    const m = await fitted();
    // the same three events in two orders: the project printed last is the one continued
    const a = [item(1, 0), item(1, 1), item(4, 0)].map((i) => ({ item: i }));
    const b = [item(4, 0), item(1, 0), item(1, 1)].map((i) => ({ item: i }));
    expect(m.recommendForHistory(a, 1)[0]!.item).toBe(item(4, 1));
    expect(m.recommendForHistory(b, 1)[0]!.item).toBe(item(1, 2));
  });

  it('explains a next part by the event just printed', async () => {
    const m = await fitted();
    const history = [item(7, 3), item(2, 0), item(2, 1)].map((i) => ({ item: i }));
    const ev = m.explainForHistory(history, item(2, 2), 3);
    expect(ev.basis).toBe('items');
    expect(ev.contributions[0]!.item).toMatch(/^c2s/);
    expect(ev.contributions[0]!.weight).toBeGreaterThan(0);
  });

  it('explains several next items at once exactly as one at a time (serving explains a page in one call)', async () => {
    const m = await fitted();
    if (!isSequential(m)) throw new Error('not sequential');
    const history = [item(7, 3), item(2, 0), item(2, 1)];
    const seq = m.sequenceOf(history.map((i) => ({ item: i })));
    const targets = [item(2, 2), item(7, 0), item(5, 1)].map((i) => m.data.items.index(i)!);
    const batch = m.explainNext(seq, targets);
    targets.forEach((t, j) => {
      const one = m.explainForHistory(
        history.map((i) => ({ item: i })),
        m.data.items.id(t),
        20,
      );
      expect(batch[j]!.score).toBeCloseTo(one.score, 5);
      const byId = new Map(one.contributions.map((c) => [c.item, c.weight]));
      for (const p of batch[j]!.parts) expect(p.weight).toBeCloseTo(byId.get(m.data.items.id(p.index)) ?? 0, 5);
    });
  });

  it('save → load scores identically', async () => {
    const m = await fitted();
    const back = loadRecommender(m.save());
    const h = [{ item: item(3, 0) }, { item: item(3, 1) }];
    expect(back.recommendForHistory(h, 5)).toEqual(m.recommendForHistory(h, 5));
    expect(back.recommend('u7', 5)).toEqual(m.recommend('u7', 5));
  });
});

describe('sasrec with sampled softmax', () => {
  it('learns the projects from the batch targets plus a few uniform negatives', async () => {
    const m = new Sasrec({ ...TINY, negatives: 8 });
    await m.fit(projects(), { seed: 2 });
    let hits = 0;
    for (let c = 0; c < CHAINS; c++) {
      const history = [item((c + 3) % CHAINS, 0), item(c, 0), item(c, 1)].map((i) => ({ item: i }));
      if (m.recommendForHistory(history, 1)[0]?.item === item(c, 2)) hits++;
    }
    expect(hits / CHAINS).toBeGreaterThanOrEqual(0.75);
  }, 30_000);
});

describe('sasrec parameters', () => {
  it('rejects bad shapes with the reason', () => {
    expect(() => new Sasrec({ dim: 10, heads: 3 })).toThrowError(/divisible/);
    expect(() => new Sasrec({ dropout: 1 })).toThrowError(/dropout/);
    expect(() => new Sasrec({ maxLen: 0 })).toThrowError(/maxLen/);
    expect(() => new Sasrec({ negatives: -1 })).toThrowError(/negatives/);
    expect(() => new Sasrec({ dimension: 3 })).toThrowError(/unknown option 'dimension'/);
  });
});
