/**
 * `layerwise inspect <files…>`: parses flags, runs the inspect use case (app/inspect) on each file and prints the
 * printability reports — a table, or with `--json` an array with one object per file. A file that cannot be read or
 * parsed is reported (ok: false) and the others go on; the exit status is 1 when any file failed.
 */
import {
  type FitOrientation,
  type InspectRow,
  inspectFile,
  loadPrinter,
  printerIds,
  toLengthUnit,
} from '../../app/inspect/inspect.js';
import type { PrinterProfile } from '../../core/printability.js';
import { numberFlag } from '../flags.js';
import { formatMinutes, formatNumber, formatTable } from '../format-table.js';
import type { RegisterCommand } from './types.js';

/** Orientation that made a part fit, kept beside its row for the table (the JSON row stays exactly as documented). */
const orientations = new WeakMap<InspectRow, FitOrientation>();

/** "yes", "yes, turned 45°", "yes, on its side" … for the table. */
function describeFit(row: InspectRow): string {
  if (row.fitsPrinter === null) return '-';
  if (!row.fitsPrinter) return 'NO';
  const o = orientations.get(row);
  if (!o) return 'yes';
  const parts = ['yes'];
  if (o.axes[2] !== 2) parts.push('on its side');
  if (o.rotationZDeg !== 0) parts.push(`turned ${o.rotationZDeg}°`);
  return parts.join(', ');
}

function table(rows: InspectRow[], printer: PrinterProfile | undefined): string {
  const head = printer
    ? `printer: ${printer.id} (${printer.buildVolumeMm.join(' × ')} mm)\n`
    : 'printer: none (time for a generic FDM printer; pass --printer)\n';
  const cols = [
    { header: 'file' },
    { header: 'format' },
    { header: 'triangles', align: 'right' as const },
    { header: 'shells', align: 'right' as const },
    { header: 'watertight' },
    { header: 'volume cm³', align: 'right' as const },
    { header: 'size mm' },
    { header: 'overhang cm²', align: 'right' as const },
    { header: 'fits' },
    { header: 'mass g', align: 'right' as const },
    { header: 'time', align: 'right' as const },
    { header: 'warnings' },
  ];
  const cells = rows
    .filter((r) => r.ok)
    .map((r) => [
      r.file,
      r.format ?? '',
      formatNumber(r.triangles ?? 0),
      String(r.shells),
      r.watertight ? 'yes' : `no (${r.openEdges} open, ${r.nonManifoldEdges} non-manifold)`,
      formatNumber((r.volumeMm3 ?? 0) / 1000, 2),
      (r.bboxMm ?? []).map((v) => formatNumber(v, 1)).join(' × '),
      formatNumber((r.overhangAreaMm2 ?? 0) / 100, 2),
      describeFit(r),
      formatNumber(r.massG ?? 0, 1),
      formatMinutes(r.printMinutes ?? 0),
      r.warnings.map((w) => w.code).join(', '),
    ]);
  const failed = rows.filter((r) => !r.ok).map((r) => `${r.file}: ${r.error?.code}: ${r.error?.message}\n`);
  return head + formatTable(cols, cells) + (failed.length > 0 ? `\nfailed:\n${failed.join('')}` : '');
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('inspect')
    .description('printability report of mesh files (STL, OBJ, PLY, OFF, 3MF): size, holes, overhangs, fit, mass, time')
    .argument('<files...>', 'mesh files; the format is detected from the content')
    .option('--printer <id>', `built-in printer profile: ${printerIds().join(', ')}`)
    .option('--printer-file <file>', 'custom printer profile as JSON ({id, name, technology, buildVolumeMm, …})')
    .option('--json', 'print a JSON array with one object per file')
    .option('--units <unit>', 'unit of STL/OBJ/PLY/OFF coordinates: mm, cm, m, inch (3MF declares its own)', 'mm')
    .option('--overhang-angle <deg>', 'overhang limit in degrees from vertical, 0–90', '45')
    .action(async (files: string[], opts: Record<string, string | boolean | undefined>) => {
      const angle = numberFlag('overhang-angle', String(opts.overhangAngle), { min: 0, max: 90 });
      const unit = String(opts.units);
      toLengthUnit(unit); // throws invalid_argument naming the valid units
      const printer = await loadPrinter(opts.printer as string | undefined, opts.printerFile as string | undefined);
      const rows: InspectRow[] = [];
      for (const file of files) {
        const r = await inspectFile(file, { unit, overhangAngleDeg: angle, ...(printer ? { printer } : {}) });
        if (r.fitOrientation) orientations.set(r.row, r.fitOrientation);
        rows.push(r.row);
      }
      ctx.io.out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : table(rows, printer));
      if (rows.some((r) => !r.ok)) ctx.setExitCode(1);
    });
};
