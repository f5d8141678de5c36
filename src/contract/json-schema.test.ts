/** The JSON Schema generated from the contract: components with ids, refs that resolve, inputs vs outputs. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputJsonSchema, type JsonSchema, toJsonSchemas } from './json-schema.js';
import { components } from './registry.js';
import { apiRoutes } from './routes.js';

const limits = { defaultK: 7, maxK: 42 };
const json = toJsonSchemas(apiRoutes(limits));

function refs(node: unknown, out: string[] = []): string[] {
  if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') out.push(String(v));
      else refs(v, out);
    }
  }
  return out;
}

describe('toJsonSchemas', () => {
  it('emits one shared schema per component, with its id and without $schema', () => {
    const ids = json.shared.map((s) => s.$id);
    expect(ids).toEqual([...components().keys()]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of json.shared) expect(s.$schema).toBeUndefined();
    expect(ids).toEqual(expect.arrayContaining(['Error', 'Item', 'Recommendations', 'Similar', 'PrintabilityReport']));
  });

  it('refers to components only, and every ref names one', () => {
    const ids = new Set(json.shared.map((s) => `${String(s.$id)}#`));
    const all = [...refs(json.shared), ...refs(json.routes)];
    expect(all.length).toBeGreaterThan(20);
    for (const r of all) expect(ids.has(r), r).toBe(true);
    expect(json.routes.getItem!.response[200]).toEqual({ $ref: 'Item#' });
    expect(json.routes.getItem!.response[404]).toEqual({ $ref: 'Error#' });
    expect(json.routes.listModels!.response[200]).toEqual({ type: 'array', items: { $ref: 'Model#' } });
  });

  it('takes k limits from the server config and keeps defaults optional on the input side', () => {
    const q = json.routes.recommendations!.querystring as {
      properties: Record<string, JsonSchema>;
      required?: string[];
    };
    expect(q.properties.k).toMatchObject({ type: 'integer', minimum: 1, maximum: 42, default: 7 });
    expect(q.properties.explain).toMatchObject({ type: 'boolean', default: true });
    expect(q.required ?? []).not.toContain('k');
    const other = toJsonSchemas(apiRoutes({ defaultK: 3, maxK: 5 }));
    const k = (other.routes.search!.querystring as { properties: Record<string, JsonSchema> }).properties.k;
    expect(k).toMatchObject({ maximum: 5, default: 3 });
  });

  it('requires every output field and folds nullable primitives into type arrays', () => {
    const summary = json.shared.find((s) => s.$id === 'ItemSummary') as {
      required: string[];
      properties: Record<string, JsonSchema>;
    };
    expect(summary.required).toEqual(expect.arrayContaining(['id', 'category', 'license', 'popularity']));
    expect(summary.properties.category).toEqual({ type: ['string', 'null'] });
    const user = json.shared.find((s) => s.$id === 'UserSummary') as { properties: Record<string, JsonSchema> };
    // no ±2^53 bounds on plain integers
    expect(user.properties.events).toEqual({ type: 'integer' });
  });

  it('keeps strict bodies strict and the open printability report open', () => {
    expect(json.routes.postEvents!.body).toMatchObject({ additionalProperties: false, required: ['events'] });
    const report = json.shared.find((s) => s.$id === 'PrintabilityReport')!;
    expect(report.required).toBeUndefined();
    expect(report.additionalProperties).toBe(true);
    expect(Object.keys(report.properties as object)).toContain('watertight');
  });

  it('inlines reused plain objects (no dangling refs) and keeps inputs self-contained', () => {
    const inner = z.object({ a: z.string() });
    const reg = { bad: { ...apiRoutes(limits).healthz, response: { 200: z.object({ x: inner, y: inner }) } } };
    // a reused plain object is inlined, never a dangling ref
    expect(refs(toJsonSchemas(reg).routes.bad)).toEqual([]);
    expect(inputJsonSchema(z.object({ n: z.int().min(2) }))).toEqual({
      type: 'object',
      properties: { n: { type: 'integer', minimum: 2 } },
      required: ['n'],
    });
  });
});
