/**
 * Shape taste: what a user's history says about the geometry they print — small or large parts, flat or slender
 * ones — from the printability reports (bounding box, orientation-free: sides sorted). A trait is part of the taste when most of the history has it and it
 * is at least twice as common there as in the catalogue; a candidate sharing the taste gets a small ranking boost
 * and the reason "you print many small flat parts like X" (X: the history item that shares the most of it).
 */

export const SHAPE_TRAITS = ['small', 'large', 'flat', 'slender'] as const;
export type ShapeTrait = (typeof SHAPE_TRAITS)[number];

/** Bounds of the traits (mm and ratios of the sorted bounding box a ≤ b ≤ c). */
export const SHAPE_TRAIT_RULES = {
  /** Longest side at most this: small. */
  smallMm: 40,
  /** Longest side at least this: large. */
  largeMm: 150,
  /** Shortest side over the middle one at most this: flat (plates, brackets, coasters). */
  flatRatio: 0.25,
  /** Longest side over the middle one at least this: slender (rods, pins, towers). */
  slenderRatio: 2,
};

/** The traits of one item as a bit mask (bit i = SHAPE_TRAITS[i]); 0 without a report. */
export function shapeTraits(bboxMm: readonly number[] | null | undefined): number {
  if (!bboxMm || bboxMm.length !== 3 || !bboxMm.every((x) => Number.isFinite(x) && x > 0)) return 0;
  const [a, b, c] = [...bboxMm].sort((x, y) => x - y) as [number, number, number];
  const r = SHAPE_TRAIT_RULES;
  let bits = 0;
  if (c <= r.smallMm) bits |= 1;
  if (c >= r.largeMm) bits |= 2;
  if (a / b <= r.flatRatio) bits |= 4;
  if (c / b >= r.slenderRatio) bits |= 8;
  return bits;
}

export interface ShapeTaste {
  /** Traits of the taste (mask). */
  traits: number;
  /** Share of the history with each trait. */
  shares: number[];
}

/**
 * The taste of a history (trait masks of its items) against the catalogue's trait rates (share of items with each
 * trait): traits held by ≥ half the history (≥ 3 items) and ≥ 2× as common as in the catalogue.
 */
export function shapeTaste(history: readonly number[], catalogueRates: readonly number[]): ShapeTaste {
  const shares = SHAPE_TRAITS.map((_, t) => history.filter((m) => m & (1 << t)).length / Math.max(1, history.length));
  let traits = 0;
  SHAPE_TRAITS.forEach((_, t) => {
    const n = shares[t]! * history.length;
    if (n >= 3 && shares[t]! >= 0.5 && shares[t]! >= 2 * (catalogueRates[t] ?? 0)) traits |= 1 << t;
  });
  return { traits, shares };
}

/** Share of trait masks having each trait. */
export function traitRates(masks: ArrayLike<number>): number[] {
  const n = Math.max(1, masks.length);
  return SHAPE_TRAITS.map((_, t) => {
    let c = 0;
    for (let i = 0; i < masks.length; i++) if (masks[i]! & (1 << t)) c++;
    return c / n;
  });
}

/** The taste traits a candidate shares (mask). */
export function sharedTraits(taste: ShapeTaste, candidate: number): number {
  return taste.traits & candidate;
}

/** "small flat" from a mask (size first, then form). */
export function traitWords(mask: number): string {
  return SHAPE_TRAITS.filter((_, t) => mask & (1 << t)).join(' ');
}

/** The reason text for a shared mask and an example title: you print many small flat parts like "X". */
export function shapeTasteText(mask: number, example: string): string {
  return `you print many ${traitWords(mask)} parts like "${example.length > 60 ? `${example.slice(0, 57)}…` : example}"`;
}

/** The history item (index into `history`) sharing most of `mask`, latest first on ties; −1 when none. */
export function tasteExample(history: readonly number[], mask: number): number {
  let best = -1;
  let bestN = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const n = popcount(history[i]! & mask);
    if (n > bestN) {
      best = i;
      bestN = n;
    }
  }
  return best;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
