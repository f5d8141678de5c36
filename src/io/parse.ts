/**
 * The one entry point for reading meshes: `parseMesh` throws a `LayerwiseError` (`parse_error` with
 * `details.offset` or `details.line`, `limit_exceeded`, `unsupported`, `invalid_argument`); `safeParseMesh` returns
 * a `Result` — both share one implementation. Any unexpected exception inside a parser is reported as
 * `parse_error` rather than escaping as a crash.
 */
import { LayerwiseError, type Result, safely } from '../core/errors.js';
import type { Mesh } from '../core/mesh.js';
import { checkLimit, type ParseOptions, resolveParseOptions } from './parse-options.js';
import { detectFormat, parserFor } from './registry.js';

function parseMeshImpl(bytes: Uint8Array, options: ParseOptions): Mesh {
  if (!(bytes instanceof Uint8Array)) {
    throw new LayerwiseError('invalid_argument', `parseMesh needs a Uint8Array, got ${typeof bytes}`);
  }
  const o = resolveParseOptions(options);
  checkLimit(bytes.length, o.maxBytes, 'input size in bytes', 'maxBytes');
  if (bytes.length === 0)
    throw new LayerwiseError('parse_error', 'the input is empty (0 bytes)', { details: { offset: 0 } });
  const format = o.format ?? detectFormat(bytes);
  if (!format) {
    throw new LayerwiseError(
      'unsupported',
      'unrecognised mesh format: the content is not STL, OBJ, PLY, OFF or 3MF (formats are detected from content)',
      { details: { offset: 0 } },
    );
  }
  try {
    return parserFor(format).parse(bytes, o);
  } catch (e) {
    if (e instanceof LayerwiseError) throw e;
    if (e instanceof RangeError && /allocation|Array buffer|Invalid typed array length/i.test(e.message)) {
      throw new LayerwiseError('limit_exceeded', `${format}: the mesh is too large to hold in memory (${e.message})`, {
        cause: e,
        details: { name: 'memory' },
      });
    }
    throw new LayerwiseError('parse_error', `${format}: ${(e as Error)?.message ?? String(e)}`, {
      cause: e,
      details: {},
    });
  }
}

/** Parses mesh bytes of any supported format (detected from the content) into millimetre positions. */
export function parseMesh(bytes: Uint8Array, options: ParseOptions = {}): Mesh {
  return parseMeshImpl(bytes, options);
}

/** Like `parseMesh`, but returns `{ ok: true, value }` or `{ ok: false, error }` instead of throwing. */
export function safeParseMesh(bytes: Uint8Array, options: ParseOptions = {}): Result<Mesh> {
  return safely(() => parseMeshImpl(bytes, options), 'parse_error');
}

export { detectFormat } from './registry.js';
