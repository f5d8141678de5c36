/**
 * Synthetic users: each has a ground-truth taste — a mixture over model families (one to three favourites plus a
 * little exploration) and likes/dislikes of a few shape traits — a power-law activity level and a join date.
 * Deterministic by seed and user index (each user draws from its own random stream).
 */
import { Rng } from '../core/rng.js';
import { EPOCH_END, EPOCH_START, streamSeed } from './catalog.js';
import { TRAITS } from './family.js';

export interface UserTaste {
  /** e.g. `u00042`. */
  id: string;
  /** Probability of browsing each family (indexed like FAMILIES); sums to 1. */
  families: Float64Array;
  /** Preference for each trait (indexed like TRAITS) in [-1.5, 1.5]; 0 = indifferent. */
  traits: Float64Array;
  /** Number of items the user views over the year. */
  views: number;
  /** When the user joined (ms since epoch); all their events come later. */
  joinedAt: number;
}

export interface TasteOptions {
  seed: number;
  families: number;
  /** Fewest views per user (default 4); activity is Pareto-distributed above it. */
  minViews?: number;
  /** Most views per user (default 400). */
  maxViews?: number;
  /** Share of browsing spread uniformly over all families (default 0.08). */
  exploration?: number;
}

/** The activity exponent: P(views > x) ∝ x^-ACTIVITY_ALPHA. */
export const ACTIVITY_ALPHA = 1.3;

/** The user at `index`: the same seed and index always give the same taste. */
export function makeUser(index: number, o: TasteOptions): UserTaste {
  const rng = new Rng(streamSeed(o.seed, 'user', index));
  const F = o.families;
  const eps = o.exploration ?? 0.08;
  const favourites = Math.min(F, rng.bernoulli(0.35) ? 1 : rng.bernoulli(0.6) ? 2 : 3);
  const chosen = new Set<number>();
  while (chosen.size < favourites) chosen.add(rng.int(F));
  const families = new Float64Array(F).fill(eps / F);
  const raw = [...chosen].map((f) => [f, 0.2 - Math.log(1 - rng.next())] as const);
  const total = raw.reduce((s, [, w]) => s + w, 0);
  for (const [f, w] of raw) families[f]! += ((1 - eps) * w) / total;
  const traits = new Float64Array(TRAITS.length);
  const liked = 1 + rng.int(2);
  for (let i = 0; i < liked; i++) {
    const t = rng.int(TRAITS.length);
    traits[t] = (rng.bernoulli(0.7) ? 1 : -1) * rng.uniform(0.6, 1.5);
  }
  const minViews = o.minViews ?? 4;
  const maxViews = o.maxViews ?? 400;
  const views = Math.min(maxViews, Math.round(minViews * (1 - rng.next()) ** (-1 / ACTIVITY_ALPHA)));
  const joinedAt = EPOCH_START + Math.floor(rng.next() * 0.8 * (EPOCH_END - EPOCH_START));
  return { id: `u${String(index).padStart(5, '0')}`, families, traits, views, joinedAt };
}

/** The ground-truth record of a user, as written to ground-truth.json and stored in the user's attrs. */
export function tasteRecord(user: UserTaste, familyIds: readonly string[]): Record<string, unknown> {
  const families: Record<string, number> = {};
  user.families.forEach((w, f) => {
    families[familyIds[f]!] = Math.round(w * 1e4) / 1e4;
  });
  const traits: Record<string, number> = {};
  user.traits.forEach((v, t) => {
    if (v !== 0) traits[TRAITS[t]!] = Math.round(v * 1e3) / 1e3;
  });
  const top = familyIds[user.families.indexOf(Math.max(...user.families))]!;
  return { families, traits, topFamily: top, views: user.views, joinedAt: new Date(user.joinedAt).toISOString() };
}
