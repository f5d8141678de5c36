/**
 * Event ingestion: validate each event (per-event errors are reported by index, the rest go on), store the batch
 * durably (one transaction, shared with the other requests of the same event-loop turn: event-writer.ts; unknown
 * items rejected, exact duplicates dropped), then apply what the store now holds to the online state — so the
 * response means "stored and visible to the next recommendation".
 */
import { isLayerwiseError, LayerwiseError } from '../../core/errors.js';
import { parseTimestamp } from '../../io/events-row.js';
import { EVENT_TYPES, type EventType, NEGATIVE_EVENT_TYPES, type EventInput as StoreEvent } from '../../store/ports.js';
import { eventWeightCap } from './event-bounds.js';
import { eventWriter } from './event-writer.js';
import type { ServingState } from './state.js';
import type { EventInput, EventsResult } from './types.js';

const TYPES = new Set<string>(EVENT_TYPES);
/** Negative feedback always weighs ≤ 0, whatever weight a client sends. */
const NEGATIVE = new Set<string>(NEGATIVE_EVENT_TYPES);
const RATING_MAX = 5;
/** Events may be back-dated freely but not stamped more than a day into the future. */
const FUTURE_SLACK_MS = 86_400_000;

/**
 * Read like `layerwise ingest events` reads them (io/events-row.ts): a number below 1e11 is unix seconds, a larger
 * one milliseconds; a string is ISO 8601 or such a number.
 */
function parseTime(t: string | number | undefined, now: number): number | string {
  if (t === undefined) return now;
  const ms = parseTimestamp(t);
  if (ms === null || ms < 0) {
    return `timestamp ${JSON.stringify(t)} is not ISO 8601, unix seconds or epoch milliseconds`;
  }
  if (ms > now + FUTURE_SLACK_MS) return `timestamp ${JSON.stringify(t)} is in the future`;
  return ms;
}

export async function ingestEvents(state: ServingState, events: EventInput[]): Promise<EventsResult> {
  const now = Date.now();
  const rejected: EventsResult['rejected'] = [];
  const valid: StoreEvent[] = [];
  const origin: number[] = [];
  const weights = state.options.config.eventWeights;
  for (let index = 0; index < events.length; index++) {
    const e = events[index]!;
    const bad = (code: string, message: string): void => void rejected.push({ index, code, message });
    if (!TYPES.has(e.type)) {
      bad('invalid_argument', `type "${e.type}" is not one of ${EVENT_TYPES.join(', ')}`);
      continue;
    }
    if (state.catalog.index(e.itemId) === undefined) {
      bad('not_found', `no item with id "${e.itemId}"; upload it first (POST /v1/items)`);
      continue;
    }
    const ts = parseTime(e.timestamp, now);
    if (typeof ts === 'string') {
      bad('invalid_argument', ts);
      continue;
    }
    if (e.type === 'rating' && (e.weight === undefined || e.weight < 0 || e.weight > RATING_MAX)) {
      bad('invalid_argument', `a rating needs weight = the rating, 0–${RATING_MAX}; got ${e.weight}`);
      continue;
    }
    const raw =
      e.type === 'rating'
        ? (e.weight! / RATING_MAX) * weights.make
        : (e.weight ?? weights[e.type as keyof typeof weights]);
    // negative feedback always weighs ≤ 0; the rest is clamped to [0, the type's cap]
    const weight = NEGATIVE.has(e.type)
      ? -Math.min(Math.abs(raw), Math.abs(weights[e.type as keyof typeof weights]) * 10 || 10)
      : Math.min(Math.max(0, raw), eventWeightCap(state.options.config, e.type));
    valid.push({
      userId: e.userId,
      itemId: e.itemId,
      type: e.type as EventType,
      weight,
      value: e.type === 'rating' ? e.weight! : e.weight === undefined ? null : weight,
      timestamp: ts,
      recommendationId: e.recommendationId ?? null,
    });
    origin.push(index);
  }
  if (valid.length > 0) {
    let unknown: number[];
    try {
      // group commit: one transaction (one fsync) for every request of this event-loop turn (event-writer.ts)
      unknown = await eventWriter(state.store).add(valid);
    } catch (e) {
      // the store's own typed errors (`unavailable` with retryAfterS under lock contention or a full disk) pass
      // through; anything else is a fault of ours and stays a 500
      if (isLayerwiseError(e)) throw e;
      throw new LayerwiseError('internal', `could not store the events: ${(e as Error).message}`, { cause: e });
    }
    for (const r of unknown) {
      rejected.push({ index: origin[r]!, code: 'not_found', message: `no item with id "${valid[r]!.itemId}"` });
    }
    await state.syncEvents();
  }
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: events.length - rejected.length, rejected };
}
