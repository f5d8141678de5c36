/**
 * Options every parser receives: the length unit for unit-less formats and hard safety limits. Defaults are merged
 * under the caller's options once (`resolveParseOptions`); parsers read only the resolved object.
 */
import { LayerwiseError } from '../core/errors.js';
import type { MeshFormat } from '../core/mesh.js';
import { type LengthUnit, MM_PER_UNIT, toLengthUnit } from './units.js';

export interface ParseOptions {
  /**
   * Unit of the coordinates in STL/OBJ/PLY/OFF files (default `millimeter`; aliases like `mm`, `in` accepted).
   * 3MF files declare their own unit, which always wins.
   */
  unit?: LengthUnit | string;
  /** Skip detection and parse as this format (default: detected from the content, never from a file name). */
  format?: MeshFormat;
  /** Largest input accepted, in bytes (default 1 GiB). */
  maxBytes?: number;
  /** Most triangles a mesh may have after triangulation and 3MF instancing (default 50 million). */
  maxTriangles?: number;
  /** Most vertices a mesh may have (default 150 million). */
  maxVertices?: number;
  /** Largest uncompressed size of one ZIP entry in a 3MF package (default 1 GiB). */
  maxZipEntryBytes?: number;
  /** Largest uncompressed/compressed ratio of a ZIP entry (default 200; real 3MF XML compresses 5–30×). */
  maxCompressionRatio?: number;
  /** Most entries a 3MF package may list (default 10,000). */
  maxZipEntries?: number;
  /** Deepest nesting of 3MF components (default 16). */
  maxComponentDepth?: number;
}

export interface ResolvedParseOptions {
  unitScale: number;
  format: MeshFormat | undefined;
  maxBytes: number;
  maxTriangles: number;
  maxVertices: number;
  maxZipEntryBytes: number;
  maxCompressionRatio: number;
  maxZipEntries: number;
  maxComponentDepth: number;
}

export const DEFAULT_PARSE_LIMITS = {
  maxBytes: 1024 ** 3,
  maxTriangles: 50_000_000,
  maxVertices: 150_000_000,
  maxZipEntryBytes: 1024 ** 3,
  maxCompressionRatio: 200,
  maxZipEntries: 10_000,
  maxComponentDepth: 16,
} as const;

function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!(typeof v === 'number' && v > 0 && !Number.isNaN(v))) {
    throw new LayerwiseError('invalid_argument', `parse option ${name} must be a positive number, got ${String(v)}`);
  }
  return v;
}

export function resolveParseOptions(options: ParseOptions = {}): ResolvedParseOptions {
  const d = DEFAULT_PARSE_LIMITS;
  return {
    unitScale: options.unit === undefined ? 1 : MM_PER_UNIT[toLengthUnit(options.unit)],
    format: options.format,
    maxBytes: positive('maxBytes', options.maxBytes, d.maxBytes),
    maxTriangles: positive('maxTriangles', options.maxTriangles, d.maxTriangles),
    maxVertices: positive('maxVertices', options.maxVertices, d.maxVertices),
    maxZipEntryBytes: positive('maxZipEntryBytes', options.maxZipEntryBytes, d.maxZipEntryBytes),
    maxCompressionRatio: positive('maxCompressionRatio', options.maxCompressionRatio, d.maxCompressionRatio),
    maxZipEntries: positive('maxZipEntries', options.maxZipEntries, d.maxZipEntries),
    maxComponentDepth: positive('maxComponentDepth', options.maxComponentDepth, d.maxComponentDepth),
  };
}

/**
 * The name a limit is reported by (`details.name`): the option without its `max` prefix — `bytes`, `triangles`,
 * `vertices`, `zipEntryBytes`, `compressionRatio`, `zipEntries`, `componentDepth` — plus `memory` (the mesh did not
 * fit in memory) and, for callers that run parsers under a clock, `time`.
 */
export type LimitName =
  | 'bytes'
  | 'triangles'
  | 'vertices'
  | 'zipEntryBytes'
  | 'compressionRatio'
  | 'zipEntries'
  | 'componentDepth'
  | 'memory'
  | 'time';

export function limitName(option: string): string {
  return option.startsWith('max') ? option.charAt(3).toLowerCase() + option.slice(4) : option;
}

/**
 * Throws `limit_exceeded` when a count passes its limit (`what` names the quantity, `option` the option to raise).
 * `details`: `{ name, limit, value, option }` — `name` as in `LimitName`, `limit` the number that was exceeded.
 */
export function checkLimit(value: number, limit: number, what: string, option: string): void {
  if (value > limit) {
    throw new LayerwiseError(
      'limit_exceeded',
      `${what}: ${value} exceeds the limit of ${limit}; pass a larger ${option} if the file is trusted`,
      { details: { name: limitName(option), limit, value, option } },
    );
  }
}
