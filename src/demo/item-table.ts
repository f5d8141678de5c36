/** The event catalog over real generated items: per-family cumulative popularity tables, sampled by bisection. */
import type { Rng } from '../core/rng.js';
import type { EventCatalog } from './events.js';
import type { ProjectCatalog } from './projects.js';

export interface CatalogEntry {
  id: string;
  family: number;
  /** Trait bits (bit t = TRAITS[t]). */
  traits: number;
  createdAt: number;
  popularity: number;
  /** Index of the entry this one remixes. */
  remixOf?: number;
}

export function tableCatalog(
  entries: readonly CatalogEntry[],
  families: number,
  projects?: ProjectCatalog,
): EventCatalog {
  const members: number[][] = Array.from({ length: families }, () => []);
  entries.forEach((e, i) => {
    members[e.family]!.push(i);
  });
  const cumulative = members.map((list) => {
    const c = new Float64Array(list.length);
    let s = 0;
    list.forEach((i, j) => {
      s += entries[i]!.popularity;
      c[j] = s;
    });
    return c;
  });
  return {
    families,
    sample(family: number, rng: Rng): number {
      const c = cumulative[family]!;
      if (c.length === 0) return -1;
      const r = rng.next() * c[c.length - 1]!;
      let lo = 0;
      let hi = c.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return members[family]![lo]!;
    },
    family: (i) => entries[i]!.family,
    traits: (i) => entries[i]!.traits,
    remixOf: (i) => entries[i]!.remixOf ?? -1,
    ...(projects ? { projects } : {}),
    createdAt: (i) => entries[i]!.createdAt,
    id: (i) => entries[i]!.id,
  };
}
