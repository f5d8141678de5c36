/**
 * The CPU-heavy half of model ingest, identical in a worker thread and in-thread: parse the bytes (format detected
 * from the content) and compute the printability report. Never throws: failures come back as `{ error }`.
 */
import { toLayerwiseError } from '../core/errors.js';
import { analyzeMesh } from '../geometry/analyze.js';
import type { PrintabilityReport } from '../geometry/types.js';
import { parseMesh } from '../io/parse.js';

export type WorkResult =
  | { ok: true; format: string; report: PrintabilityReport }
  | { ok: false; error: { code: string; message: string } };

export function processModelBytes(bytes: Uint8Array): WorkResult {
  try {
    const mesh = parseMesh(bytes);
    const report = analyzeMesh(mesh);
    return { ok: true, format: mesh.format, report };
  } catch (e) {
    const err = toLayerwiseError(e);
    return { ok: false, error: { code: err.code, message: err.message } };
  }
}
