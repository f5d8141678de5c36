/**
 * One way to read command-line flag values: integers and numbers with bounds, JSON objects and comma lists. Every
 * failure is an `invalid_argument` naming the flag, what it got and what it accepts.
 */
import { LayerwiseError } from '../core/errors.js';

function bad(name: string, wanted: string, got: string): LayerwiseError {
  return new LayerwiseError('invalid_argument', `--${name} must be ${wanted}, got '${got}'`);
}

/** An integer in [min, max]. */
export function intFlag(name: string, value: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw bad(name, `an integer ${range}`, value);
  }
  return n;
}

/** A finite number in [min, max] (or (min, max] with `exclusiveMin`). */
export function numberFlag(
  name: string,
  value: string,
  o: { min?: number; max?: number; exclusiveMin?: boolean } = {},
): number {
  const n = Number(value);
  const min = o.min ?? Number.NEGATIVE_INFINITY;
  const max = o.max ?? Number.POSITIVE_INFINITY;
  const lowOk = o.exclusiveMin ? n > min : n >= min;
  if (value.trim() === '' || !Number.isFinite(n) || !lowOk || n > max) {
    const lo = Number.isFinite(min) ? `${o.exclusiveMin ? '>' : '≥'} ${min}` : '';
    const hi = Number.isFinite(max) ? `≤ ${max}` : '';
    throw bad(name, `a number${lo || hi ? ` ${[lo, hi].filter(Boolean).join(' and ')}` : ''}`, value);
  }
  return n;
}

/** A JSON object (e.g. per-model hyper-parameters). */
export function jsonObjectFlag<T extends Record<string, unknown>>(name: string, value: string | undefined): T {
  if (value === undefined) return {} as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw new LayerwiseError('invalid_argument', `--${name} is not valid JSON: ${value}`, { cause: e });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad(name, 'a JSON object', value);
  return parsed as T;
}

/** A comma-separated list, trimmed, empties dropped. */
export function listFlag(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One of the given choices. */
export function choiceFlag<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw bad(name, `one of ${choices.join(', ')}`, value);
  return value as T;
}

/** `90s`, `30m`, `2h`, `1d` or plain milliseconds → ms (at least `minMs`). */
export function durationFlag(name: string, value: string, minMs = 1000): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  const ms = m ? Number(m[1]) * unit[(m[2] ?? 'ms') as keyof typeof unit] : Number.NaN;
  if (!(ms >= minMs)) throw bad(name, `a duration like 30s, 10m, 2h or 1d (at least ${minMs} ms)`, value);
  return ms;
}
