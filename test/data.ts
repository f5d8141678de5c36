/**
 * Where the shared real data lives (`../shared/data` from the repository root, or LAYERWISE_SHARED_DATA).
 * Data tests call `describeData(...)`/`hasData(...)` and skip with a message when it is absent (a user's machine).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const sharedDataDir = process.env.LAYERWISE_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

/** Absolute path of a file or folder inside the shared data. */
export function dataPath(...parts: string[]): string {
  return join(sharedDataDir, ...parts);
}

/** True when the shared data folder (or the given sub-path) exists; prints why a test will be skipped otherwise. */
export function hasData(...parts: string[]): boolean {
  const p = dataPath(...parts);
  const ok = existsSync(p);
  if (!ok) console.warn(`skipping: shared data not found at ${p} (set LAYERWISE_SHARED_DATA)`);
  return ok;
}
