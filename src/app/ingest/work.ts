/**
 * The CPU-heavy stage of the one per-file pipeline (pipeline.ts), identical in a worker thread and in-thread: parse
 * the bytes (format detected from the content) within the given limits, compute the printability report and, when
 * asked, render the PNG thumbnail. Never throws: failures come back as `{ ok: false, error }`; a mesh that parses
 * but cannot be drawn simply has no thumbnail.
 */
import { toLayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import type { PrintabilityReport } from '../../core/printability.js';
import { analyzeMesh } from '../../geometry/analyze.js';
import { renderThumbnail } from '../../geometry/render-thumbnail.js';
import { parseMesh } from '../../io/parse.js';
import type { ParseOptions } from '../../io/parse-options.js';

export interface WorkOptions {
  /** Thumbnail edge in pixels; 0 or absent = no thumbnail. */
  thumbnailSize?: number;
  /** Parser limits (bytes, triangles, vertices, zip entries); the parser's library-wide defaults when absent. */
  limits?: Pick<ParseOptions, 'maxBytes' | 'maxTriangles' | 'maxVertices' | 'maxZipEntryBytes'>;
  /** Return the parsed mesh too (in-thread callers that embed it next; never across a worker boundary). */
  keepMesh?: boolean;
}

export type WorkResult =
  | { ok: true; format: string; report: PrintabilityReport; thumbnail?: Uint8Array; mesh?: Mesh }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

export function processModelBytes(bytes: Uint8Array, options: WorkOptions = {}): WorkResult {
  try {
    const mesh = parseMesh(bytes, options.limits ?? {});
    const report = analyzeMesh(mesh);
    const result: WorkResult = { ok: true, format: mesh.format, report };
    if (options.keepMesh) result.mesh = mesh;
    if (options.thumbnailSize && mesh.indices.length > 0) {
      try {
        result.thumbnail = renderThumbnail(mesh, { size: options.thumbnailSize });
      } catch {
        // drawn later on request, or shown as missing
      }
    }
    return result;
  } catch (e) {
    const err = toLayerwiseError(e);
    return {
      ok: false,
      error: {
        code: err.code,
        message: err.message,
        ...(Object.keys(err.details).length > 0 ? { details: err.details } : {}),
      },
    };
  }
}
