/**
 * The work an uploaded mesh needs before anything is stored or answered — parse with the server's limits, check that
 * it has triangles, optionally analyse its printability and render a thumbnail — as one pure function. It runs inside
 * a sandbox worker (mesh-pool.ts) with its own heap limit and a wall-clock limit, and in-thread only where the caller
 * asks for that (tests, trusted CLI work). Never throws: failures come back as `{ ok: false, error }` with the
 * `LayerwiseError`'s code, message and details (limits by name, see io/parse-options.ts).
 */
import { type ErrorDetails, LayerwiseError, toLayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import type { PrintabilityReport } from '../../core/printability.js';
import { type AnalyzeOptions, analyzeMesh } from '../../geometry/analyze.js';
import { renderThumbnail } from '../../geometry/render-thumbnail.js';
import { parseMesh } from '../../io/parse.js';
import type { ParseOptions } from '../../io/parse-options.js';
import { type ShapeEncoder, toPrepared } from '../../models/shape/index.js';

export interface MeshTask {
  /** Parser options: the unit and the limits (`maxBytes`, `maxTriangles`, `maxVertices`, `maxZipEntryBytes`, …). */
  parse?: ParseOptions;
  /** Analyse printability with these options (`printer` is a plain profile object); absent = no report. */
  analyze?: AnalyzeOptions;
  /** Render a PNG thumbnail this many pixels wide (0/absent = none); a mesh that cannot be drawn just has none. */
  thumbnailSize?: number;
  /** Send the parsed mesh back (positions/indices are transferred, not copied). Default false. */
  returnMesh?: boolean;
  /**
   * Embed the mesh with the pool's shape encoder (`MeshPoolOptions.encoder`), as `embedMesh` (app/shapes/embed.ts)
   * does on the request thread. An encoder failure does not fail the task: it comes back as `embedError`, so the
   * caller still sees the printability report first (an unusable mesh is refused for that, not for its embedding).
   */
  embed?: boolean;
}

export interface MeshTaskOutput {
  format: Mesh['format'];
  triangles: number;
  vertices: number;
  report?: PrintabilityReport;
  thumbnail?: Uint8Array;
  mesh?: Mesh;
  /** The shape embedding (`task.embed`). */
  vector?: Float32Array;
  /** Why the embedding failed (`task.embed`), or that the pool has no encoder. */
  embedError?: SerializedError;
}

export interface SerializedError {
  code: LayerwiseError['code'];
  message: string;
  details: ErrorDetails;
}

export type MeshTaskResult = { ok: true; value: MeshTaskOutput } | { ok: false; error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  const err = toLayerwiseError(e, 'parse_error');
  return { code: err.code, message: err.message, details: { ...err.details } };
}

export function deserializeError(e: SerializedError): LayerwiseError {
  return new LayerwiseError(e.code, e.message, { details: e.details });
}

export function runMeshTask(bytes: Uint8Array, task: MeshTask = {}, encoder?: ShapeEncoder): MeshTaskResult {
  try {
    const mesh = parseMesh(bytes, task.parse);
    const triangles = mesh.indices.length / 3;
    if (triangles === 0) throw new LayerwiseError('parse_error', 'the mesh has no triangles');
    const value: MeshTaskOutput = { format: mesh.format, triangles, vertices: mesh.positions.length / 3 };
    if (task.analyze) value.report = analyzeMesh(mesh, task.analyze);
    if (task.thumbnailSize) {
      try {
        value.thumbnail = renderThumbnail(mesh, { size: task.thumbnailSize });
      } catch {
        // a degenerate mesh has no thumbnail; the item is still valid
      }
    }
    if (task.embed) {
      try {
        if (encoder === undefined) throw new LayerwiseError('unavailable', 'the mesh workers have no shape encoder');
        // a copy of its own: the result's buffers are transferred, never an encoder's scratch memory
        value.vector = new Float32Array(encoder.embedShape(toPrepared(mesh)));
      } catch (e) {
        value.embedError = serializeError(e);
      }
    }
    if (task.returnMesh) value.mesh = mesh;
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: serializeError(e) };
  }
}

/** The ArrayBuffers of a result that can move to another thread without a copy. */
export function transferables(result: MeshTaskResult): ArrayBuffer[] {
  if (!result.ok) return [];
  const out: ArrayBuffer[] = [];
  const { mesh, thumbnail, vector } = result.value;
  if (mesh) out.push(mesh.positions.buffer as ArrayBuffer, mesh.indices.buffer as ArrayBuffer);
  if (thumbnail) out.push(thumbnail.buffer as ArrayBuffer);
  if (vector) out.push(vector.buffer as ArrayBuffer);
  return [...new Set(out)];
}
