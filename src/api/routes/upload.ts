/**
 * Reads a multipart upload: exactly one file part (the mesh) plus optional text fields. The file size limit is
 * enforced by @fastify/multipart while streaming (413 via the error mapping); a missing file is a 400.
 */
import type { FastifyRequest } from 'fastify';
import type { UploadedFile } from '../../app/serve/types.js';
import { LayerwiseError } from '../../core/errors.js';

export interface Upload {
  file: UploadedFile;
  fields: Record<string, string>;
}

export async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new LayerwiseError(
      'invalid_argument',
      `expected a multipart/form-data body with a "file" part; got content-type ${request.headers['content-type'] ?? 'none'}`,
    );
  }
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  try {
    file = await readParts(request, fields);
  } catch (e) {
    throw malformed(e);
  }
  if (file === undefined) {
    throw new LayerwiseError('invalid_argument', 'the multipart body has no file part; add the mesh as field "file"');
  }
  if (file.bytes.length === 0) throw new LayerwiseError('parse_error', `the uploaded file ${file.filename} is empty`);
  return { file, fields };
}

/**
 * A truncated or malformed multipart body (busboy's "Unexpected end of form", a bad part header, a missing boundary)
 * is the client's fault: 400, never a 500. Size limits keep their own mapping (413), typed errors pass through.
 */
function malformed(e: unknown): unknown {
  if (e instanceof LayerwiseError) return e;
  const err = e as { code?: string; statusCode?: number; message?: string };
  if (err.statusCode === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') return e;
  if (err.code === 'FST_FILES_LIMIT' || err.code === 'FST_FIELDS_LIMIT' || err.code === 'FST_PARTS_LIMIT') {
    return new LayerwiseError('invalid_argument', `${err.message}; send one file and at most 20 fields`, { cause: e });
  }
  return new LayerwiseError('invalid_argument', `malformed multipart body: ${err.message ?? String(e)}`, {
    cause: e,
  });
}

async function readParts(request: FastifyRequest, fields: Record<string, string>): Promise<UploadedFile | undefined> {
  let file: UploadedFile | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (file !== undefined) throw new LayerwiseError('invalid_argument', 'send one file per request');
      file = {
        filename: part.filename || 'upload',
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      };
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  return file;
}
