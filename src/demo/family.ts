/**
 * What a procedural model family is: a declarative parameter space (sampled for new items, nudged for remixes) and a
 * `build` that turns one parameter set into watertight solids with constructive solid geometry.
 */
import { LayerwiseError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import type { Kernel, Solid } from './kernel.js';

/** A numeric range (integers when `int`) or a set of named styles. */
export type ParamSpec = { min: number; max: number; int?: boolean } | { options: readonly string[] };
export type Params = Record<string, number | string>;

/** Shape traits: the ground-truth axes (besides the family) that synthetic users have tastes over. */
export const TRAITS = ['tall', 'flat', 'round', 'holed', 'small', 'large', 'ornate'] as const;
export type Trait = (typeof TRAITS)[number];

export interface BuiltShape {
  /**
   * Printable parts; several parts are laid out side by side on the bed (e.g. a box and its lid). `genus`, when
   * given, is the topology the design must have (a hollow vase: 0); a variant that misses it is redrawn.
   */
  parts: { name: string; solid: Solid; genus?: number }[];
  /** True for curved, turned or circular designs; false for angular, faceted ones. */
  round: boolean;
  /** True for decorative, detailed designs. */
  ornate?: boolean;
  /** Extra tags describing this variant. */
  tags?: string[];
}

export interface Family {
  /** kebab-case id; also the item category and its folder name. */
  id: string;
  /** Singular noun for titles, e.g. "vase". */
  noun: string;
  tags: readonly string[];
  params: Readonly<Record<string, ParamSpec>>;
  /** Rough probability of each trait in this family (for metadata-only scale mode). */
  traitPriors: Readonly<Partial<Record<Trait, number>>>;
  build(k: Kernel, p: Params): BuiltShape;
  /** A short descriptive phrase for the title, e.g. "twisted hexagonal". */
  describe(p: Params): string;
}

/** Draws a fresh parameter set uniformly from the family's space. */
export function sampleParams(family: Family, rng: Rng): Params {
  const out: Params = {};
  for (const [name, spec] of Object.entries(family.params)) {
    if ('options' in spec) out[name] = rng.pick(spec.options);
    else {
      const v = rng.uniform(spec.min, spec.max);
      out[name] = spec.int ? Math.round(v) : round2(v);
    }
  }
  return out;
}

/** A remix: each number moved by up to ±`amount` of its range (integers by ±1 at most), styles kept mostly. */
export function perturbParams(family: Family, base: Params, rng: Rng, amount = 0.12): Params {
  const out: Params = { ...base };
  for (const [name, spec] of Object.entries(family.params)) {
    const v = base[name];
    if ('options' in spec) {
      if (rng.bernoulli(0.25)) out[name] = rng.pick(spec.options);
    } else if (typeof v === 'number') {
      const step = spec.int ? Math.sign(rng.uniform(-1, 1)) * (rng.bernoulli(0.6) ? 1 : 0) : 0;
      const moved = spec.int ? v + step : v + rng.uniform(-amount, amount) * (spec.max - spec.min);
      const clamped = Math.min(spec.max, Math.max(spec.min, moved));
      out[name] = spec.int ? Math.round(clamped) : round2(clamped);
    }
  }
  return out;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** A numeric parameter (throws `internal` when a family reads a parameter it did not declare). */
export function num(p: Params, name: string): number {
  const v = p[name];
  if (typeof v !== 'number') throw new LayerwiseError('internal', `demo family parameter "${name}" is not a number`);
  return v;
}

/** A style parameter. */
export function str(p: Params, name: string): string {
  const v = p[name];
  if (typeof v !== 'string') throw new LayerwiseError('internal', `demo family parameter "${name}" is not a string`);
  return v;
}
