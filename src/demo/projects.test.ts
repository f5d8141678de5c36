import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { type FollowedProject, userEvents } from './events.js';
import { FAMILIES } from './families/index.js';
import { TRAITS } from './family.js';
import { type CatalogEntry, tableCatalog } from './item-table.js';
import { closedFormProjects, ITEMS_PER_PROJECT, PROJECT_KINDS, tableProjects } from './projects.js';
import { makeUser } from './tastes.js';

const F = FAMILIES.length;
const familyOf = (id: string): number => FAMILIES.findIndex((f) => f.id === id);
const rng = new Rng(4);
const entries: (CatalogEntry & { rank?: number })[] = Array.from({ length: 1400 }, (_, i) => ({
  id: `i${i}`,
  family: i % F,
  traits: rng.int(1 << TRAITS.length),
  createdAt: Date.UTC(2024, 6, 1),
  popularity: Math.min(500, (1 - rng.next()) ** (-1 / 1.05)),
  ...(i % F === familyOf('chess-piece') ? { rank: rng.int(5) } : {}),
  ...(i >= 700 && i % 9 === 0 ? { remixOf: i - 700 } : {}),
}));

describe('tableProjects', () => {
  const pc = tableProjects(entries, 3);
  it('plans one project per 12 items, kinds in turn, steps in their families, each item in one project', () => {
    expect(pc.count).toBe(Math.ceil(entries.length / ITEMS_PER_PROJECT));
    const used = new Set<number>();
    for (let p = 0; p < pc.count; p++) {
      const kind = PROJECT_KINDS[pc.kind(p)]!;
      expect(kind).toBe(PROJECT_KINDS[p % PROJECT_KINDS.length]);
      expect(pc.id(p)).toBe(`${kind.kind}-${String(p).padStart(4, '0')}`);
      const items = pc.items(p);
      expect(items.map((i) => FAMILIES[entries[i]!.family]!.id)).toEqual(kind.steps);
      for (const i of items) {
        expect(used.has(i)).toBe(false);
        used.add(i);
      }
      if (kind.kind === 'chess-set') {
        const ranks = items.map((i) => entries[i]!.rank!);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      }
    }
  });

  it('draws projects that have a step in the family asked for', () => {
    const r = new Rng(1);
    for (let f = 0; f < F; f++) {
      for (let k = 0; k < 20; k++) {
        const p = pc.sample(f, r);
        expect(pc.items(p).some((i) => entries[i]!.family === f)).toBe(true);
      }
    }
  });
});

describe('closedFormProjects', () => {
  it('gives each project distinct items in the families of its kind', () => {
    const sizes = FAMILIES.map(() => 70);
    const pc = closedFormProjects(sizes, 9);
    expect(pc.count).toBe(Math.ceil((70 * F) / ITEMS_PER_PROJECT));
    for (let p = 0; p < pc.count; p++) {
      const items = pc.items(p);
      expect(new Set(items).size).toBe(items.length);
      expect(items.map((i) => FAMILIES[i % F]!.id)).toEqual(PROJECT_KINDS[pc.kind(p)]!.steps);
      for (const i of items) expect(Math.floor(i / F)).toBeLessThan(70);
    }
  });
});

describe('ordered events', () => {
  const catalog = tableCatalog(entries, F, tableProjects(entries, 3));
  const users = Array.from({ length: 800 }, (_, u) => makeUser(u, { seed: 2, families: F }));
  const followed: FollowedProject[][] = users.map(() => []);
  const events = users.map((u, i) => userEvents(u, catalog, 2, i, followed[i]));

  it('has users follow projects step by step, often with something else looked at in between', () => {
    let pairs = 0;
    let adjacent = 0;
    for (const [u, list] of events.entries()) {
      // the user's items in the order of their latest event, as a sequential model reads them
      const latest = new Map<string, number>();
      for (const e of list) latest.set(e.item, e.timestamp);
      const sequence = [...latest.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
      for (const f of followed[u]!) {
        for (let s = 1; s < f.items.length; s++) {
          pairs++;
          const a = sequence.indexOf(f.items[s - 1]!);
          const b = sequence.indexOf(f.items[s]!);
          expect(b).toBeGreaterThan(a);
          if (b === a + 1) adjacent++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(500);
    // the previous step is often not the last thing looked at: order needs more than the last item
    expect(adjacent / pairs).toBeGreaterThan(0.2);
    expect(adjacent / pairs).toBeLessThan(0.8);
  });

  it('shows originals before their remixes more often than after', () => {
    let before = 0;
    let after = 0;
    for (const list of events) {
      const first = new Map<string, number>();
      for (const e of list) if (!first.has(e.item)) first.set(e.item, e.timestamp);
      for (const [id, t] of first) {
        const o = entries[Number(id.slice(1))]!.remixOf;
        const to = o === undefined ? undefined : first.get(`i${o}`);
        if (to === undefined) continue;
        if (to < t) before++;
        else after++;
      }
    }
    expect(before).toBeGreaterThan(2 * after);
  });
});
