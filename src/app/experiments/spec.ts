/**
 * What an experiment is made of, validated: two or more uniquely named arms, each serving a model version
 * (`recommender@3`; omitted = the active model) and/or rule overrides (the printer support penalty, diversity caps),
 * with positive traffic shares; and the readout settings (primary metric, α, the mSPRT mixing spread τ, the users
 * per arm before any verdict). Every problem is an `invalid_argument` that says what was received.
 */
import { LayerwiseError } from '../../core/errors.js';
import type { ExperimentArm } from '../../store/live-ports.js';

/** Event types an arm's online metrics are computed for (rates of shown items that got one). */
export const ONLINE_METRICS = ['view', 'like', 'download', 'make'] as const;
export type OnlineMetric = (typeof ONLINE_METRICS)[number];

/** Rule overrides an arm may set (the recommendation config keys they replace). */
export const ARM_RULES = ['supportPenalty', 'openMeshPenalty', 'maxPerCreator', 'maxPerFamily'] as const;
export type ArmRules = Partial<Record<(typeof ARM_RULES)[number], number>>;

export interface ExperimentSettings {
  /** The metric the verdict is about (default `view`: click-through of shown items). */
  primaryMetric: OnlineMetric;
  /** False-positive rate of the always-valid test (default 0.05), split over the comparisons (Bonferroni). */
  alpha: number;
  /** Spread τ of the mSPRT's normal mixing distribution over the true difference in rate (default 0.02). */
  tau: number;
  /** No verdict before every arm has this many users (default 100). */
  minUsers: number;
}

export const DEFAULT_SETTINGS: ExperimentSettings = { primaryMetric: 'view', alpha: 0.05, tau: 0.02, minUsers: 100 };

export interface ExperimentSpec {
  id?: string;
  name: string;
  arms: { name: string; model?: string | null; rules?: ArmRules | null; share?: number }[];
  settings?: Partial<ExperimentSettings>;
}

const bad = (message: string) => new LayerwiseError('invalid_argument', message);
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MODEL = /^[a-z0-9][a-z0-9_-]*@[1-9][0-9]*$/;

export function parseModelRef(ref: string): { name: string; version: number } {
  if (!MODEL.test(ref)) throw bad(`model must look like "recommender@3" (name@version), got ${JSON.stringify(ref)}`);
  const at = ref.lastIndexOf('@');
  return { name: ref.slice(0, at), version: Number(ref.slice(at + 1)) };
}

export function normaliseArms(arms: ExperimentSpec['arms']): ExperimentArm[] {
  if (!Array.isArray(arms) || arms.length < 2) {
    throw bad(`an experiment needs at least two arms, got ${Array.isArray(arms) ? arms.length : JSON.stringify(arms)}`);
  }
  if (arms.length > 10) throw bad(`at most 10 arms, got ${arms.length}`);
  const seen = new Set<string>();
  return arms.map((a, i) => {
    if (typeof a?.name !== 'string' || !NAME.test(a.name)) {
      throw bad(`arm ${i}: name must match ${NAME.source}, got ${JSON.stringify(a?.name)}`);
    }
    if (seen.has(a.name)) throw bad(`arm names must be unique; "${a.name}" appears twice`);
    seen.add(a.name);
    const share = a.share ?? 1;
    if (!(typeof share === 'number' && Number.isFinite(share) && share > 0)) {
      throw bad(`arm "${a.name}": share must be a number > 0, got ${JSON.stringify(a.share)}`);
    }
    const model = a.model ?? null;
    if (model !== null) parseModelRef(model);
    const rules = a.rules ?? null;
    if (rules !== null) {
      if (typeof rules !== 'object' || Array.isArray(rules)) throw bad(`arm "${a.name}": rules must be an object`);
      for (const [k, v] of Object.entries(rules)) {
        if (!(ARM_RULES as readonly string[]).includes(k)) {
          throw bad(`arm "${a.name}": unknown rule "${k}"; known: ${ARM_RULES.join(', ')}`);
        }
        if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
          throw bad(`arm "${a.name}": rule ${k} must be a number ≥ 0, got ${JSON.stringify(v)}`);
        }
      }
    }
    return { name: a.name, model, rules: rules as Record<string, unknown> | null, share };
  });
}

export function normaliseSettings(s: Partial<ExperimentSettings> = {}): ExperimentSettings {
  const out = { ...DEFAULT_SETTINGS, ...s };
  const known = Object.keys(DEFAULT_SETTINGS);
  for (const k of Object.keys(s))
    if (!known.includes(k)) throw bad(`unknown setting "${k}"; known: ${known.join(', ')}`);
  if (!(ONLINE_METRICS as readonly string[]).includes(out.primaryMetric)) {
    throw bad(`primaryMetric must be one of ${ONLINE_METRICS.join(', ')}, got ${JSON.stringify(out.primaryMetric)}`);
  }
  if (!(out.alpha > 0 && out.alpha < 0.5)) throw bad(`alpha must be in (0, 0.5), got ${out.alpha}`);
  if (!(out.tau > 0 && out.tau <= 1)) throw bad(`tau must be in (0, 1], got ${out.tau}`);
  if (!(Number.isInteger(out.minUsers) && out.minUsers >= 10)) {
    throw bad(`minUsers must be an integer ≥ 10, got ${out.minUsers}`);
  }
  return out;
}

/** A readable id from the name plus a time suffix, unless one is given. */
export function experimentId(spec: ExperimentSpec, now = Date.now()): string {
  if (spec.id !== undefined) {
    if (!NAME.test(spec.id)) throw bad(`id must match ${NAME.source}, got ${JSON.stringify(spec.id)}`);
    return spec.id;
  }
  const slug = spec.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'experiment'}-${now.toString(36)}`;
}
