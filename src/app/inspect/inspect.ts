/**
 * The inspect use case: read, parse and analyse mesh files for printability (size, holes, overhangs, fit, mass,
 * time) — one row per file, a failed file reported in its row, never thrown — and load printer profiles.
 */
import { readFile } from 'node:fs/promises';
import { LayerwiseError, safely, toLayerwiseError } from '../../core/errors.js';
import type { PrintabilityReport, PrinterProfile } from '../../core/printability.js';
import { analyzeMesh } from '../../geometry/analyze.js';
import type { FitOrientation } from '../../geometry/fit.js';
import { parsePrusaIni } from '../../geometry/printer-ini.js';
import { getPrinter, parsePrinterProfile, printerIds } from '../../geometry/printers.js';
import { safeParseMesh } from '../../io/parse.js';
import { toLengthUnit } from '../../io/units.js';
import { type SliceResult, sliceMesh } from './slicer.js';

export type { FitOrientation };
export { printerIds, toLengthUnit };

/** Rounds to `digits` decimals (the JSON rows carry no float noise). */
function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

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
  /** Filament (FDM) or resin, cm³; filament length in mm (null for resin); layers. */
  materialCm3: number | null;
  filamentMm: number | null;
  layers: number | null;
  /** Walls thinner than the printer's minimum feature: area, thinnest, threshold, and where (largest first). */
  thinWalls: PrintabilityReport['thinWalls'];
  selfIntersections: PrintabilityReport['selfIntersections'] | null;
  degenerate: PrintabilityReport['degenerate'] | null;
  bestOrientation: PrintabilityReport['bestOrientation'];
  advice: string[];
  /** PrusaSlicer's own figures with --slice (null without it); `error` when slicing failed. */
  slicer: (SliceResult | { error: { code: string; message: string } }) | null;
  warnings: { code: string; message: string; count?: number }[];
}

export interface InspectOptions {
  printer?: PrinterProfile;
  /** Also slice with PrusaSlicer (time-limited child process) and report its statistics. */
  slice?: boolean;
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
    materialCm3: null,
    filamentMm: null,
    layers: null,
    thinWalls: null,
    selfIntersections: null,
    degenerate: null,
    bestOrientation: null,
    advice: [],
    slicer: null,
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

/** One file's outcome: its JSON row, and the orientation that made it fit (for display). */
export interface Inspected {
  row: InspectRow;
  fitOrientation?: FitOrientation;
}

/** Reads, parses and analyses one file; never throws. */
export async function inspectFile(file: string, o: InspectOptions): Promise<Inspected> {
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(file);
  } catch (e) {
    return { row: failedRow(file, e) };
  }
  const parsed = safeParseMesh(bytes, { unit: o.unit });
  if (!parsed.ok) return { row: failedRow(file, parsed.error) };
  const mesh = parsed.value;
  const analysed = safely(() =>
    analyzeMesh(mesh, { overhangAngleDeg: o.overhangAngleDeg, ...(o.printer ? { printer: o.printer } : {}) }),
  );
  if (!analysed.ok) return { row: failedRow(file, analysed.error) };
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
    volumeMm3: round(r.volumeMm3),
    areaMm2: round(r.areaMm2),
    bboxMm: [round(r.bboxMm[0]), round(r.bboxMm[1]), round(r.bboxMm[2])],
    overhangAreaMm2: round(r.overhangAreaMm2),
    fitsPrinter: r.fitsPrinter,
    massG: round(r.massG, 2),
    printMinutes: round(r.printMinutes, 1),
    materialCm3: round(r.materialCm3 ?? 0, 3),
    filamentMm: r.filamentMm == null ? null : round(r.filamentMm, 0),
    layers: r.layers ?? null,
    thinWalls: r.thinWalls ?? null,
    selfIntersections: r.selfIntersections ?? null,
    degenerate: r.degenerate ?? null,
    bestOrientation: r.bestOrientation ?? null,
    advice: r.advice ?? [],
    slicer: null,
    warnings: r.warnings,
  };
  if (o.slice) {
    try {
      row.slicer = await sliceMesh(mesh, o.printer);
    } catch (e) {
      const err = toLayerwiseError(e);
      row.slicer = { error: { code: err.code, message: err.message } };
    }
  }
  return r.fitOrientation ? { row, fitOrientation: r.fitOrientation } : { row };
}

/** A built-in profile by id, or a profile file (JSON, or a PrusaSlicer `.ini`); neither → undefined. */
export async function loadPrinter(
  name: string | undefined,
  file: string | undefined,
): Promise<PrinterProfile | undefined> {
  if (name !== undefined && file !== undefined) {
    throw new LayerwiseError('invalid_argument', 'pass either --printer or --printer-file, not both');
  }
  if (name !== undefined) return getPrinter(name);
  if (file === undefined) return undefined;
  const text = new TextDecoder().decode(await readBytes(file));
  if (file.toLowerCase().endsWith('.ini') || !text.trimStart().startsWith('{')) {
    return parsePrusaIni(text, file.replace(/^.*[/\\]/, '').replace(/\.ini$/i, ''));
  }
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
