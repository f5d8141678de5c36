import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { type DemoEvent, userEvents } from './events.js';
import { TRAITS } from './family.js';
import { type CatalogEntry, tableCatalog } from './item-table.js';
import { makeUser, type UserTaste } from './tastes.js';

// A synthetic catalogue (no meshes): 2000 items over 14 families with random traits and Pareto popularity.
const F = 14;
const rng = new Rng(99);
const entries: CatalogEntry[] = Array.from({ length: 2000 }, (_, i) => ({
  id: `i${i}`,
  family: i % F,
  traits: rng.int(1 << TRAITS.length),
  createdAt: Date.UTC(2024, 6, 1),
  popularity: Math.min(500, (1 - rng.next()) ** (-1 / 1.05)), // as planCatalog
}));
const catalog = tableCatalog(entries, F);
const users: UserTaste[] = Array.from({ length: 1500 }, (_, u) => makeUser(u, { seed: 5, families: F }));
const events: DemoEvent[][] = users.map((u, i) => userEvents(u, catalog, 5, i));
const index = new Map(entries.map((e, i) => [e.id, i]));

function topShare(counts: number[], share: number): number {
  const v = [...counts].sort((a, b) => b - a);
  const k = Math.ceil(v.length * share);
  return v.slice(0, k).reduce((s, x) => s + x, 0) / v.reduce((s, x) => s + x, 0);
}

describe('demo event model', () => {
  it('is deterministic per user and independent of the other users', () => {
    expect(userEvents(users[7]!, catalog, 5, 7)).toEqual(events[7]);
    expect(userEvents(users[7]!, catalog, 6, 7)).not.toEqual(events[7]);
  });

  it("recovers each active user's favourite family as their most-weighted family", () => {
    let hits = 0;
    let n = 0;
    users.forEach((u, i) => {
      const w = new Float64Array(F);
      for (const e of events[i]!) w[entries[index.get(e.item)!]!.family]! += e.weight;
      if (w.reduce((s, x) => s + x, 0) < 20) return;
      n++;
      if (w.indexOf(Math.max(...w)) === u.families.indexOf(Math.max(...u.families))) hits++;
    });
    expect(n).toBeGreaterThan(300);
    expect(hits / n).toBeGreaterThan(0.8);
  });

  it('shows trait tastes: liked traits are viewed more, disliked ones less, than chance within the family', () => {
    // Chance = the popularity-weighted share of the trait in the family the view came from.
    const share = (t: number, f: number) => {
      let all = 0;
      let withT = 0;
      for (const e of entries) {
        if (e.family !== f) continue;
        all += e.popularity;
        if (e.traits & (1 << t)) withT += e.popularity;
      }
      return withT / all;
    };
    for (let t = 0; t < TRAITS.length; t++) {
      const chance = Array.from({ length: F }, (_, f) => share(t, f));
      const lift = (sign: number) => {
        let sum = 0;
        let n = 0;
        users.forEach((u, i) => {
          if (u.traits[t]! * sign < 0.6) return;
          for (const e of events[i]!) {
            if (e.type !== 'view') continue;
            const item = entries[index.get(e.item)!]!;
            sum += (item.traits & (1 << t) ? 1 : 0) - chance[item.family]!;
            n++;
          }
        });
        return sum / n;
      };
      expect(lift(1), `${TRAITS[t]} liked`).toBeGreaterThan(0.05);
      expect(lift(-1), `${TRAITS[t]} disliked`).toBeLessThan(-0.05);
    }
  });

  it('has power-law user activity and item popularity, and a narrowing funnel', () => {
    const perUser = events.map((list) => list.length);
    const perItem = new Array<number>(entries.length).fill(0);
    const types: Record<string, number> = {};
    for (const list of events) {
      for (const e of list) {
        perItem[index.get(e.item)!]!++;
        types[e.type] = (types[e.type] ?? 0) + 1;
      }
    }
    expect(topShare(perUser, 0.1)).toBeGreaterThan(0.35);
    expect(topShare(perItem, 0.1)).toBeGreaterThan(0.35);
    expect(types.view!).toBeGreaterThan(types.like!);
    expect(types.like!).toBeGreaterThan(types.make!);
    expect(types.download!).toBeGreaterThan(types.make!);
    expect(types.collect!).toBeGreaterThan(0);
  });

  it("funnels better-matching items further: makes go to the users' favourite families", () => {
    let fav = 0;
    let all = 0;
    users.forEach((u, i) => {
      const top = u.families.indexOf(Math.max(...u.families));
      for (const e of events[i]!) {
        if (e.type !== 'make') continue;
        all++;
        if (entries[index.get(e.item)!]!.family === top) fav++;
      }
    });
    const views = events.flat().filter((e) => e.type === 'view').length;
    let favViews = 0;
    users.forEach((u, i) => {
      const top = u.families.indexOf(Math.max(...u.families));
      for (const e of events[i]!) if (e.type === 'view' && entries[index.get(e.item)!]!.family === top) favViews++;
    });
    expect(fav / all).toBeGreaterThan(favViews / views);
  });
});

describe('demoInteractions (in memory, no meshes)', () => {
  it('gives events whose top family matches the ground truth, fast and deterministically', async () => {
    const { demoInteractions } = await import('./interactions.js');
    const t0 = Date.now();
    const d = demoInteractions({ items: 1000, users: 800, seed: 1 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(d.items).toHaveLength(1000);
    expect(d.users).toHaveLength(800);
    expect(demoInteractions({ items: 1000, users: 800, seed: 1 }).events).toEqual(d.events);
    const fam = new Map(d.items.map((it) => [it.id, d.families.indexOf(it.family)]));
    let hits = 0;
    let n = 0;
    d.users.forEach((u) => {
      const w = new Float64Array(d.families.length);
      for (const e of d.events) if (e.user === u.id) w[fam.get(e.item)!]! += e.weight;
      if (w.reduce((s, x) => s + x, 0) < 20) return;
      n++;
      if (w.indexOf(Math.max(...w)) === u.families.indexOf(Math.max(...u.families))) hits++;
    });
    expect(n).toBeGreaterThan(150);
    expect(hits / n).toBeGreaterThan(0.8);
  });
});
