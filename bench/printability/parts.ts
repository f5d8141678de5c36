/**
 * The benchmark's parts: every STL of the Voron set (shared data) plus demo models made in-process by the demo
 * generator and written as binary STL (one file per model, its parts merged) under the scratch folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateDemo } from '../../src/demo/index.js';
import { encodeStlBinary } from '../../src/io/encode-stl.js';
import { parseMesh } from '../../src/io/parse.js';

export interface Part {
  /** Short name used in the table: `voron/<relative path>` or `demo/<file>`. */
  name: string;
  set: 'voron' | 'demo';
  file: string;
}

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return walk(p, keep);
      return keep(f) ? [p] : [];
    });
}

export function voronParts(dataDir: string): Part[] {
  const root = join(dataDir, 'voron-stl');
  return walk(root, (f) => f.toLowerCase().endsWith('.stl')).map((file) => ({
    name: `voron/${relative(root, file)}`,
    set: 'voron',
    file,
  }));
}

/** Generates `count` demo models (seed 20, every item its own design) and converts them to STL once. */
export async function demoParts(scratch: string, count: number): Promise<Part[]> {
  const stlDir = join(scratch, `demo-stl-${count}`);
  if (!existsSync(join(stlDir, 'done'))) {
    const out = join(scratch, `demo-${count}`);
    await generateDemo({ out, items: count, users: 5, seed: 20, reuse: 1 });
    mkdirSync(stlDir, { recursive: true });
    for (const file of walk(join(out, 'models'), (f) => /\.(stl|3mf)$/i.test(f))) {
      const mesh = parseMesh(readFileSync(file));
      const base = relative(join(out, 'models'), file)
        .replace(/[/\\]/g, '_')
        .replace(/\.(stl|3mf)$/i, '.stl');
      writeFileSync(join(stlDir, base), encodeStlBinary(mesh));
    }
    writeFileSync(join(stlDir, 'done'), '');
  }
  return walk(stlDir, (f) => f.endsWith('.stl')).map((file) => ({
    name: `demo/${relative(stlDir, file)}`,
    set: 'demo',
    file,
  }));
}

/** Cache key of one slice: the part's bytes and the profile's bytes. */
export function sliceKey(file: string, profile: Uint8Array): string {
  return createHash('sha256').update(readFileSync(file)).update(profile).digest('hex').slice(0, 20);
}
