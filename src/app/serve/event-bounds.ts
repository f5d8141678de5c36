/**
 * Bounds on event weights (issue 15): what one event may count for, whatever number a client sends. Used when API
 * events are accepted (serve/events.ts), when stored events are folded into the served state (serve/state.ts) and
 * when training reads them (train/train.ts), so a store written before the bound existed cannot poison either.
 */
import type { ServerConfig } from '../config.js';

/**
 * The largest weight an event of `type` may carry (config `eventBounds.weightFactor` × the type's weight; a rating
 * maps to at most the weight of `make`). Applied when events are accepted and again when stored events are loaded,
 * so a store written before the bound existed cannot poison the served state either.
 */
export function eventWeightCap(config: Pick<ServerConfig, 'eventWeights' | 'eventBounds'>, type: string): number {
  const w = config.eventWeights;
  if (type === 'rating') return w.make;
  const base = w[type as keyof typeof w] ?? w.make;
  return config.eventBounds.weightFactor * base;
}

/** A stored weight as the bounds allow it: non-finite → 0, clipped to [0, cap of its type]. */
export function boundedWeight(
  config: Pick<ServerConfig, 'eventWeights' | 'eventBounds'>,
  type: string,
  weight: number,
): number {
  const w = Number.isFinite(weight) ? weight : 0;
  return Math.min(Math.max(0, w), eventWeightCap(config, type));
}
