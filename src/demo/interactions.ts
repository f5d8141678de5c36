/**
 * Demo interactions in memory, without meshes or files: the closed-form catalogue of scale mode plus the same
 * synthetic users and event model as `layerwise demo`. For model tests that need ground-truth tastes fast (a few
 * thousand users in well under a second); the ground truth (tastes, projects and who followed them) is returned
 * alongside the events.
 */
import type { DemoEvent, FollowedProject } from './events.js';
import { userEvents } from './events.js';
import { FAMILIES } from './families/index.js';
import { TRAITS, type Trait } from './family.js';
import { PROJECT_KINDS } from './projects.js';
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
  /** The catalogue's projects (src/demo/projects.ts): ordered item ids. */
  projects: { id: string; kind: string; items: string[] }[];
  /** Per user (indexed like `users`), the projects they followed (in the order started) and the items printed. */
  followed: FollowedProject[][];
}

export function demoInteractions(o: { items: number; users: number; seed: number }): DemoInteractions {
  const catalog = scaleCatalog(o.items, o.seed);
  const F = FAMILIES.length;
  const maxViews = Math.max(4, Math.min(400, o.items >> 1));
  const users = Array.from({ length: o.users }, (_, u) => makeUser(u, { seed: o.seed, families: F, maxViews }));
  const followed: FollowedProject[][] = users.map(() => []);
  const events = users.flatMap((user, u) => userEvents(user, catalog, o.seed, u, followed[u]));
  events.sort((a, b) => a.timestamp - b.timestamp || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  const items = Array.from({ length: o.items }, (_, i) => {
    const bits = catalog.traits(i);
    return {
      id: catalog.id(i),
      family: FAMILIES[catalog.family(i)]!.id,
      traits: TRAITS.filter((_, b) => bits & (1 << b)),
    };
  });
  const pc = catalog.projects;
  const projects = Array.from({ length: pc?.count ?? 0 }, (_, p) => ({
    id: pc!.id(p),
    kind: PROJECT_KINDS[pc!.kind(p)]!.kind,
    items: pc!.items(p).map((i) => catalog.id(i)),
  })).filter((p) => p.items.length > 0);
  return { items, families: FAMILIES.map((f) => f.id), users, events, projects, followed };
}
