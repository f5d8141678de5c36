/**
 * The CPU-heavy half of model ingest, identical in a worker thread and in-thread: parse the bytes (format detected
 * from the content), compute the printability report and, when asked, render the PNG thumbnail. Never throws:
 * failures come back as `{ error }`; a mesh that parses but cannot be drawn simply has no thumbnail.
 */
import { toLayerwiseError } from '../../core/errors.js';
import type { PrintabilityReport } from '../../core/printability.js';
import { analyzeMesh } from '../../geometry/analyze.js';
import { renderThumbnail } from '../../geometry/render-thumbnail.js';
import { parseMesh } from '../../io/parse.js';

export interface WorkOptions {
  /** Thumbnail edge in pixels; 0 or absent = no thumbnail. */
  thumbnailSize?: number;
}

export type WorkResult =
  | { ok: true; format: string; report: PrintabilityReport; thumbnail?: Uint8Array }
  | { ok: false; error: { code: string; message: string } };

export function processModelBytes(bytes: Uint8Array, options: WorkOptions = {}): WorkResult {
  try {
    const mesh = parseMesh(bytes);
    const report = analyzeMesh(mesh);
    const result: WorkResult = { ok: true, format: mesh.format, report };
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
    return { ok: false, error: { code: err.code, message: err.message } };
  }
}
