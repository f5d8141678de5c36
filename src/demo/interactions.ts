/**
 * Demo interactions in memory, without meshes or files: the closed-form catalogue of scale mode plus the same
 * synthetic users and event model as `layerwise demo`. For model tests that need ground-truth tastes fast (a few
 * thousand users in well under a second); the ground truth is returned alongside the events.
 */
import type { DemoEvent } from './events.js';
import { userEvents } from './events.js';
import { FAMILIES } from './families/index.js';
import { TRAITS, type Trait } from './family.js';
import { scaleCatalog } from './scale.js';
import { makeUser, type UserTaste } from './tastes.js';

export interface DemoInteractions {
  /** Item ids (`s0000000`, …) with their family id and traits. */
  items: { id: string; family: string; traits: Trait[] }[];
  /** Family ids, indexed like `UserTaste.families`. */
  families: string[];
  users: UserTaste[];
  /** All events, sorted by time. */
  events: DemoEvent[];
}

export function demoInteractions(o: { items: number; users: number; seed: number }): DemoInteractions {
  const catalog = scaleCatalog(o.items, o.seed);
  const F = FAMILIES.length;
  const maxViews = Math.max(4, Math.min(400, o.items >> 1));
  const users = Array.from({ length: o.users }, (_, u) => makeUser(u, { seed: o.seed, families: F, maxViews }));
  const events = users.flatMap((user, u) => userEvents(user, catalog, o.seed, u));
  events.sort((a, b) => a.timestamp - b.timestamp || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  const items = Array.from({ length: o.items }, (_, i) => {
    const bits = catalog.traits(i);
    return {
      id: catalog.id(i),
      family: FAMILIES[catalog.family(i)]!.id,
      traits: TRAITS.filter((_, b) => bits & (1 << b)),
    };
  });
  return { items, families: FAMILIES.map((f) => f.id), users, events };
}
