/**
 * Order in the demo library: projects — short, ordered lists of items that makers print one after the other (a
 * printer part, then its companion parts; a chess set piece by piece; a box, then a label for its lid, then a hook
 * to hang it). A user who starts a project prints its parts in order, days apart, browsing other things in between,
 * so what comes next depends on the project they are in, not only on the last thing they looked at. Remixes follow
 * their originals in the event model itself (events.ts). Projects are recorded in the ground truth.
 *
 * Two implementations of `ProjectCatalog`: `tableProjects` over real generated items (each item in at most one
 * project while a family has unused items; chess sets ordered pawn → king) and `closedFormProjects` for the
 * metadata-only scale catalogue (a project's items are a hash of its index; nothing per project is stored).
 */
import { Rng } from '../core/rng.js';
import { streamSeed } from './catalog.js';
import { FAMILIES } from './families/index.js';

export interface ProjectKind {
  /** kebab-case id; project ids are `<kind>-<number>`. */
  kind: string;
  /** Family ids of the steps, in the order they are printed. */
  steps: readonly string[];
  /** What the project is, for people. */
  description: string;
}

export const PROJECT_KINDS: readonly ProjectKind[] = [
  {
    kind: 'printer-upgrade',
    steps: ['bracket', 'gear', 'cable-clip', 'hook'],
    description: 'a printer part, then its companion parts: the mount, the gear, clips for the cable, a spool hook',
  },
  { kind: 'chess-set', steps: Array(5).fill('chess-piece'), description: 'a chess set, piece by piece (pawn → king)' },
  {
    kind: 'storage',
    steps: ['box-with-lid', 'name-plate', 'hook'],
    description: 'a box (its lid printed with it), then a label for the lid, then a hook to hang it',
  },
  {
    kind: 'desk-set',
    steps: ['pen-holder', 'phone-stand', 'cable-clip', 'coaster'],
    description: 'a desk set collected in order',
  },
  { kind: 'game-night', steps: ['dice', 'dice', 'box-with-lid'], description: 'a pair of dice, then a box for them' },
  { kind: 'keyboard', steps: Array(4).fill('keycap'), description: 'a keycap set, one cap after another' },
  {
    kind: 'plant-corner',
    steps: ['planter', 'coaster', 'vase'],
    description: 'a planter, its saucer, a vase beside it',
  },
];

/** Family index (into FAMILIES) of each step of each kind. */
const KIND_FAMILIES = PROJECT_KINDS.map((k) => k.steps.map((id) => FAMILIES.findIndex((f) => f.id === id)));

/** One project a year of catalogue per this many items. */
export const ITEMS_PER_PROJECT = 12;

/** Ordered projects over a catalogue, as the event model sees them. */
export interface ProjectCatalog {
  readonly count: number;
  /** Draws a project with a step in `family` (popular projects more often); -1 when there is none. */
  sample(family: number, rng: Rng): number;
  /** Item indices of project p, in the order they are printed. */
  items(p: number): readonly number[];
  /** Index into PROJECT_KINDS. */
  kind(p: number): number;
  /** e.g. `chess-set-0003`. */
  id(p: number): string;
}

export function projectId(kind: number, p: number): string {
  return `${PROJECT_KINDS[kind]!.kind}-${String(p).padStart(4, '0')}`;
}

/** Kinds with a step in each family. */
const KINDS_BY_FAMILY: number[][] = FAMILIES.map((_, f) =>
  KIND_FAMILIES.flatMap((fams, k) => (fams.includes(f) ? [k] : [])),
);

export interface ProjectEntry {
  family: number;
  popularity: number;
  /** Place within a set where one is natural (chess: pawn 0 … king 4); sorts repeated-family steps. */
  rank?: number;
}

const CHESS_ORDER = ['pawn', 'rook', 'bishop', 'queen', 'king'];

/** The place of an item within a set, where its family has one (chess pieces: pawn … king). */
export function setRank(family: string, params: Readonly<Record<string, number | string>>): { rank?: number } {
  if (family !== 'chess-piece') return {};
  const r = CHESS_ORDER.indexOf(String(params.piece));
  return r >= 0 ? { rank: r } : {};
}

/** Projects over real items: `ceil(n / ITEMS_PER_PROJECT)` projects, kinds in turn, items drawn by popularity. */
export function tableProjects(entries: readonly ProjectEntry[], seed: number): ProjectCatalog {
  const rng = new Rng(streamSeed(seed, 'projects'));
  const free: number[][] = FAMILIES.map(() => []);
  const all: number[][] = FAMILIES.map(() => []);
  entries.forEach((e, i) => {
    free[e.family]?.push(i);
    all[e.family]?.push(i);
  });
  const draw = (f: number): number => {
    const pool = free[f]!.length > 0 ? free[f]! : all[f]!;
    if (pool.length === 0) return -1;
    const j = rng.weighted(pool.map((i) => entries[i]!.popularity));
    const item = pool[j]!;
    if (pool === free[f]) pool.splice(j, 1);
    return item;
  };
  const list: { kind: number; items: number[]; weight: number }[] = [];
  const n = Math.ceil(entries.length / ITEMS_PER_PROJECT);
  for (let p = 0; p < n; p++) {
    const kind = p % PROJECT_KINDS.length;
    const items: number[] = [];
    for (const f of KIND_FAMILIES[kind]!) {
      const item = f < 0 ? -1 : draw(f);
      if (item >= 0 && !items.includes(item)) items.push(item);
    }
    // repeated-family steps (a set) in their natural order when the items carry one
    const fam = KIND_FAMILIES[kind]!;
    if (fam.every((f) => f === fam[0]) && items.every((i) => entries[i]!.rank !== undefined))
      items.sort((a, b) => entries[a]!.rank! - entries[b]!.rank!);
    if (items.length >= 2) list.push({ kind, items, weight: entries[items[0]!]!.popularity });
  }
  const byFamily: number[][] = FAMILIES.map(() => []);
  list.forEach((pr, p) => {
    for (const f of new Set(pr.items.map((i) => entries[i]!.family))) byFamily[f]!.push(p);
  });
  return {
    count: list.length,
    sample(family, r) {
      const ps = byFamily[family];
      if (!ps || ps.length === 0) return -1;
      return ps[r.weighted(ps.map((p) => list[p]!.weight))]!;
    },
    items: (p) => list[p]!.items,
    kind: (p) => list[p]!.kind,
    id: (p) => projectId(list[p]!.kind, p),
  };
}

/** A uniform number in [0, 1) from (seed, salt, i): stateless. */
function unit(seed: number, salt: number, i: number): number {
  let h = Math.imul(seed ^ 0x27d4eb2f, 0x85ebca6b) ^ Math.imul(salt + 7, 0xc2b2ae35) ^ i;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Projects over a closed-form catalogue whose family f holds `sizes[f]` items, item = local · F + f: project p is of
 * kind p mod K and its step in family f takes a hashed local index (steps of one family spaced apart, so a set has
 * distinct items). Items may belong to several projects. Popular projects (small p / K) are drawn more often.
 */
export function closedFormProjects(sizes: readonly number[], seed: number): ProjectCatalog {
  const F = FAMILIES.length;
  const K = PROJECT_KINDS.length;
  const total = sizes.reduce((s, m) => s + m, 0);
  const n = Math.ceil(total / ITEMS_PER_PROJECT);
  const usable = KIND_FAMILIES.map((fams) => fams.every((f) => f >= 0 && sizes[f]! >= fams.length));
  const perKind = (k: number): number => (usable[k] ? Math.floor((n - 1 - k) / K) + 1 : 0);
  return {
    count: n,
    sample(family, r) {
      const kinds = (KINDS_BY_FAMILY[family] ?? []).filter((k) => perKind(k) > 0);
      if (kinds.length === 0) return -1;
      const k = kinds[Math.floor(r.next() * kinds.length)]!;
      return Math.floor(perKind(k) * r.next() ** 3) * K + k;
    },
    items(p) {
      const fams = KIND_FAMILIES[p % K]!;
      if (!usable[p % K]) return [];
      return fams.map((f, s) => {
        const m = sizes[f]!;
        const o = fams.slice(0, s).filter((g) => g === f).length;
        const local = (Math.floor(unit(seed, f, p) * m) + o * Math.max(1, Math.floor(m / fams.length))) % m;
        return local * F + f;
      });
    },
    kind: (p) => p % K,
    id: (p) => projectId(p % K, p),
  };
}
