/**
 * JSON Schema (draft-07, what Fastify's ajv and fast-json-stringify speak) generated from the zod contract:
 * - `shared`: one schema per named component, with `$id` (Fastify `addSchema`; OpenAPI components);
 * - `routes`: per route its params / querystring / body (zod *input* side: defaults stay defaults, fields with a
 *   default are optional) and responses (zod *output* side), referring to components as `{ $ref: 'Item#' }`.
 * The output is tidied for the consumers: no `$schema`, no ±2^53 bounds on integers, `propertyNames` dropped for
 * plain string keys, and `anyOf [X, null]` folded into `type: [X, 'null']` (fast-json-stringify's fast path;
 * @fastify/swagger turns both into `nullable` in OpenAPI 3.0).
 */
import { z } from 'zod';
import { components, isOpen } from './registry.js';
import type { RouteDef } from './routes.js';

export type JsonSchema = Record<string, unknown>;

export interface RouteJsonSchema {
  params?: JsonSchema;
  querystring?: JsonSchema;
  body?: JsonSchema;
  /** By status; `errors` statuses refer to the `Error` component. */
  response: Record<number, JsonSchema>;
}

export interface JsonSchemas {
  shared: JsonSchema[];
  routes: Record<string, RouteJsonSchema>;
}

const TARGET = 'draft-07';

/** Converts the components and every route of `routes` (one call per server: the limits shape the routes). */
export function toJsonSchemas(routes: Readonly<Record<string, RouteDef>>): JsonSchemas {
  const comps = components();
  const idOf = new Map<z.ZodType, string>();
  for (const [id, schema] of comps) idOf.set(schema, id);

  // responses: one registry conversion, so components become $refs wherever they are used
  const out = z.registry<{ id: string }>();
  for (const [id, schema] of comps) out.add(schema, { id });
  const responseIds = new Map<z.ZodType, string>();
  for (const [name, r] of Object.entries(routes)) {
    for (const [status, schema] of Object.entries(r.response ?? {})) {
      if (idOf.has(schema) || responseIds.has(schema)) continue;
      const id = `${name}.${status}`;
      responseIds.set(schema, id);
      out.add(schema, { id });
    }
  }
  const converted = z.toJSONSchema(out, { target: TARGET, io: 'output', uri: (id) => `${id}#` }).schemas;
  const emitted = (id: string): JsonSchema => {
    const s = converted[id];
    if (s === undefined) throw new Error(`contract: no JSON Schema was emitted for ${id}`);
    return tidy(s) as JsonSchema;
  };

  const shared = [...comps.keys()].map((id) => {
    const { required: _, additionalProperties: __, ...schema } = emitted(id);
    return isOpen(id) ? { ...schema, additionalProperties: true, $id: id } : { ...emitted(id), $id: id };
  });
  const ids = new Set(comps.keys());
  const result: Record<string, RouteJsonSchema> = {};
  for (const [name, r] of Object.entries(routes)) {
    const response: Record<number, JsonSchema> = {};
    for (const [status, schema] of Object.entries(r.response ?? {})) {
      const component = idOf.get(schema);
      if (component !== undefined) response[Number(status)] = { $ref: `${component}#` };
      else {
        const { $id: _, ...inline } = emitted(responseIds.get(schema)!);
        response[Number(status)] = inline;
      }
    }
    for (const status of r.errors ?? []) response[status] = { $ref: 'Error#' };
    const schemas: RouteJsonSchema = { response };
    if (r.params) schemas.params = inputJsonSchema(r.params);
    if (r.querystring) schemas.querystring = inputJsonSchema(r.querystring);
    if (r.body) schemas.body = inputJsonSchema(r.body);
    for (const part of [schemas.params, schemas.querystring, schemas.body, ...Object.values(response)]) {
      checkRefs(part, ids, name);
    }
    result[name] = schemas;
  }
  for (const s of shared) checkRefs(s, ids, String(s.$id));
  return { shared, routes: result };
}

/** A request part (the zod input side), self-contained: inputs are small and documented inline. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return tidy(z.toJSONSchema(schema, { target: TARGET, io: 'input', reused: 'inline' })) as JsonSchema;
}

const SAFE = Number.MAX_SAFE_INTEGER;

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== 'object') return node;
  const s: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema') continue;
    s[k] = tidy(v);
  }
  if (s.type === 'integer') {
    if (s.minimum === -SAFE) delete s.minimum;
    if (s.maximum === SAFE) delete s.maximum;
  }
  const names = s.propertyNames as Record<string, unknown> | undefined;
  if (names && Object.keys(names).length === 1 && names.type === 'string') delete s.propertyNames;
  return foldNull(s);
}

/** `{ anyOf: [{ type: 'string', … }, { type: 'null' }], …rest }` → `{ type: ['string', 'null'], …, …rest }`. */
function foldNull(s: Record<string, unknown>): Record<string, unknown> {
  const any = s.anyOf as Record<string, unknown>[] | undefined;
  if (any?.length !== 2) return s;
  const nullAt = any.findIndex((m) => m.type === 'null' && Object.keys(m).length === 1);
  if (nullAt < 0) return s;
  const other = any[1 - nullAt]!;
  if (typeof other.type !== 'string' || other.$ref !== undefined || other.anyOf !== undefined) return s;
  const { anyOf: _, ...rest } = s;
  if (Object.keys(rest).some((k) => k in other)) return s;
  return { ...other, ...rest, type: [other.type, 'null'] };
}

/** Every `$ref` must name a component: a nested non-component schema would otherwise dangle. */
function checkRefs(node: unknown, ids: ReadonlySet<string>, where: string): void {
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && (typeof v !== 'string' || !ids.has(v.replace(/#$/, '')))) {
      throw new Error(`contract: ${where} refers to ${String(v)}, which is not a named component`);
    }
    checkRefs(v, ids, where);
  }
}
