/**
 * New items scored at once, on the demo library's ground truth: 14 items (one per family) are withheld from
 * training with all their events, the hybrid is fitted on the rest with listing content (family and trait tags),
 * then the 14 arrive as uploads (`addItems`, no retrain). Each must reach the top 10 of users whose ground-truth top
 * family is its family, and (almost) never the top 10 of users who hardly browse that family.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_WEIGHTS } from '../io/events-row.js';
import { buildItemFeatures, type ItemContent } from '../models/content.js';
import { Hybrid } from '../models/hybrid.js';
import { Interactions } from '../models/interactions.js';
import { demoInteractions } from './index.js';

describe('new items without retrain (demo ground truth)', () => {
  it('reach the top 10 of users whose tastes match, not of the others', async () => {
    const demo = demoInteractions({ items: 600, users: 800, seed: 3 });
    const fresh = new Map<string, string>(); // id → family: the first item of each family after the first 100
    for (const it of demo.items.slice(100)) if (![...fresh.values()].includes(it.family)) fresh.set(it.id, it.family);
    expect(fresh.size).toBe(demo.families.length);
    const events = demo.events.filter((e) => !fresh.has(e.item));
    const data = Interactions.fromEvents(events, { eventWeights: DEFAULT_EVENT_WEIGHTS, transform: 'log1p' }).data;
    const content: ItemContent[] = demo.items.map((it) => ({ id: it.id, tokens: [it.family, ...it.traits] }));
    const known = buildItemFeatures(
      content.filter((c) => !fresh.has(c.id)),
      { tokenBuckets: 64 },
    );
    const m = new Hybrid({ factors: 32, epochs: 8, towerEpochs: 40, towerHidden: 64 });
    await m.fit(data, { seed: 1, itemFeatures: known });
    const uploads = buildItemFeatures(
      content.filter((c) => fresh.has(c.id)),
      { tokenBuckets: 64 },
    );
    expect(m.addItems(uploads)).toEqual({ added: fresh.size, updated: 0 });
    let match = 0;
    let matchHits = 0;
    let other = 0;
    let otherHits = 0;
    const reachedBy = new Map<string, number>();
    const tops = new Map(demo.users.filter((u) => data.users.has(u.id)).map((u) => [u, m.recommend(u.id, 10)]));
    for (const [id, family] of fresh) {
      const f = demo.families.indexOf(family);
      for (const [u, top] of tops) {
        const hit = top.some((s) => s.item === id);
        if (u.families.indexOf(Math.max(...u.families)) === f) {
          match++;
          if (hit) {
            matchHits++;
            reachedBy.set(id, (reachedBy.get(id) ?? 0) + 1);
          }
        } else if (u.families[f]! < 0.02) {
          other++;
          if (hit) otherHits++;
        }
      }
    }
    // an average item of a family is in ~10 of its ~43 siblings' top 10: about a quarter of matching users
    expect(matchHits / match).toBeGreaterThan(0.1);
    expect(otherHits / other).toBeLessThan(0.01);
    expect(matchHits / match).toBeGreaterThan(20 * (otherHits / other));
    for (const id of fresh.keys()) expect(reachedBy.get(id) ?? 0).toBeGreaterThan(0);
  });
});
