/**
 * Planning the demo catalog (pure, no geometry): which family each item belongs to, its parameters, whether it is a
 * new design, a size/orientation variant of an earlier design, or a remix (perturbed parameters) of an earlier item;
 * its creator, license, publication date and latent popularity (power law). Deterministic by seed.
 */
import { hashString, Rng } from '../core/rng.js';
import { FAMILIES } from './families/index.js';
import { type Family, type Params, perturbParams, sampleParams } from './family.js';
import { creatorHandle, LICENSE_WEIGHTS, LICENSES } from './words.js';

/** The simulated year: events fall in [EPOCH_START, EPOCH_END); items are published from a year earlier. */
export const EPOCH_START = Date.UTC(2025, 0, 1);
export const EPOCH_END = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

export interface CatalogOptions {
  items: number;
  seed: number;
  /** Share of items that remix an earlier item (default 0.12). */
  remixShare?: number;
  /** Items per built design: above 1, other items are scaled/rotated variants of an earlier design (default 2). */
  reuse?: number;
  /** Share of single-part items written as 3MF instead of STL (default 0.12; multi-part items are always 3MF). */
  threeMfShare?: number;
}

export interface PlannedItem {
  index: number;
  /** Stable id, e.g. `vase-00012`; the store item id and the `item` column of events.csv. */
  id: string;
  family: Family;
  params: Params;
  /** Index of the earlier design this item re-uses (scaled and rotated); undefined for a new build. */
  variantOf: number | undefined;
  /** Uniform scale and rotation about z applied to a re-used design. */
  scale: number;
  rotationDeg: number;
  /** Index of the item this one remixes. */
  remixOf: number | undefined;
  creator: string;
  license: string;
  /** Publication time, ms since epoch. */
  createdAt: number;
  /** Latent popularity (Pareto, heavy-tailed): how often users come across the item. */
  popularity: number;
  /** Prefers 3MF (multi-part designs are written as 3MF regardless). */
  threeMf: boolean;
}

/** Seed of an independent random stream for one purpose and index. */
export function streamSeed(seed: number, purpose: string, index = 0): number {
  return hashString(`${seed >>> 0}:${purpose}:${index}`);
}

function pareto(rng: Rng, alpha: number, cap: number): number {
  return Math.min(cap, (1 - rng.next()) ** (-1 / alpha));
}

interface Creator {
  handle: string;
  families: Set<string>;
  weight: number;
}

function makeCreators(rng: Rng, count: number): Creator[] {
  return Array.from({ length: count }, (_, i) => {
    const families = new Set<string>();
    const n = 1 + rng.int(3);
    while (families.size < n) families.add(rng.pick(FAMILIES).id);
    return { handle: creatorHandle(rng, i), families, weight: pareto(rng, 1.1, 100) };
  });
}

/** Plans `items` catalog entries; the same options always give the same plan. */
export function planCatalog(options: CatalogOptions): PlannedItem[] {
  const rng = new Rng(streamSeed(options.seed, 'catalog'));
  const n = options.items;
  const remixShare = options.remixShare ?? 0.12;
  const reuse = Math.max(1, options.reuse ?? 2);
  const threeMfShare = options.threeMfShare ?? 0.12;
  const familyWeights = FAMILIES.map(() => 0.5 + rng.next());
  const creators = makeCreators(rng, Math.max(12, Math.round(n / 12)));
  const byFamily = new Map<string, number[]>();
  const designs = new Map<string, number[]>();
  const plan: PlannedItem[] = [];
  const order = rng.shuffle(FAMILIES.map((_, i) => i));
  for (let index = 0; index < n; index++) {
    const fi = index < FAMILIES.length ? order[index]! : rng.weighted(familyWeights);
    const family = FAMILIES[fi]!;
    const earlier = byFamily.get(family.id) ?? [];
    const bases = designs.get(family.id) ?? [];
    const kind =
      earlier.length > 0 && rng.bernoulli(remixShare)
        ? 'remix'
        : bases.length > 0 && rng.bernoulli(1 - 1 / reuse)
          ? 'variant'
          : 'new';
    const fans = creators.filter((c) => c.families.has(family.id));
    const pool = fans.length > 0 && rng.bernoulli(0.85) ? fans : creators;
    const creator = pool[rng.weighted(pool.map((c) => c.weight))]!.handle;
    let params: Params;
    let variantOf: number | undefined;
    let remixOf: number | undefined;
    let createdAt = EPOCH_START - 365 * DAY + rng.next() * (730 - 14) * DAY;
    let popularity = pareto(rng, 1.05, 500);
    if (kind === 'remix') {
      remixOf = earlier[rng.weighted(earlier.map((i) => plan[i]!.popularity))]!;
      const original = plan[remixOf]!;
      params = perturbParams(family, original.params, rng);
      createdAt = Math.min(EPOCH_END - DAY, original.createdAt + (2 + rng.next() * 88) * DAY);
      popularity *= 0.6;
    } else if (kind === 'variant') {
      variantOf = rng.pick(bases);
      params = plan[variantOf]!.params;
    } else params = sampleParams(family, rng);
    if (variantOf === undefined) bases.push(index);
    designs.set(family.id, bases);
    earlier.push(index);
    byFamily.set(family.id, earlier);
    plan.push({
      index,
      id: `${family.id}-${String(index).padStart(5, '0')}`,
      family,
      params,
      variantOf,
      scale: variantOf === undefined ? 1 : Math.round(rng.uniform(0.8, 1.25) * 100) / 100,
      rotationDeg: variantOf === undefined ? 0 : (1 + rng.int(23)) * 15,
      remixOf,
      creator,
      license: LICENSES[rng.weighted(LICENSE_WEIGHTS)]!,
      createdAt: Math.round(createdAt / 1000) * 1000,
      popularity,
      threeMf: rng.bernoulli(threeMfShare),
    });
  }
  return plan;
}
