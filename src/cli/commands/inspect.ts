/**
 * `layerwise inspect <files…>`: parse each mesh file and print its printability report — a table, or with `--json`
 * an array with one object per file. A file that cannot be read or parsed is reported (ok: false) and the others go
 * on; the exit status is 1 when any file failed.
 */
import { readFile } from 'node:fs/promises';
import { LayerwiseError, safely, toLayerwiseError } from '../../core/errors.js';
import { analyzeMesh } from '../../geometry/analyze.js';
import type { FitOrientation } from '../../geometry/fit.js';
import { getPrinter, parsePrinterProfile, printerIds } from '../../geometry/printers.js';
import type { PrinterProfile } from '../../geometry/types.js';
import { safeParseMesh } from '../../io/parse.js';
import { toLengthUnit } from '../../io/units.js';
import { formatMinutes, formatNumber, formatTable, roundTo } from '../format-table.js';
import type { RegisterCommand } from './types.js';

/** One file's entry in `inspect --json` (numbers in mm, mm², mm³, g, minutes; null when the file failed). */
export interface InspectRow {
  file: string;
  ok: boolean;
  error?: { code: string; message: string };
  format: string | null;
  triangles: number | null;
  vertices: number | null;
  shells: number | null;
  watertight: boolean | null;
  openEdges: number | null;
  nonManifoldEdges: number | null;
  volumeMm3: number | null;
  areaMm2: number | null;
  bboxMm: [number, number, number] | null;
  overhangAreaMm2: number | null;
  fitsPrinter: boolean | null;
  massG: number | null;
  printMinutes: number | null;
  warnings: { code: string; message: string; count?: number }[];
}

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

interface InspectOptions {
  printer?: PrinterProfile;
  unit: string;
  overhangAngleDeg: number;
}

function failedRow(file: string, e: unknown): InspectRow {
  const err = toLayerwiseError(e);
  return {
    file,
    ok: false,
    error: { code: err.code, message: err.message },
    format: null,
    triangles: null,
    vertices: null,
    shells: null,
    watertight: null,
    openEdges: null,
    nonManifoldEdges: null,
    volumeMm3: null,
    areaMm2: null,
    bboxMm: null,
    overhangAreaMm2: null,
    fitsPrinter: null,
    massG: null,
    printMinutes: null,
    warnings: [],
  };
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LayerwiseError('not_found', `no such file: ${file}`, { cause: e });
    throw new LayerwiseError('io_error', `cannot read ${file}: ${code ?? String(e)}`, { cause: e });
  }
}

/** Reads, parses and analyses one file; never throws. */
export async function inspectFile(file: string, o: InspectOptions): Promise<InspectRow> {
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(file);
  } catch (e) {
    return failedRow(file, e);
  }
  const parsed = safeParseMesh(bytes, { unit: o.unit });
  if (!parsed.ok) return failedRow(file, parsed.error);
  const mesh = parsed.value;
  const analysed = safely(() =>
    analyzeMesh(mesh, { overhangAngleDeg: o.overhangAngleDeg, ...(o.printer ? { printer: o.printer } : {}) }),
  );
  if (!analysed.ok) return failedRow(file, analysed.error);
  const r = analysed.value;
  const row: InspectRow = {
    file,
    ok: true,
    format: mesh.format,
    triangles: r.triangles,
    vertices: r.vertices,
    shells: r.shells,
    watertight: r.watertight,
    openEdges: r.openEdges,
    nonManifoldEdges: r.nonManifoldEdges,
    volumeMm3: roundTo(r.volumeMm3),
    areaMm2: roundTo(r.areaMm2),
    bboxMm: [roundTo(r.bboxMm[0]), roundTo(r.bboxMm[1]), roundTo(r.bboxMm[2])],
    overhangAreaMm2: roundTo(r.overhangAreaMm2),
    fitsPrinter: r.fitsPrinter,
    massG: roundTo(r.massG, 2),
    printMinutes: roundTo(r.printMinutes, 1),
    warnings: r.warnings,
  };
  if (r.fitOrientation) orientations.set(row, r.fitOrientation);
  return row;
}

async function loadPrinter(name: string | undefined, file: string | undefined): Promise<PrinterProfile | undefined> {
  if (name !== undefined && file !== undefined) {
    throw new LayerwiseError('invalid_argument', 'pass either --printer or --printer-file, not both');
  }
  if (name !== undefined) return getPrinter(name);
  if (file === undefined) return undefined;
  const text = new TextDecoder().decode(await readBytes(file));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new LayerwiseError('invalid_argument', `--printer-file ${file} is not valid JSON: ${String(e)}`, {
      cause: e,
    });
  }
  return parsePrinterProfile(json);
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
      const angle = Number(opts.overhangAngle);
      if (!(angle >= 0 && angle <= 90)) {
        throw new LayerwiseError(
          'invalid_argument',
          `--overhang-angle must be 0–90 degrees, got ${opts.overhangAngle}`,
        );
      }
      const unit = String(opts.units);
      toLengthUnit(unit); // throws invalid_argument naming the valid units
      const printer = await loadPrinter(opts.printer as string | undefined, opts.printerFile as string | undefined);
      const rows: InspectRow[] = [];
      for (const file of files) {
        rows.push(await inspectFile(file, { unit, overhangAngleDeg: angle, ...(printer ? { printer } : {}) }));
      }
      ctx.io.out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : table(rows, printer));
      if (rows.some((r) => !r.ok)) ctx.setExitCode(1);
    });
};
