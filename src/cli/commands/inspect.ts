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
  const details = rows
    .filter((r) => r.ok)
    .map(detail)
    .filter((d) => d !== '');
  return (
    head +
    formatTable(cols, cells) +
    (details.length > 0 ? `\n${details.join('\n')}` : '') +
    (failed.length > 0 ? `\nfailed:\n${failed.join('')}` : '')
  );
}

/** Per-file lines under the table: thin walls, intersections, best orientation, the slicer's figures, advice. */
function detail(r: InspectRow): string {
  const out: string[] = [];
  const t = r.thinWalls;
  if (t && t.areaMm2 > 0) {
    const where = t.regions[0]?.centerMm.map((v) => formatNumber(v, 1)).join(', ');
    out.push(
      `  thin walls: ${formatNumber(t.areaMm2, 0)} mm² under ${formatNumber(t.minWidthMm, 2)} mm (thinnest ` +
        `${formatNumber(t.minThicknessMm ?? 0, 2)} mm; largest region at ${where})`,
    );
  }
  const x = r.selfIntersections;
  if (x && x.pairs > 0) out.push(`  self-intersections: ${x.pairs} face pairs in ${x.regions.length} place(s)`);
  const b = r.bestOrientation;
  if (b) {
    out.push(
      `  best orientation: up = (${b.up.map((v) => formatNumber(v, 2)).join(', ')}), support ` +
        `${formatNumber(b.supportAreaBeforeMm2 / 100, 2)} → ${formatNumber(b.supportAreaMm2 / 100, 2)} cm², ` +
        `${formatNumber(b.heightMm, 1)} mm high, ${formatMinutes(b.printMinutes)}${b.stable ? '' : ', no stable base'}`,
    );
  }
  const s = r.slicer;
  if (s && 'error' in s) out.push(`  slicer: ${s.error.code}: ${s.error.message}`);
  else if (s) {
    out.push(
      `  PrusaSlicer: ${formatMinutes(s.printSeconds / 60)}, ${formatNumber(s.filamentCm3, 2)} cm³ ` +
        `(${formatNumber(s.filamentMm / 1000, 2)} m), ${s.layers} layers — ours: ${formatMinutes(r.printMinutes ?? 0)}, ` +
        `${formatNumber(r.materialCm3 ?? 0, 2)} cm³`,
    );
  }
  for (const a of r.advice) out.push(`  - ${a}`);
  return out.length > 0 ? `${r.file}\n${out.join('\n')}` : '';
}

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('inspect')
    .description('printability report of mesh files (STL, OBJ, PLY, OFF, 3MF): size, holes, overhangs, fit, mass, time')
    .argument('<files...>', 'mesh files; the format is detected from the content')
    .option('--printer <id>', `built-in printer profile: ${printerIds().join(', ')}`)
    .option(
      '--printer-file <file>',
      'custom printer profile: JSON ({id, name, technology, buildVolumeMm, …}) or a PrusaSlicer .ini (Export Config)',
    )
    .option('--slice', 'also slice with PrusaSlicer (if installed) and show its time and filament beside ours')
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
        const r = await inspectFile(file, {
          unit,
          overhangAngleDeg: angle,
          slice: opts.slice === true,
          ...(printer ? { printer } : {}),
        });
        if (r.fitOrientation) orientations.set(r.row, r.fitOrientation);
        rows.push(r.row);
      }
      ctx.io.out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : table(rows, printer));
      if (rows.some((r) => !r.ok)) ctx.setExitCode(1);
    });
};
