/**
 * The vector indexes serving uses, as usearch files under `dir` named by what they index and a hash of the vectors:
 * a restart with the same vectors maps the file (milliseconds); otherwise a worker thread builds it while requests
 * are answered by scanning, and they switch to the index once it is mapped. Catalogues smaller than `minItems` scan
 * (exact, and fast there).
 *  - the candidate retrievers of served models (retrieval.ts), one per loaded model instance — a factor model's
 *    MIPS index over its item factors;
 *  - the shape embeddings' cosine index (shape search, "similar by shape", shape reasons' neighbours).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildIndexFile } from '../../ann/build.js';
import type { SearchThreads } from '../../ann/search-thread.js';
import { UsearchIndex } from '../../ann/usearch-index.js';
import type { Recommender } from '../../models/recommender.js';
import {
  directRetriever,
  type FactorModel,
  FactorRetriever,
  isFactorModel,
  mipsRows,
  type Retriever,
} from './retrieval.js';
import type { ShapeVectors } from './shape-vectors.js';

export interface IndexOptions {
  /** Folder of index files. */
  dir: string;
  /** Catalogue size from which candidates come from an index (0 = always). */
  minItems: number;
  /** HNSW search expansion (recall against speed). */
  expansionSearch?: number;
  /** Threads that search the candidate indexes off the request thread (null: search on it). */
  threads?: SearchThreads | null;
  onError?: (message: string, e: unknown) => void;
}

interface Entry {
  retriever: Retriever | null;
  ready: Promise<void>;
}

export class CandidateIndexes {
  private readonly byModel = new WeakMap<Recommender, Entry>();
  /** Seconds the last factor index took to build (0: mapped from a file), for logs and benchmarks. */
  lastBuildSeconds: number | null = null;

  constructor(private readonly options: IndexOptions) {}

  /** The retriever of `model` (created on first call; a factor index starts building), or null to scan. */
  retriever(model: Recommender, catalogSize: number, modelId: string): Retriever | null {
    return this.entry(model, catalogSize, modelId).retriever;
  }

  /** Resolves when the model's retriever can answer (its index is mapped), or at once when it needs none. */
  ready(model: Recommender): Promise<void> {
    return this.byModel.get(model)?.ready ?? Promise.resolve();
  }

  private entry(model: Recommender, catalogSize: number, modelId: string): Entry {
    const hit = this.byModel.get(model);
    if (hit !== undefined) return hit;
    let entry: Entry = { retriever: null, ready: Promise.resolve() };
    if (catalogSize >= this.options.minItems) {
      const direct = directRetriever(model);
      if (direct !== null) entry = { retriever: direct, ready: Promise.resolve() };
      else if (isFactorModel(model) && model.itemFactors().factors > 0) {
        const nItems = model.data.nItems;
        const retriever = new FactorRetriever(model, nItems);
        retriever.threads = this.options.threads ?? null;
        entry = { retriever, ready: this.attach(retriever, model, nItems, modelId) };
      }
    }
    this.byModel.set(model, entry);
    return entry;
  }

  /** Builds (or maps) the shape embeddings' index and attaches it; resolves when attached (or skipped). */
  async attachShapes(shapes: ShapeVectors): Promise<void> {
    const { keys, vectors } = shapes.rowsPresent();
    if (keys.length < Math.max(1, this.options.minItems)) return;
    try {
      const hash = createHash('sha1')
        .update(new Uint8Array(keys.buffer, keys.byteOffset, keys.byteLength))
        .update(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength))
        .digest('hex')
        .slice(0, 16);
      const name = `shapes-${shapes.encoder.replace(/[^\w.@-]/g, '_')}-${hash}.usearch`;
      const options = { dim: shapes.dim, expansionSearch: this.options.expansionSearch ?? 128 };
      shapes.attach((await this.mapped(name, options, keys, vectors))!);
    } catch (e) {
      this.options.onError?.('building the shape index failed (shape search scans every item)', e);
    }
  }

  /** The index file `name`, built in a worker thread when absent, memory-mapped (`map` false: only built). */
  private async mapped(
    name: string,
    options: { dim: number; expansionSearch: number; metric?: 'cos' | 'ip' },
    keys: Int32Array,
    vectors: Float32Array | (() => Float32Array),
    map = true,
    threads = 1,
  ): Promise<UsearchIndex | null> {
    mkdirSync(this.options.dir, { recursive: true });
    const path = join(this.options.dir, name);
    const full = { ...options, connectivity: 16, expansionAdd: 128 };
    if (!existsSync(path)) {
      const rows = typeof vectors === 'function' ? vectors() : vectors;
      this.lastBuildSeconds = (await buildIndexFile({ options: full, keys, vectors: rows, path, threads })).seconds;
      // older files of the same name (other vectors) are stale; a process still mapping one keeps its copy
      const prefix = name.slice(0, name.lastIndexOf('-') + 1);
      for (const f of readdirSync(this.options.dir)) {
        const stale = f !== name && f.startsWith(prefix) && /^[0-9a-f]{16}\.usearch$/.test(f.slice(prefix.length));
        if (stale) rmSync(join(this.options.dir, f), { force: true });
      }
    } else this.lastBuildSeconds = 0;
    if (!map) return null;
    const index = new UsearchIndex(full);
    index.view(path);
    return index;
  }

  /**
   * Builds the candidate index file of `model` as serving would name it, unless it exists — `train` calls this after
   * activating a model, so the first `serve` maps the file instead of scanning the catalogue while it builds.
   * Returns the build seconds (0: the file existed), or null when the model needs no index (not a factor model, or
   * below `minItems`).
   */
  async prebuild(model: Recommender, catalogSize: number, modelId: string): Promise<number | null> {
    if (catalogSize < this.options.minItems || directRetriever(model) !== null) return null;
    if (!isFactorModel(model) || model.itemFactors().factors === 0) return null;
    const keys = Int32Array.from({ length: model.data.nItems }, (_, i) => i);
    const { name, options } = this.factorIndex(model, model.data.nItems, modelId);
    // nothing else to serve here: every core builds (a server builds on one, beside its requests)
    await this.mapped(name, options, keys, () => mipsRows(model, keys).vectors, false, availableParallelism());
    return this.lastBuildSeconds;
  }

  /**
   * The file name (model id, the metric, and a hash of the item factors) and options of a factor model's MIPS index
   * (inner product: see retrieval.ts; files of the earlier cosine form have no `-ip-` and are never mapped).
   */
  private factorIndex(model: FactorModel, nItems: number, modelId: string) {
    const { factors, values, bias } = model.itemFactors();
    const hash = createHash('sha1')
      .update(new Uint8Array(values.buffer, values.byteOffset, nItems * factors * 4))
      .update(new Uint8Array(bias.buffer, bias.byteOffset, bias.byteLength))
      .digest('hex')
      .slice(0, 16);
    const name = `${modelId.replace(/[^\w.@-]/g, '_')}-ip-${hash}.usearch`;
    const options = { dim: factors + 1, metric: 'ip' as const, expansionSearch: this.options.expansionSearch ?? 128 };
    return { name, options };
  }

  private async attach(retriever: FactorRetriever, model: FactorModel, nItems: number, modelId: string): Promise<void> {
    try {
      const keys = Int32Array.from({ length: nItems }, (_, i) => i);
      const { name, options } = this.factorIndex(model, nItems, modelId);
      retriever.index = (await this.mapped(name, options, keys, () => mipsRows(model, keys).vectors))!;
    } catch (e) {
      this.options.onError?.('building the candidate index failed (recommendations scan every item)', e);
    }
  }
}
