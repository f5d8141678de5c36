/**
 * Finding model files for `ingest models`: recursive walk of folders (sorted, so every run sees the same order),
 * mesh extensions only, and sidecar metadata — `metadata.csv` / `metadata.jsonl` in any folder (rows keyed by `path`
 * relative to that folder) or `<file>.json` beside a file (which wins). Each file gets a stable key
 * `<root folder name>/<relative path>` that the store uses as the item's path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { LayerwiseError } from '../../core/errors.js';
import { parseTimestamp } from '../../io/events.js';
import type { ItemMetadata } from '../../store/ports.js';

export const MESH_EXTENSIONS = ['.stl', '.obj', '.ply', '.off', '.3mf'] as const;

export type SidecarMetadata = Partial<ItemMetadata> & { id?: string };

export interface ScannedFile {
  /** Absolute path on disk. */
  abs: string;
  /** Store path: `<root folder name>/<relative path>` with `/` separators. */
  key: string;
  size: number;
  metadata: SidecarMetadata;
}

export interface ScanResult {
  files: ScannedFile[];
  /** Sidecar problems (bad JSON, bad rows): reported, never fatal. */
  errors: { file: string; code: string; message: string }[];
}

const posix = (p: string) => p.split(sep).join('/');

function isMesh(name: string): boolean {
  const n = name.toLowerCase();
  return MESH_EXTENSIONS.some((e) => n.endsWith(e));
}

function str(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** Normalises one sidecar record (CSV row or JSON object) into item metadata; unknown fields are ignored. */
export function toMetadata(r: Record<string, unknown>): SidecarMetadata {
  const m: SidecarMetadata = {};
  const set = <K extends keyof SidecarMetadata>(k: K, v: SidecarMetadata[K] | undefined) => {
    if (v !== undefined) m[k] = v;
  };
  const id = str(r.id);
  if (id) m.id = id;
  set('title', str(r.title ?? r.name));
  set('description', str(r.description));
  set('license', str(r.license));
  set('creator', str(r.creator ?? r.author));
  set('category', str(r.category));
  set('remixOf', str(r.remixOf ?? r.remix_of));
  const created = r.createdAt ?? r.created_at;
  if (created !== undefined && created !== '') set('createdAt', parseTimestamp(created));
  const tags = r.tags;
  if (Array.isArray(tags)) m.tags = tags.map((t) => String(t).trim()).filter(Boolean);
  else if (typeof tags === 'string' && tags.trim() !== '') {
    m.tags = tags
      .split(/[;|]/)
      .map((t) => t.trim())
      .filter(Boolean);
  }
  return m;
}

function readSidecarTable(dir: string, errors: ScanResult['errors']): Map<string, SidecarMetadata> {
  const out = new Map<string, SidecarMetadata>();
  const csv = join(dir, 'metadata.csv');
  if (existsSync(csv)) {
    try {
      const rows = parseCsv(readFileSync(csv), { columns: true, skip_empty_lines: true, trim: true, bom: true });
      for (const r of rows as Record<string, unknown>[]) {
        const p = str(r.path ?? r.file);
        if (p) out.set(posix(p), toMetadata(r));
      }
    } catch (e) {
      errors.push({ file: csv, code: 'parse_error', message: `metadata.csv: ${(e as Error).message}` });
    }
  }
  const jsonl = join(dir, 'metadata.jsonl');
  if (existsSync(jsonl)) {
    readFileSync(jsonl, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        try {
          const r = JSON.parse(line) as Record<string, unknown>;
          const p = str(r.path ?? r.file);
          if (!p) throw new LayerwiseError('invalid_argument', 'missing "path"');
          out.set(posix(p), toMetadata(r));
        } catch (e) {
          errors.push({ file: `${jsonl}:${i + 1}`, code: 'parse_error', message: (e as Error).message });
        }
      });
  }
  return out;
}

type Sidecars = Map<string, SidecarMetadata>;

/** Adds a folder's metadata table to `known`, keyed by absolute path (a deeper folder's table wins). */
function addTable(dir: string, known: Sidecars, errors: ScanResult['errors']): void {
  for (const [p, meta] of readSidecarTable(dir, errors)) {
    const abs = resolve(dir, p);
    known.set(abs, { ...known.get(abs), ...meta });
  }
}

function walk(dir: string, root: string, rootName: string, res: ScanResult, known: Sidecars): void {
  addTable(dir, known, res.errors);
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(abs, root, rootName, res, known);
    } else if (e.isFile() && isMesh(e.name)) {
      res.files.push(scanned(abs, posix(join(rootName, relative(root, abs))), known.get(abs) ?? {}, res.errors));
    }
  }
}

function scanned(abs: string, key: string, base: SidecarMetadata, errors: ScanResult['errors']): ScannedFile {
  let metadata = { ...base };
  const side = `${abs}.json`;
  if (existsSync(side)) {
    try {
      metadata = { ...metadata, ...toMetadata(JSON.parse(readFileSync(side, 'utf8')) as Record<string, unknown>) };
    } catch (e) {
      errors.push({ file: side, code: 'parse_error', message: `sidecar JSON: ${(e as Error).message}` });
    }
  }
  return { abs, key, size: statSync(abs).size, metadata };
}

/** Scans folders and files; throws not_found for a path that does not exist. */
export function scanModelFiles(paths: string[]): ScanResult {
  const res: ScanResult = { files: [], errors: [] };
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new LayerwiseError('not_found', `no such file or folder: ${p}`);
    const before = res.files.length;
    const known: Sidecars = new Map();
    if (statSync(abs).isDirectory()) walk(abs, abs, basename(abs), res, known);
    else {
      addTable(dirname(abs), known, res.errors);
      res.files.push(scanned(abs, posix(basename(abs)), known.get(abs) ?? {}, res.errors));
    }
    // The same file reached twice (overlapping arguments) is ingested once.
    const added = res.files.splice(before).filter((f) => !seen.has(f.abs));
    for (const f of added) seen.add(f.abs);
    res.files.push(...added);
  }
  return res;
}
