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
  if (file === undefined) {
    throw new LayerwiseError('invalid_argument', 'the multipart body has no file part; add the mesh as field "file"');
  }
  if (file.bytes.length === 0) throw new LayerwiseError('parse_error', `the uploaded file ${file.filename} is empty`);
  return { file, fields };
}
