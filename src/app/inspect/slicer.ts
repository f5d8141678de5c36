/**
 * The optional slicer engine: slices a mesh with PrusaSlicer (when `prusa-slicer` is installed) under the settings
 * of a printer profile and returns its G-code statistics (time, filament length/volume/mass, layers). The slicer
 * runs as a child process with a time limit (killed past it: `limit_exceeded`, name `time`) in a scratch folder that
 * is removed afterwards; without it the caller gets a clear `unavailable` error (details.reason `slicer_missing`). Resin printers are not sliced (PrusaSlicer's SLA export has no time estimate
 * comments to read).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LayerwiseError } from '../../core/errors.js';
import type { Mesh } from '../../core/mesh.js';
import type { PrinterProfile } from '../../core/printability.js';
import { type GcodeStats, parseGcodeStats } from '../../geometry/gcode-stats.js';
import { fdmSettingsFor } from '../../geometry/print-settings.js';
import { toPrusaIni } from '../../geometry/printer-ini.js';
import { DEFAULT_FDM } from '../../geometry/printers.js';
import { encodeStlBinary } from '../../io/encode-stl.js';

export interface SliceOptions {
  /** Executable (default `prusa-slicer` on PATH, env LAYERWISE_PRUSA_SLICER). */
  slicer?: string;
  /** Time limit, ms (default 300,000). */
  timeoutMs?: number;
}

export interface SliceResult extends GcodeStats {
  printer: string;
  /** Seconds the slicer ran. */
  sliceSeconds: number;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 << 20 }, (err, _out, stderr) => {
      if (!err) return resolve();
      const e = err as NodeJS.ErrnoException & { killed?: boolean };
      if (e.code === 'ENOENT') {
        return reject(
          new LayerwiseError(
            'unavailable',
            `the slicer "${cmd}" is not installed: install PrusaSlicer (apt-get install prusa-slicer) or set ` +
              'LAYERWISE_PRUSA_SLICER to its path',
            { details: { reason: 'slicer_missing', command: cmd } },
          ),
        );
      }
      if (e.killed) {
        return reject(
          new LayerwiseError('limit_exceeded', `the slicer ran past its ${timeoutMs / 1000} s limit`, {
            details: { name: 'time', limitMs: timeoutMs },
          }),
        );
      }
      reject(
        new LayerwiseError('internal', `the slicer failed: ${String(stderr).trim().split('\n').slice(-3).join(' ')}`),
      );
    });
  });
}

/** Slices `mesh` (mm, as stored) for `printer` (default: the generic FDM printer) and reads the G-code statistics. */
export async function sliceMesh(
  mesh: Pick<Mesh, 'positions' | 'indices'>,
  printer: PrinterProfile | undefined,
  options: SliceOptions = {},
): Promise<SliceResult> {
  const p = printer ?? DEFAULT_FDM;
  if (p.technology === 'resin') {
    throw new LayerwiseError('unsupported', `slicing is for FDM printers; ${p.id} is a resin printer`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'layerwise-slice-'));
  try {
    const stl = join(dir, 'part.stl');
    const ini = join(dir, 'profile.ini');
    const gcode = join(dir, 'part.gcode');
    await writeFile(stl, encodeStlBinary(mesh));
    await writeFile(ini, toPrusaIni(p, fdmSettingsFor(p)));
    const t0 = Date.now();
    const slicer = options.slicer ?? process.env.LAYERWISE_PRUSA_SLICER ?? 'prusa-slicer';
    await run(slicer, ['--export-gcode', '--load', ini, '-o', gcode, stl], options.timeoutMs ?? 300_000);
    const stats = parseGcodeStats(await readFile(gcode, 'utf8'));
    return { ...stats, printer: p.id, sliceSeconds: (Date.now() - t0) / 1000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
