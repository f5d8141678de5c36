/**
 * The named schemas of the wire contract. A schema registered here with `named(id, schema)` becomes one
 * component: a shared JSON Schema with `$id` for Fastify (`{ $ref: 'Item#' }`) and `#/components/schemas/Item` in
 * the OpenAPI document. Everything else (route querystrings, bodies) is inlined where it is used.
 *
 * A list of our own rather than `z.globalRegistry` ids: the global registry also holds every other zod schema's
 * metadata in the process (config, CLI), and only ours should become API components. Field descriptions still go
 * through `.describe()` / `.meta()` (the global registry), which the JSON Schema conversion reads.
 */
import type { z } from 'zod';

const byId = new Map<string, z.ZodType>();
const open = new Set<string>();

export interface NamedOptions {
  /**
   * Open on the wire: the JSON Schema lists the fields (documentation, typed serialization) but requires none and
   * lets others through. For bodies stored as written by the version that made them (a printability report of an
   * older release lacks newer fields); the zod schema itself stays strict, so clients and tests still check it.
   */
  open?: boolean;
}

/** Registers `schema` as the component `id` and returns it (ids are unique; a second use is a bug). */
export function named<T extends z.ZodType>(id: string, schema: T, options: NamedOptions = {}): T {
  if (byId.has(id)) throw new Error(`contract component ${id} is registered twice`);
  byId.set(id, schema);
  if (options.open) open.add(id);
  return schema;
}

/** Whether the component `id` was registered open. */
export function isOpen(id: string): boolean {
  return open.has(id);
}

/** Every named component of the HTTP API, in registration order. */
export function components(): ReadonlyMap<string, z.ZodType> {
  return byId;
}
