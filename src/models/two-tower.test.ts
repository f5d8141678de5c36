/**
 * Two-tower: the contract suite (ids only, and with parity as content), learning on a generated library with taste
 * groups (beats popularity on held-out events; a cold item whose content matches a user's group outranks one that
 * does not, and sits among the user's own group in the ranking of every unseen item), uploads scored by content after save → load exactly as before, and fold-in of a new user.
 */
import { describe, expect, it } from 'vitest';
import { runRecommenderContract } from '../../test/recommender-contract.js';
import { Rng } from '../core/rng.js';
import { evaluate } from '../eval/evaluate.js';
import { makeSplit } from '../eval/splits.js';
import { Interactions } from './interactions.js';
import { Popularity } from './popularity.js';
import type { ItemFeatures } from './recommender.js';
import { loadRecommender } from './registry.js';
import { TwoTower } from './two-tower.js';

const SMALL = { dim: 16, hidden: 32, epochs: 40, batchSize: 32, negatives: 8, learningRate: 0.01, eventsPerUser: 2 };

/** Content of checkerboard items i<k>: parity one-hot + a tag. */
function parityFeatures(ks: number[]): ItemFeatures {
  const values = new Float32Array(ks.length * 3);
  for (const [r, i] of ks.entries()) values.set([i % 2 === 0 ? 1 : 0, i % 2 === 1 ? 1 : 0, (i % 5) / 5], r * 3);
  return { dim: 3, ids: ks.map((i) => `i${i}`), values };
}

runRecommenderContract({ kind: 'twotower', create: () => new TwoTower(SMALL) });
runRecommenderContract({
  kind: 'twotower',
  create: () => new TwoTower(SMALL),
  fitOptions: (n) => ({ itemFeatures: parityFeatures(Array.from({ length: n }, (_, i) => i)) }),
});

const GROUPS = 4;
const PER_GROUP = 30;

/** Content of item `g<group>-<k>`: a noisy one-hot of its group over 8 columns (4 group + 4 noise). */
function groupFeatures(ids: string[], rng: Rng): ItemFeatures {
  const values = new Float32Array(ids.length * 8);
  ids.forEach((id, r) => {
    const g = Number(id.slice(1, id.indexOf('-')));
    values[r * 8 + g] = 1;
    for (let k = 4; k < 8; k++) values[r * 8 + k] = rng.next() * 0.5;
  });
  return { dim: 8, ids, values };
}

/**
 * 240 users in 4 taste groups × 120 items (30 per group, popularity falling with k): a user draws 12 items, 85 %
 * from their own group, item k of a group with weight 1/(k + 3). Items `g<group>-29` get no events (cold).
 */
function library(): { data: Interactions; features: ItemFeatures } {
  const rng = new Rng(5);
  const events: { user: string; item: string; timestamp: number }[] = [];
  const weights = Array.from({ length: PER_GROUP - 1 }, (_, k) => 1 / (k + 3));
  for (let u = 0; u < 240; u++) {
    const own = u % GROUPS;
    const seen = new Set<string>();
    while (seen.size < 12) {
      const g = rng.next() < 0.85 ? own : rng.int(GROUPS);
      seen.add(`g${g}-${rng.weighted(weights)}`);
    }
    for (const item of seen) events.push({ user: `u${u}`, item, timestamp: events.length });
  }
  // the cold items are rows of the features only: the model learns of them by addItems
  const data = Interactions.fromEvents(events).data;
  const ids = Array.from({ length: GROUPS * PER_GROUP }, (_, i) => `g${Math.floor(i / PER_GROUP)}-${i % PER_GROUP}`);
  return { data, features: groupFeatures(ids, new Rng(9)) };
}

describe('twotower learns', () => {
  it('beats popularity on held-out events of a library with taste groups', async () => {
    const { data, features } = library();
    const split = makeSplit('random', data, 1);
    const tt = new TwoTower({ epochs: 30, batchSize: 128, negatives: 64, dim: 32, hidden: 64 });
    const rep = await tt.fit(split.train, { seed: 1, itemFeatures: features });
    expect(rep.losses!.at(-1)!).toBeLessThan(rep.losses![0]!);
    const pop = new Popularity();
    await pop.fit(split.train);
    const a = evaluate(tt, split, { k: 10, auc: false }).means.ndcg;
    const b = evaluate(pop, split, { k: 10, auc: false }).means.ndcg;
    expect(a).toBeGreaterThan(1.3 * b);
  });

  it('ranks a cold item whose content matches the user above an unrelated cold item', async () => {
    const { data, features } = library();
    const m = new TwoTower({ epochs: 30, batchSize: 128, negatives: 64, dim: 32, hidden: 64 });
    await m.fit(data, { seed: 1, itemFeatures: features });
    expect(m.usesContent).toBe(true);
    // the cold items arrive as uploads: content only, no events
    const cold = Array.from({ length: GROUPS }, (_, g) => `g${g}-29`);
    const fi = features.ids.map((id, r) => [id, r] as const).filter(([id]) => cold.includes(id));
    const rows = new Float32Array(fi.length * 8);
    for (const [t, [, r]] of fi.entries()) rows.set(features.values.subarray(r * 8, r * 8 + 8), t * 8);
    expect(m.addItems({ dim: 8, ids: fi.map(([id]) => id), values: rows })).toEqual({ added: 4, updated: 0 });
    let wins = 0;
    let total = 0;
    const scores = new Float32Array(m.data.nItems);
    for (let u = 0; u < 240; u++) {
      m.scoreUser(u, scores);
      const own = u % GROUPS;
      const mine = scores[m.data.items.index(`g${own}-29`)!]!;
      for (let g = 0; g < GROUPS; g++) {
        if (g === own) continue;
        total++;
        if (mine > scores[m.data.items.index(`g${g}-29`)!]!) wins++;
      }
    }
    expect(wins / total).toBeGreaterThan(0.9);
    // among every unseen item (~108), the matching cold item sits with the user's own group (~19 unseen), the
    // unrelated ones below: content-only vectors share the scale of the others
    const rank = (u: number, id: string): number => {
      const recs = m.recommend(`u${u}`, m.data.nItems);
      return recs.findIndex((s) => s.item === id);
    };
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    const own = [];
    const other = [];
    for (let u = 0; u < 240; u += 3) {
      own.push(rank(u, `g${u % GROUPS}-29`));
      other.push(rank(u, `g${(u + 1) % GROUPS}-29`));
    }
    expect(median(own)).toBeLessThan(15);
    expect(median(other)).toBeGreaterThan(40);
  });

  it('saves the towers whole: a loaded model adds an upload and folds in a new user as the fitted one', async () => {
    const { data, features } = library();
    const m = new TwoTower({ epochs: 5, batchSize: 128, negatives: 64 });
    await m.fit(data, { seed: 2, itemFeatures: features });
    const back = loadRecommender(m.save()) as TwoTower;
    expect(back.usesContent).toBe(true);
    expect(back.featureBlocks).toEqual(m.featureBlocks);
    const upload = groupFeatures(['g2-new'], new Rng(3));
    for (const x of [m, back]) expect(x.addItems(upload)).toEqual({ added: 1, updated: 0 });
    const history = [{ item: 'g2-0' }, { item: 'g2-1', weight: 2 }, { item: 'g2-new' }];
    expect(back.recommendForHistory(history, 10)).toEqual(m.recommendForHistory(history, 10));
    expect(back.addItems(upload)).toEqual({ added: 0, updated: 1 });
    // released training data: serving needs only the item side
    expect(back.releaseTrainingData()).toBe(true);
    expect(back.recommendForHistory(history, 10)).toEqual(m.recommendForHistory(history, 10));
    expect(() => m.addItems({ dim: 3, ids: ['x'], values: new Float32Array(3) })).toThrowError(/trained on 8/);
    const plain = new TwoTower({ epochs: 1 });
    const rep = await plain.fit(data, { seed: 1 });
    expect(rep.warnings.join(' ')).toMatch(/no itemFeatures/);
    expect(() => plain.addItems(upload)).toThrowError(/fitted with itemFeatures/);
    expect(() => new TwoTower({ idDropout: 1 })).toThrowError(/idDropout/);
  });
});
