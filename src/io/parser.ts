/**
 * The one interface every mesh format implements (like hono's `Router`): content detection and a pure parse from
 * bytes to a `Mesh`. Parsers receive resolved options and throw `LayerwiseError`s; `parse.ts` is the only caller.
 */
import type { Mesh, MeshFormat } from '../core/mesh.js';
import type { ResolvedParseOptions } from './parse-options.js';

export interface MeshParser {
  readonly format: MeshFormat;
  /** True when the bytes look like this format (cheap: reads the header only). */
  detect(bytes: Uint8Array): boolean;
  parse(bytes: Uint8Array, options: ResolvedParseOptions): Mesh;
}
