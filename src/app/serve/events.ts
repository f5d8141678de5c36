/**
 * Event ingestion: validate each event (per-event errors are reported by index, the rest go on), store the batch
 * durably (one transaction; unknown items rejected, exact duplicates dropped), then apply what the store now holds
 * to the online state — so the response means "stored and visible to the next recommendation".
 */
import { LayerwiseError } from '../../core/errors.js';
import { EVENT_TYPES, type EventType, NEGATIVE_EVENT_TYPES, type EventInput as StoreEvent } from '../../store/ports.js';
import type { ServingState } from './state.js';
import type { EventInput, EventsResult } from './types.js';

const TYPES = new Set<string>(EVENT_TYPES);
/** Negative feedback always weighs ≤ 0, whatever weight a client sends. */
const NEGATIVE = new Set<string>(NEGATIVE_EVENT_TYPES);
const RATING_MAX = 5;
/** Events may be back-dated freely but not stamped more than a day into the future. */
const FUTURE_SLACK_MS = 86_400_000;

function parseTime(t: string | number | undefined, now: number): number | string {
  if (t === undefined) return now;
  const ms = typeof t === 'number' ? t : /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  if (!Number.isFinite(ms) || ms < 0) return `timestamp ${JSON.stringify(t)} is not ISO 8601 or epoch milliseconds`;
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
    const weight =
      e.type === 'rating'
        ? (e.weight! / RATING_MAX) * weights.make
        : NEGATIVE.has(e.type)
          ? -Math.abs(e.weight ?? weights[e.type as keyof typeof weights])
          : (e.weight ?? weights[e.type as keyof typeof weights]);
    valid.push({
      userId: e.userId,
      itemId: e.itemId,
      type: e.type as EventType,
      weight,
      value: e.weight ?? null,
      timestamp: ts,
      recommendationId: e.recommendationId ?? null,
    });
    origin.push(index);
  }
  if (valid.length > 0) {
    let result: Awaited<ReturnType<typeof state.store.addEvents>>;
    try {
      result = await state.store.addEvents(valid, { unknownItems: 'reject' });
    } catch (e) {
      throw new LayerwiseError('unavailable', `could not store the events: ${(e as Error).message}; retry`, {
        cause: e,
      });
    }
    for (const r of result.rejected) {
      rejected.push({ index: origin[r]!, code: 'not_found', message: `no item with id "${valid[r]!.itemId}"` });
    }
    await state.syncEvents();
  }
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: events.length - rejected.length, rejected };
}
