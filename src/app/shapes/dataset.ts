/**
 * Labelled shape collections for retrieval evaluation: a folder of meshes plus a CSV naming each file (column
 * `stl_path` or `path`, relative to the folder) and its class (any column, e.g. `family`, `assembly`). Files are
 * parsed and prepared once (geometry/descriptors-features.ts); unreadable files are collected as errors, not fatal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { LayerwiseError, toLayerwiseError } from '../../core/errors.js';
import type { PreparedShape } from '../../geometry/descriptors-features.js';
import { parseMesh } from '../../io/parse.js';
import { toPrepared } from '../../models/shape/index.js';

export interface LabelledFile {
  path: string;
  label: string;
}

export interface ShapeDataset {
  paths: string[];
  labels: string[];
  shapes: PreparedShape[];
  errors: { path: string; code: string; message: string }[];
  /** Seconds spent reading, parsing and preparing. */
  seconds: number;
}

export interface LabelsOptions {
  /**
   * Label column (default: `family`, `label`, `class`, `category` or `assembly`, the first present); `a+b` joins
   * several columns into one label (`printer+assembly` → `Voron-0/Tophat`).
   */
  labelColumn?: string;
  /** Path column (default `stl_path`, else `path`). */
  pathColumn?: string;
}

const LABEL_DEFAULTS = ['family', 'label', 'class', 'category', 'assembly'];

/** Reads the labels CSV: rows with an empty path or label are skipped. */
export function readLabels(labelsFile: string, options: LabelsOptions = {}): LabelledFile[] {
  if (!existsSync(labelsFile)) throw new LayerwiseError('not_found', `labels file not found: ${labelsFile}`);
  const rows = parseCsv(readFileSync(labelsFile), { columns: true, skip_empty_lines: true, bom: true }) as Record<
    string,
    string
  >[];
  if (rows.length === 0) throw new LayerwiseError('invalid_argument', `labels file ${labelsFile} has no rows`);
  const columns = Object.keys(rows[0]!);
  const pathColumn = options.pathColumn ?? ['stl_path', 'path'].find((c) => columns.includes(c));
  const labelColumn = options.labelColumn ?? LABEL_DEFAULTS.find((c) => columns.includes(c));
  if (!labelColumn) {
    throw new LayerwiseError(
      'invalid_argument',
      `labels file ${labelsFile}: no label column among ${LABEL_DEFAULTS.join(', ')} (columns: ${columns.join(', ')}); pass --label-column`,
    );
  }
  const labelParts = labelColumn.split('+');
  for (const [what, col] of [['path', pathColumn] as const, ...labelParts.map((c) => ['label', c] as const)]) {
    if (!col || !columns.includes(col)) {
      throw new LayerwiseError(
        'invalid_argument',
        `labels file ${labelsFile}: no ${what} column ${col ? `"${col}"` : ''} (columns: ${columns.join(', ')}); pass --${what === 'path' ? 'path' : 'label'}-column`,
      );
    }
  }
  return rows
    .map((r) => ({
      path: (r[pathColumn!] ?? '').trim(),
      label: labelParts.map((c) => (r[c] ?? '').trim()).every((v) => v !== '')
        ? labelParts.map((c) => (r[c] ?? '').trim()).join('/')
        : '',
    }))
    .filter((r) => r.path !== '' && r.label !== '');
}

/** Parses and prepares every labelled file under `dir`. `onProgress(done, total)` is called per file. */
export function loadShapeDataset(
  dir: string,
  files: readonly LabelledFile[],
  onProgress?: (done: number, total: number) => void,
): ShapeDataset {
  const t0 = performance.now();
  const out: ShapeDataset = { paths: [], labels: [], shapes: [], errors: [], seconds: 0 };
  files.forEach((f, i) => {
    const abs = join(resolve(dir), f.path);
    try {
      const mesh = parseMesh(new Uint8Array(readFileSync(abs)));
      out.shapes.push(toPrepared(mesh));
      out.paths.push(f.path);
      out.labels.push(f.label);
    } catch (e) {
      const err = toLayerwiseError(e, 'io_error');
      out.errors.push({ path: f.path, code: err.code, message: err.message });
    }
    onProgress?.(i + 1, files.length);
  });
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}
