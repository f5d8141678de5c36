/** Sampled validation: a seeded uniform sample of users whose mean lies within its bootstrap CI of the full mean. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Interactions } from '../models/interactions.js';
import { createModel } from '../models/registry.js';
import { evaluate, sampleUsers } from './evaluate.js';
import { makeSplit } from './splits.js';
import { bootstrapCi } from './stats.js';
import { trainAndSelect } from './train-select.js';

function synthetic(nUsers: number, seed: number): Interactions {
  const rng = new Rng(seed);
  const events = [];
  for (let u = 0; u < nUsers; u++) {
    const taste = rng.int(5);
    for (let j = 0; j < 12; j++) {
      const item = rng.next() < 0.7 ? taste * 40 + rng.int(40) : rng.int(200);
      events.push({ user: `u${u}`, item: `i${item}`, value: 1 });
    }
  }
  return Interactions.fromEvents(events, { values: 'value', combine: 'max' }).data;
}

describe('sampled validation', () => {
  it('draws n distinct users, sorted, deterministically per seed', () => {
    const all = Array.from({ length: 1000 }, (_, i) => i * 2);
    const a = sampleUsers(all, 100, 7);
    expect(a).toHaveLength(100);
    expect(new Set(a).size).toBe(100);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(a.every((u) => u % 2 === 0)).toBe(true);
    expect(sampleUsers(all, 100, 7)).toEqual(a);
    expect(sampleUsers(all, 100, 8)).not.toEqual(a);
    expect(sampleUsers(all, 5000, 1)).toBe(all);
  });

  it('a sample of users estimates the full NDCG within its 95% bootstrap interval', async () => {
    const data = synthetic(3000, 3);
    const split = makeSplit('random', data, 1);
    const model = createModel('itemknn', {});
    await model.fit(split.train, { seed: 1 });
    const full = evaluate(model, split, { k: 10, auc: false });
    const part = evaluate(model, split, { k: 10, auc: false, sampleUsers: 800, sampleSeed: 5 });
    expect(part.users.length).toBe(800);
    const ci = bootstrapCi(part.perUser.ndcg, { seed: 1 });
    expect(full.means.ndcg).toBeGreaterThan(ci.lo);
    expect(full.means.ndcg).toBeLessThan(ci.hi);
    expect(ci.hi - ci.lo).toBeLessThan(0.1);
    const r = await trainAndSelect(data, ['pop'], { validationUsers: 500 });
    expect(r.artifacts[0]!.metrics).toMatchObject({ validationUsers: 500 });
    expect(r.artifacts[0]!.metrics.ndcgCiLo).toBeLessThan(r.artifacts[0]!.metrics.ndcg!);
  });
});
