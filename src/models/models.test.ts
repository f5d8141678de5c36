/** Runs the shared Recommender contract (test/recommender-contract.ts) on every shallow model. */
import { describe, expect, it } from 'vitest';
import { runRecommenderContract } from '../../test/recommender-contract.js';
import { Bpr } from './bpr.js';
import { Ease } from './ease.js';
import { P3Alpha, Rp3Beta } from './graph-walk.js';
import { Ials } from './ials.js';
import { ItemKnn } from './item-knn.js';
import { Popularity } from './popularity.js';
import { createModel } from './registry.js';
import { UserKnn } from './user-knn.js';

runRecommenderContract({ kind: 'pop', create: () => new Popularity(), structural: false });
runRecommenderContract({ kind: 'itemknn', create: () => new ItemKnn() });
runRecommenderContract({ kind: 'itemknn', create: () => new ItemKnn({ similarity: 'jaccard', neighbours: 12 }) });
runRecommenderContract({ kind: 'itemknn', create: () => new ItemKnn({ similarity: 'bm25' }) });
runRecommenderContract({ kind: 'userknn', create: () => new UserKnn({ neighbours: 5 }) });
runRecommenderContract({ kind: 'p3alpha', create: () => new P3Alpha() });
runRecommenderContract({ kind: 'rp3beta', create: () => new Rp3Beta() });
runRecommenderContract({ kind: 'ease', create: () => new Ease({ lambda: 10 }) });
runRecommenderContract({ kind: 'ials', create: () => new Ials({ factors: 8, reg: 0.1, alpha: 5, epochs: 10 }) });
runRecommenderContract({ kind: 'bpr', create: () => new Bpr({ factors: 8, epochs: 150 }) });

describe('model parameters', () => {
  it('rejects unknown keys and wrong types with what was received', () => {
    expect(() => createModel('ease', { lamda: 3 })).toThrowError(/unknown option 'lamda'; known: lambda/);
    expect(() => createModel('ials', { factors: '8' })).toThrowError(/must be a number/);
    expect(() => createModel('nope')).toThrowError(/unknown model 'nope'/);
  });
});
