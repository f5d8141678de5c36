/**
 * The event model of the demo: a user browses families in proportion to their taste, comes across items in
 * proportion to popularity, keeps looking at those whose traits they like (rejection sampling), and each viewed item
 * runs a view → like → download → make funnel (plus collect) whose step probabilities grow with how well the item
 * matches the user's taste. One user's events are generated from that user's own random stream, so users can be
 * generated one at a time (streaming) or all at once with identical results.
 */
import { Rng } from '../core/rng.js';
import { DEFAULT_EVENT_WEIGHTS } from '../io/events-row.js';
import { EPOCH_END, streamSeed } from './catalog.js';
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
  /** Trait bits of an item (bit t = TRAITS[t]). */
  traits(item: number): number;
  /** Publication time of an item, ms. */
  createdAt(item: number): number;
  id(item: number): string;
}

const MINUTE = 60_000;
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

/** All events of one user, in time order. */
export function userEvents(user: UserTaste, catalog: EventCatalog, seed: number, userIndex: number): DemoEvent[] {
  const rng = new Rng(streamSeed(seed, 'events', userIndex));
  const best = maxTraitScore(user);
  const topWeight = Math.max(...user.families);
  const seen = new Set<number>();
  const out: DemoEvent[] = [];
  const emit = (item: string, type: DemoEventType, timestamp: number) => {
    if (timestamp < EPOCH_END) out.push({ user: user.id, item, type, timestamp, weight: DEFAULT_EVENT_WEIGHTS[type] });
  };
  for (let v = 0; v < user.views; v++) {
    const family = rng.weighted(user.families);
    let item = -1;
    let score = 0;
    for (let a = 0; a < ATTEMPTS && item < 0; a++) {
      const i = catalog.sample(family, rng);
      if (i < 0 || seen.has(i) || catalog.createdAt(i) >= EPOCH_END - DAY) continue;
      score = traitScore(user, catalog.traits(i));
      if (rng.next() < Math.exp(score - best)) item = i;
    }
    if (item < 0) continue;
    seen.add(item);
    const id = catalog.id(item);
    const from = Math.max(user.joinedAt, catalog.createdAt(item));
    const t0 = Math.floor(from + rng.next() * (EPOCH_END - from));
    // How well the item fits: family share relative to the favourite, and trait match squashed to (0, 1).
    const match = 0.5 * (user.families[family]! / topWeight) + 0.5 / (1 + Math.exp(-2 * score));
    emit(id, 'view', t0);
    const liked = rng.bernoulli(0.05 + 0.5 * match * match);
    if (liked) emit(id, 'like', t0 + Math.floor(rng.next() * 10 * MINUTE));
    if (rng.bernoulli(liked ? 0.35 * match : 0.04 * match))
      emit(id, 'collect', t0 + Math.floor(rng.next() * 20 * MINUTE));
    if (rng.bernoulli(Math.min(0.95, (liked ? 0.75 : 0.1) * match))) {
      const dl = t0 + Math.floor((1 + rng.next() * 30) * MINUTE);
      emit(id, 'download', dl);
      if (rng.bernoulli(0.1 + 0.55 * match * match))
        emit(id, 'make', dl + Math.floor(-Math.log(1 - rng.next()) * 2 * DAY));
    }
  }
  return out.sort((a, b) => a.timestamp - b.timestamp || a.item.localeCompare(b.item));
}

/** events.csv header; rows are `user,item,type,timestamp,weight` with ISO-8601 UTC timestamps. */
export const EVENTS_CSV_HEADER = 'user,item,type,timestamp,weight\n';

export function eventCsvRow(e: DemoEvent): string {
  return `${e.user},${e.item},${e.type},${new Date(e.timestamp).toISOString()},${e.weight}\n`;
}
