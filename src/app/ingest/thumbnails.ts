/**
 * Where item thumbnails live: `<dataDir>/thumbnails/<item id>.png`, written at ingest (rendered in the ingest
 * workers from the parsed mesh) and, for items that have none, on first request by the file service.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const THUMBNAIL_SIZE = 256;

/** A file-name-safe form of an id or file name. */
export const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'file';

export function thumbnailPath(dataDir: string, itemId: string): string {
  return join(dataDir, 'thumbnails', `${safeName(itemId)}.png`);
}

export async function writeThumbnail(dataDir: string, itemId: string, png: Uint8Array): Promise<void> {
  const path = thumbnailPath(dataDir, itemId);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, png);
}
