/**
 * fast-check arbitraries for HTTP inputs, derived from the wire contract's JSON Schema (src/contract/json-schema.ts
 * `inputJsonSchema`): values that follow the schema (so requests reach the handlers), the same values with one part
 * replaced by something hostile (so each field's bounds are probed), and hostile values outright. Strings for
 * fields named like the domain's ids (`userId`, `itemId`, `printer`, `model`, …) are drawn from `hints` part of the
 * time, so that valid inputs also hit existing users, items and models. Used by api/fuzz.test.ts.
 */
import fc from 'fast-check';
import type { JsonSchema } from '../../contract/json-schema.js';

/** Known values by property name (ids of the fixture's items, users, models, printers…); `keys:<name>`: map keys. */
export type Hints = Readonly<Record<string, readonly string[]>>;

const NASTY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  'NaN',
  'Infinity',
  '1e308',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  '..',
  '.',
  '%',
  '%zz',
  '%00',
  '%E0%A4%A',
  '\u0000',
  '\r\nX-Injected: 1',
  '<script>alert(1)</script>',
  "'; DROP TABLE items; --",
  '{{7*7}}',
  '\u202e\u0301\ud83d\ude00',
  '\ud800',
  'a'.repeat(257),
  'x'.repeat(5000),
];

const NASTY_NUMBERS = [0, -0, -1, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, -1e308, 5e-324, 0.5, -0.5, 1e-9];

/** A string anyone might send: nasty constants, unicode, binary-ish, long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 200, maxLength: 600 }) },
);

/** Any JSON-ish value: wrong types, huge and tiny numbers, nested junk. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...NASTY_NUMBERS, null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('a', 1, null), { maxLength: 300 }) },
);

function types(s: JsonSchema): string[] {
  const t = s.type;
  if (Array.isArray(t)) return t as string[];
  if (typeof t === 'string') return [t];
  if (s.properties || s.additionalProperties) return ['object'];
  return [];
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum as number | undefined;
  const hi = s.maximum as number | undefined;
  const xlo = s.exclusiveMinimum as number | undefined;
  const xhi = s.exclusiveMaximum as number | undefined;
  const min = lo ?? (xlo === undefined ? (integer ? -1000 : -1e6) : integer ? Math.floor(xlo) + 1 : xlo);
  const max =
    hi ?? (xhi === undefined ? (integer ? Math.max(min, 0) + 1000 : 1e6) : integer ? Math.ceil(xhi) - 1 : xhi);
  const inRange = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({
        min,
        max,
        minExcluded: lo === undefined && xlo !== undefined,
        maxExcluded: hi === undefined && xhi !== undefined,
        noNaN: true,
        noDefaultInfinity: true,
      });
  const edges = [lo, hi].filter((x): x is number => x !== undefined);
  return edges.length > 0
    ? fc.oneof({ weight: 4, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(...edges) })
    : inRange;
}

function stringArb(s: JsonSchema, name: string | undefined, hints: Hints): fc.Arbitrary<string> {
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as string[]));
  const minLength = (s.minLength as number | undefined) ?? 0;
  const maxLength = Math.min((s.maxLength as number | undefined) ?? 24, Math.max(minLength, 24));
  const plain = fc.string({ minLength, maxLength });
  const known = name === undefined ? undefined : hints[name];
  const base = s.pattern ? fc.stringMatching(new RegExp(s.pattern as string)) : plain;
  if (known === undefined || known.length === 0) return base;
  return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: base });
}

/**
 * Values that follow `schema` (the subset the contract emits: type / enum / const / anyOf / oneOf / properties /
 * required / additionalProperties / items / min–max of numbers, strings and arrays / pattern). Arrays are kept
 * short (≤ 6) whatever their maxItems, so a run stays fast; `name` is the property the value is for (hints).
 */
export function conforming(schema: JsonSchema, hints: Hints = {}, name?: string, depth = 0): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => conforming(a, hints, name, depth + 1)));
  const options = types(schema).map((t): fc.Arbitrary<unknown> => {
    switch (t) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return numberArb(schema, true);
      case 'number':
        return numberArb(schema, false);
      case 'string':
        return stringArb(schema, name, hints);
      case 'array': {
        const items = (schema.items as JsonSchema | undefined) ?? {};
        const minLength = (schema.minItems as number | undefined) ?? 0;
        const maxLength = Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? 6, 6));
        return fc.array(conforming(items, hints, name, depth + 1), { minLength, maxLength });
      }
      case 'object':
        return objectArb(schema, hints, name, depth);
      default:
        return hostileValue;
    }
  });
  if (options.length === 0) return depth > 2 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
  return options.length === 1 ? options[0]! : fc.oneof(...options);
}

/** An object; a map (`additionalProperties` only) takes its keys from `hints['keys:<name>']` when given. */
function objectArb(
  schema: JsonSchema,
  hints: Hints,
  name: string | undefined,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries(props)) model[k] = conforming(v, hints, k, depth + 1);
  const extra = schema.additionalProperties;
  const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
  if (extra && typeof extra === 'object' && Object.keys(props).length === 0) {
    const known = name === undefined ? undefined : hints[`keys:${name}`];
    const key = known ? fc.constantFrom(...known) : fc.string({ minLength: 1, maxLength: 16 });
    return fc.dictionary(key, conforming(extra as JsonSchema, hints), { maxKeys: 4 });
  }
  return record as fc.Arbitrary<Record<string, unknown>>;
}

/** Replaces, deletes or adds one entry somewhere in `value` (objects and arrays, any depth) with a hostile value. */
function mutateOnce(value: unknown, pick: number, replacement: unknown, mode: number): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || mode === 2) return [...value, replacement];
    const i = pick % value.length;
    const copy = [...value];
    copy[i] = pick % 3 === 0 ? replacement : mutateOnce(value[i], Math.floor(pick / 3), replacement, mode);
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (keys.length === 0 || mode === 2) {
      // defineProperty: a plain assignment to `__proto__` would set the prototype instead of adding a key
      const key = ['__proto__', 'constructor', 'extra', ''][pick % 4]!;
      Object.defineProperty(copy, key, { value: replacement, enumerable: true, writable: true, configurable: true });
      return copy;
    }
    const k = keys[pick % keys.length]!;
    if (mode === 1) delete copy[k];
    else copy[k] = pick % 2 === 0 ? replacement : mutateOnce(copy[k], Math.floor(pick / 2), replacement, mode);
    return copy;
  }
  return replacement;
}

/** Conforming values, conforming values with one part made hostile, and hostile values outright (4 : 3 : 1). */
export function fuzzed(schema: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const good = conforming(schema, hints);
  const broken = fc
    .tuple(good, fc.nat(), hostileValue, fc.integer({ min: 0, max: 2 }))
    .map(([v, pick, bad, mode]) => mutateOnce(v, pick, bad, mode));
  return fc.oneof(
    { weight: 4, arbitrary: good },
    { weight: 3, arbitrary: broken },
    { weight: 1, arbitrary: hostileValue },
  );
}
