/**
 * Read-only services the web UI needs beyond recommendations: the printer profiles (selectors, build plate to
 * scale), an item's mesh as binary STL (the 3-D viewer), the printability report of an uploaded file (nothing is
 * stored), and a 2-D PCA map of the library's shape embeddings (the dashboard), cached until the catalogue changes.
 */
import { LayerwiseError } from '../../core/errors.js';
import { getPrinter, PRINTERS } from '../../geometry/printers.js';
import { encodeStlBinary } from '../../io/encode-stl.js';
import type { Store } from '../../store/ports.js';
import { encoderArtifactName } from '../shapes/embed.js';
import type { FileService } from './files.js';
import { unknownItem } from './items.js';
import type { ServingState } from './state.js';
import type { InspectResult, PrinterInfo, ShapeMap, UploadedFile } from './types.js';

export class InsightService {
  private mapCache: { key: string; value: ShapeMap } | undefined;

  constructor(
    private readonly state: ServingState,
    private readonly store: Store,
    private readonly files: FileService,
  ) {}

  printers(): PrinterInfo[] {
    return PRINTERS.map((p) => ({
      id: p.id,
      name: p.name,
      technology: p.technology,
      buildVolumeMm: [...p.buildVolumeMm] as [number, number, number],
    }));
  }

  categories(): { category: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const it of this.state.catalog.items)
      if (it.category !== null) counts.set(it.category, (counts.get(it.category) ?? 0) + 1);
    return [...counts]
      .map(([category, count]) => ({ category, count }))
      .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  }

  async meshStl(id: string): Promise<Uint8Array> {
    const item = await this.store.getItem(id);
    if (item === null || item.status === 'removed') throw unknownItem(id);
    return encodeStlBinary(await this.files.mesh(item));
  }

  /** The printability report of an uploaded file (nothing stored); parsed and analysed in the mesh sandbox. */
  async inspect(file: UploadedFile, printer?: string): Promise<InspectResult> {
    const profile = printer === undefined ? undefined : printerOrInvalid(printer);
    const out = await this.files.process(file, { analyze: profile ? { printer: profile } : {}, mesh: false });
    return { filename: file.filename, format: out.format, printability: out.report! };
  }

  async shapeMap(limit: number): Promise<ShapeMap> {
    const encoder = this.state.shapes?.encoder ?? null;
    const key = `${encoder}\u0000${this.state.generation}\u0000${this.state.catalog.size}\u0000${limit}`;
    if (this.mapCache?.key === key) return this.mapCache.value;
    if (encoder === null) {
      return { encoder: null, explained: [0, 0], total: 0, points: [], encoderLosses: [] };
    }
    const set = await this.store.allEmbeddings(encoder);
    const n = set.itemIds.length;
    const { x, y, explained } = pca2(set.vectors, n, set.dim);
    const m = Math.min(n, limit);
    const points: ShapeMap['points'] = [];
    for (let s = 0; s < m; s++) {
      const r = Math.floor((s * n) / m); // evenly spread over the set
      const entry = this.state.catalog.get(set.itemIds[r]!);
      points.push({
        itemId: set.itemIds[r]!,
        title: entry?.title ?? set.itemIds[r]!,
        category: entry?.category ?? null,
        x: x[r]!,
        y: y[r]!,
      });
    }
    const artifact = await this.store.getActiveModel(encoderArtifactName(encoder));
    const losses = (artifact?.metrics as { losses?: unknown } | null)?.losses;
    const value: ShapeMap = {
      encoder,
      explained,
      total: n,
      points,
      encoderLosses: Array.isArray(losses) ? losses.filter((l): l is number => typeof l === 'number') : [],
    };
    this.mapCache = { key, value };
    return value;
  }
}

function printerOrInvalid(id: string) {
  try {
    return getPrinter(id);
  } catch (e) {
    throw new LayerwiseError('invalid_argument', (e as Error).message, { cause: e });
  }
}

/**
 * The first two principal components of n row vectors (power iteration with deflation on the covariance, which is
 * dim × dim — small for shape embeddings). Returns the projections and the share of variance each axis explains.
 */
export function pca2(
  data: Float32Array,
  n: number,
  dim: number,
): { x: Float64Array; y: Float64Array; explained: [number, number] } {
  const mean = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let j = 0; j < dim; j++) mean[j]! += data[r * dim + j]! / n;
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < dim; j++) row[j] = data[r * dim + j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const va = row[a]!;
      if (va === 0) continue;
      for (let b = 0; b < dim; b++) cov[a * dim + b]! += va * row[b]!;
    }
  }
  let trace = 0;
  for (let j = 0; j < dim; j++) trace += cov[j * dim + j]!;
  const axes: Float64Array[] = [];
  const values: number[] = [];
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(dim).map((_, j) => 1 + ((j * 7919 + c * 104729) % 13) / 13);
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(dim);
      for (let a = 0; a < dim; a++) {
        let s = 0;
        for (let b = 0; b < dim; b++) s += cov[a * dim + b]! * v[b]!;
        w[a] = s;
      }
      for (const u of axes) {
        const d = dot(w, u);
        for (let j = 0; j < dim; j++) w[j]! -= d * u[j]!;
      }
      const norm = Math.sqrt(dot(w, w));
      if (norm < 1e-12) break;
      for (let j = 0; j < dim; j++) w[j]! /= norm;
      const done = Math.abs(norm - lambda) < 1e-9 * Math.max(1, norm);
      lambda = norm;
      v = w;
      if (done) break;
    }
    axes.push(v);
    values.push(lambda);
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let sx = 0;
    let sy = 0;
    for (let j = 0; j < dim; j++) {
      const d = data[r * dim + j]! - mean[j]!;
      sx += d * axes[0]![j]!;
      sy += d * axes[1]![j]!;
    }
    x[r] = sx;
    y[r] = sy;
  }
  const share = (l: number) => (trace > 0 ? l / trace : 0);
  return { x, y, explained: [share(values[0]!), share(values[1]!)] };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
