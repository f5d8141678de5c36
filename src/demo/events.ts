/**
 * The event model of the demo: a user browses families in proportion to their taste, comes across items in
 * proportion to popularity, keeps looking at those whose traits they like (rejection sampling), and each viewed item
 * runs a view → like → download → make funnel (plus collect) whose step probabilities grow with how well the item
 * matches the user's taste. One user's events are generated from that user's own random stream, so users can be
 * generated one at a time (streaming) or all at once with identical results.
 *
 * Order: where the catalogue has projects (projects.ts), some view slots start one instead — the user prints its
 * parts in order, each step's view coming after the previous step's last event (days apart, other browsing in
 * between), and stops early now and then. A remix a user comes across is often preceded by a look at its original.
 * These draws come from a second per-user stream, so plain browsing is the same with or without projects.
 */
import { Rng } from '../core/rng.js';
import { DEFAULT_EVENT_WEIGHTS } from '../io/events-row.js';
import { EPOCH_END, streamSeed } from './catalog.js';
import type { ProjectCatalog } from './projects.js';
import type { UserTaste } from './tastes.js';

export type DemoEventType = 'view' | 'like' | 'collect' | 'download' | 'make';

export interface DemoEvent {
  user: string;
  item: string;
  type: DemoEventType;
  /** ms since epoch. */
  timestamp: number;
  weight: number;
}

/** What the event model needs to know about the catalog (a table for real items, closed forms at scale). */
export interface EventCatalog {
  readonly families: number;
  /** Draws an item of `family` with probability proportional to its popularity; -1 when the family is empty. */
  sample(family: number, rng: Rng): number;
  /** Family (index into FAMILIES) of an item. */
  family(item: number): number;
  /** Trait bits of an item (bit t = TRAITS[t]). */
  traits(item: number): number;
  /** Publication time of an item, ms. */
  createdAt(item: number): number;
  id(item: number): string;
  /** Ordered projects over the items (absent: users only browse). */
  readonly projects?: ProjectCatalog;
  /** The item `item` remixes, or -1 (absent: no remix links). */
  remixOf?(item: number): number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const ATTEMPTS = 40;

function traitScore(user: UserTaste, bits: number): number {
  let s = 0;
  for (let t = 0; t < user.traits.length; t++) if (bits & (1 << t)) s += user.traits[t]!;
  return s;
}

function maxTraitScore(user: UserTaste): number {
  let s = 0;
  for (const v of user.traits) if (v > 0) s += v;
  return s;
}

type Emit = (item: string, type: DemoEventType, timestamp: number) => void;

/** The view → like / collect → download → make funnel of one item seen at t0; returns its latest event time. */
function funnel(rng: Rng, id: string, t0: number, match: number, emit: Emit): number {
  let last = t0;
  const at = (type: DemoEventType, t: number): void => {
    emit(id, type, t);
    if (t < EPOCH_END) last = Math.max(last, t);
  };
  at('view', t0);
  const liked = rng.bernoulli(0.05 + 0.5 * match * match);
  if (liked) at('like', t0 + Math.floor(rng.next() * 10 * MINUTE));
  if (rng.bernoulli(liked ? 0.35 * match : 0.04 * match)) at('collect', t0 + Math.floor(rng.next() * 20 * MINUTE));
  if (rng.bernoulli(Math.min(0.95, (liked ? 0.75 : 0.1) * match))) {
    const dl = t0 + Math.floor((1 + rng.next() * 30) * MINUTE);
    at('download', dl);
    if (rng.bernoulli(0.1 + 0.55 * match * match)) at('make', dl + Math.floor(-Math.log(1 - rng.next()) * 2 * DAY));
  }
  return last;
}

/** Share of view slots that start a project: per user, uniform in this range. */
const PROJECT_SHARE = [0.02, 0.25] as const;
/** Chance of looking at other items between two steps of a project (1 + geometric(1.5) of them). */
const BROWSE_BETWEEN = 0.6;

/** A project a user followed and the items they printed in it, in order. */
export interface FollowedProject {
  id: string;
  items: string[];
}

/** All events of one user, in time order. The projects the user followed are pushed onto `followed`. */
export function userEvents(
  user: UserTaste,
  catalog: EventCatalog,
  seed: number,
  userIndex: number,
  followed?: FollowedProject[],
): DemoEvent[] {
  const rng = new Rng(streamSeed(seed, 'events', userIndex));
  const order = new Rng(streamSeed(seed, 'order', userIndex));
  const best = maxTraitScore(user);
  const topWeight = Math.max(...user.families);
  const seen = new Set<number>();
  const out: DemoEvent[] = [];
  const emit: Emit = (item, type, timestamp) => {
    if (timestamp < EPOCH_END) out.push({ user: user.id, item, type, timestamp, weight: DEFAULT_EVENT_WEIGHTS[type] });
  };
  const matchOf = (family: number, score: number): number =>
    0.5 * (user.families[family]! / topWeight) + 0.5 / (1 + Math.exp(-2 * score));
  const projects = catalog.projects && catalog.projects.count > 0 ? catalog.projects : undefined;
  const share = projects ? order.uniform(PROJECT_SHARE[0], PROJECT_SHARE[1]) : 0;
  const started = new Set<number>();

  /**
   * Comes across one item of a family drawn from the taste (popularity, then trait rejection) and runs its funnel,
   * at a random time after publication — inside `window` when given. Returns 1 when an item was viewed, else 0.
   */
  const browse = (r: Rng, window?: readonly [number, number]): number => {
    const family = r.weighted(user.families);
    let item = -1;
    let score = 0;
    for (let a = 0; a < ATTEMPTS && item < 0; a++) {
      const i = catalog.sample(family, r);
      if (i < 0 || seen.has(i) || catalog.createdAt(i) >= EPOCH_END - DAY) continue;
      score = traitScore(user, catalog.traits(i));
      if (r.next() < Math.exp(score - best)) item = i;
    }
    if (item < 0) return 0;
    const from = Math.max(user.joinedAt, catalog.createdAt(item), window ? window[0] : 0);
    const to = window ? Math.min(window[1], EPOCH_END) : EPOCH_END;
    if (from >= to) return 0;
    seen.add(item);
    const t0 = Math.floor(from + r.next() * (to - from));
    // a remix is often found from its original: a look at the original first
    const original = catalog.remixOf ? catalog.remixOf(item) : -1;
    if (original >= 0 && !seen.has(original) && order.bernoulli(0.5)) {
      const t = t0 - Math.floor((2 + order.next() * 2 * 24 * 60) * MINUTE);
      if (t > Math.max(user.joinedAt, catalog.createdAt(original))) {
        seen.add(original);
        emit(catalog.id(original), 'view', t);
      }
    }
    // How well the item fits: family share relative to the favourite, and trait match squashed to (0, 1).
    funnel(r, catalog.id(item), t0, matchOf(family, score), emit);
    return 1;
  };

  /**
   * Follows one project from a family the user likes, step by step, browsing a little while each part prints;
   * returns the view slots used (0 when no project was started).
   */
  const project = (pc: ProjectCatalog): number => {
    const family = order.weighted(user.families);
    let p = -1;
    for (let a = 0; a < 10 && p < 0; a++) {
      const c = pc.sample(family, order);
      if (c < 0) return 0;
      const items = pc.items(c);
      if (started.has(c) || items.length < 2 || seen.has(items[0]!)) continue;
      const score = items.reduce((s, i) => s + traitScore(user, catalog.traits(i)), 0) / items.length;
      if (order.next() < Math.exp(score - best)) p = c;
    }
    if (p < 0) return 0;
    started.add(p);
    const items = pc.items(p);
    const from = Math.max(user.joinedAt, catalog.createdAt(items[0]!));
    let t = Math.floor(from + order.next() * (EPOCH_END - from));
    let used = 0;
    const done: string[] = [];
    for (const item of items) {
      if (seen.has(item)) continue;
      t = Math.max(t, catalog.createdAt(item) + MINUTE);
      if (t >= EPOCH_END) break;
      seen.add(item);
      used++;
      done.push(catalog.id(item));
      const match = matchOf(catalog.family(item), traitScore(user, catalog.traits(item)));
      const before = out.length;
      const last = funnel(order, catalog.id(item), t, match, emit);
      const types = out.slice(before).map((e) => e.type);
      const keep = types.includes('make') ? 0.9 : types.includes('download') ? 0.8 : 0.45;
      if (!order.bernoulli(keep)) break;
      t = last + HOUR + Math.floor(-Math.log(1 - order.next()) * 1.5 * DAY);
      // while a part prints: a look around at other things (the next step is not what was looked at last)
      if (order.bernoulli(BROWSE_BETWEEN)) {
        const n = 1 + Math.floor(-Math.log(1 - order.next()) * 1.5);
        for (let j = 0; j < n; j++) used += browse(order, [last + 10 * MINUTE, t]);
      }
    }
    if (done.length > 0) followed?.push({ id: pc.id(p), items: done });
    return used;
  };

  for (let v = 0; v < user.views; v++) {
    if (projects && order.bernoulli(share)) {
      const used = project(projects);
      if (used > 0) {
        v += used - 1;
        continue;
      }
    }
    browse(rng);
  }
  return out.sort((a, b) => a.timestamp - b.timestamp || a.item.localeCompare(b.item));
}

/** events.csv header; rows are `user,item,type,timestamp,weight` with ISO-8601 UTC timestamps. */
export const EVENTS_CSV_HEADER = 'user,item,type,timestamp,weight\n';

export function eventCsvRow(e: DemoEvent): string {
  return `${e.user},${e.item},${e.type},${new Date(e.timestamp).toISOString()},${e.weight}\n`;
}
