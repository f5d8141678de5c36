/**
 * One convention for both model families (recommenders and shape encoders): options merged over documented
 * defaults with type checks and one message format, one "not fitted" error, and one configuration hash.
 *   recommenders:   `ease: unknown option 'lamda'; known: lambda`
 *   shape encoders: `pointnet encoder: option 'epochs' must be a number, got "3"`
 */
import { LayerwiseError } from '../core/errors.js';
import { configHash } from './artifact.js';

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/**
 * Merges `given` over `defaults`: unknown keys (usually typos) and values of another type than the default's are
 * `invalid_argument` errors naming the owner, the key, what was received and what is known. `undefined` keeps the
 * default. A default of `null` accepts any value (an option without a fixed type).
 */
export function mergeOptions<T extends object>(
  owner: string,
  defaults: T,
  given: Readonly<Record<string, unknown>> = {},
): T {
  const d = defaults as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ...d };
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined) continue;
    if (!(k in d)) {
      throw new LayerwiseError(
        'invalid_argument',
        `${owner}: unknown option '${k}'; known: ${Object.keys(d).join(', ')}`,
      );
    }
    const want = typeName(d[k]);
    if (want !== 'null' && d[k] !== undefined && typeName(v) !== want) {
      const article = /^[aeiou]/.test(want) ? 'an' : 'a';
      throw new LayerwiseError(
        'invalid_argument',
        `${owner}: option '${k}' must be ${article} ${want}, got ${JSON.stringify(v)}`,
      );
    }
    out[k] = v;
  }
  return out as T;
}

/** The one "not fitted" error of both families (code `conflict`: the call needs a fitted or loaded model). */
export function notFitted(owner: string, how = 'call fit() or load() first'): LayerwiseError {
  return new LayerwiseError('conflict', `${owner}: model is not fitted; ${how}`);
}

/** The configuration hash of both families: equal hashes mean the same kind with the same options. */
export function optionsHash(kind: string, options: object): string {
  return configHash(kind, options as Readonly<Record<string, unknown>>);
}
