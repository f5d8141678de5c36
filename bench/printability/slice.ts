/**
 * Slices every benchmark part with PrusaSlicer (the peer) under bench/printability/profile.ini and caches the
 * G-code statistics per part+profile as JSON under the scratch folder (the G-code itself is deleted). Re-runs only
 * slice what is missing. Slow (seconds per part): run it in the background, e.g.
 *
 *   LAYERWISE_SHARED_DATA=/work/shared/data nohup nice npx tsx bench/printability/slice.ts --jobs 1 &
 *
 * Options: --scratch DIR (default /tmp/layerwise-printability), --jobs N (parallel slicers, default 1),
 * --demo N (demo models, default 50), --timeout S (per part, default 600).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGcodeStats } from '../../src/geometry/gcode-stats.js';
import { sharedDataDir } from '../../test/data.js';
import { demoParts, type Part, sliceKey, voronParts } from './parts.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
export const PROFILE = new URL('./profile.ini', import.meta.url).pathname;
const scratch = opt('scratch', '/tmp/layerwise-printability');
const jobs = Number(opt('jobs', '1'));
const timeoutS = Number(opt('timeout', '600'));
const cacheDir = join(scratch, 'slices');
mkdirSync(cacheDir, { recursive: true });
const profile = readFileSync(PROFILE);

function run(part: Part): Promise<void> {
  const key = sliceKey(part.file, profile);
  const out = join(cacheDir, `${key}.json`);
  if (existsSync(out)) return Promise.resolve();
  const gcode = join(scratch, `${key}.gcode`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      'prusa-slicer',
      ['--export-gcode', '--load', PROFILE, '-o', gcode, part.file],
      { timeout: timeoutS * 1000, maxBuffer: 64 << 20 },
      (err, _stdout, stderr) => {
        const seconds = (Date.now() - t0) / 1000;
        let record: object;
        try {
          if (err) throw new Error(`${err.message}\n${stderr.slice(-500)}`);
          record = {
            name: part.name,
            ok: true,
            sliceSeconds: seconds,
            ...parseGcodeStats(readFileSync(gcode, 'utf8')),
          };
        } catch (e) {
          record = { name: part.name, ok: false, sliceSeconds: seconds, error: String(e).slice(0, 800) };
        }
        rmSync(gcode, { force: true });
        writeFileSync(out, JSON.stringify(record));
        console.log(`${new Date().toISOString()} ${seconds.toFixed(1)}s ${part.name}`);
        resolve();
      },
    );
  });
}

const parts = [...voronParts(sharedDataDir), ...(await demoParts(scratch, Number(opt('demo', '50'))))];
writeFileSync(join(scratch, 'parts.json'), JSON.stringify(parts, null, 1));
let next = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < parts.length) await run(parts[next++]!);
  }),
);
console.log(`done: ${parts.length} parts`);
