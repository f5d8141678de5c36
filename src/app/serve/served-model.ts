/**
 * A loaded recommender bound to the catalogue: index maps between model items and catalogue items, a reusable
 * score buffer, and top-N candidate extraction for a history — through the model's retriever (retrieval.ts: an
 * index, so per-request cost does not grow with the catalogue) when it has one, else by scoring every item
 * (fold-in via `scoreHistory`). Instances are immutable once built, so activation swaps one reference: requests in
 * flight keep the instance they started with.
 */
import type { Recommender } from '../../models/recommender.js';
import { isSequential } from '../../models/sequential.js';
import type { Catalog } from './catalog.js';
import { isFactorModel, type Retrieved, type Retriever } from './retrieval.js';
import { TopN } from './top-n.js';
import type { ModelRef } from './types.js';

export interface Candidates {
  /** Catalogue indices, best first. */
  items: Int32Array;
  scores: Float32Array;
  count: number;
  /** True when every scorable item is in the list (no larger list exists). */
  complete: boolean;
}

export class ServedModel {
  /** Model item index → catalogue index (−1 when the catalogue lacks it). */
  readonly toCatalog: Int32Array;
  /** Catalogue index → model item index (−1 for items the model never saw, e.g. uploads after training). */
  private fromCatalog: Int32Array;
  private readonly scratch: Float32Array;
  private readonly skip: Uint8Array;
  private readonly top = new TopN();

  constructor(
    readonly ref: ModelRef,
    readonly model: Recommender,
    private readonly catalog: Catalog,
    /** Candidate retrieval through an index; null: score every item. */
    readonly retriever: Retriever | null = null,
    /**
     * Shared by the served models that differ only by items appended to the same model (uploads scored by content,
     * `ServingState.scoreNewItems`): candidates computed under one stay valid under a later one once the appended
     * items are scored (`extendCandidates`).
     */
    readonly lineage: object = {},
  ) {
    const items = model.data.items;
    this.toCatalog = new Int32Array(items.size);
    this.fromCatalog = new Int32Array(catalog.size).fill(-1);
    for (let m = 0; m < items.size; m++) {
      const c = catalog.index(items.id(m));
      this.toCatalog[m] = c ?? -1;
      if (c !== undefined) this.fromCatalog[c] = m;
    }
    this.scratch = new Float32Array(items.size);
    this.skip = new Uint8Array(items.size);
  }

  get nItems(): number {
    return this.toCatalog.length;
  }

  modelIndex(catalogIndex: number): number {
    if (catalogIndex >= this.fromCatalog.length) this.growFromCatalog();
    return this.fromCatalog[catalogIndex] ?? -1;
  }

  /** Catalogue items appended after this model was built are unknown to it; extend the map with −1. */
  private growFromCatalog(): void {
    const grown = new Int32Array(this.catalog.size).fill(-1);
    grown.set(this.fromCatalog);
    this.fromCatalog = grown;
  }

  /**
   * The user's history in model index space; empty when the model knows none of the items. Sorted by model index,
   * except for a sequential model (sasrec, markov, lastknn), which reads `items` as a sequence: there the map's own
   * order is kept — the order in which the user first interacted with each item (events are applied in time order).
   */
  historyArrays(history: Map<number, number>): { items: Int32Array; weights: Float32Array } {
    const pairs: [number, number][] = [];
    for (const [c, w] of history) {
      const m = this.modelIndex(c);
      if (m >= 0 && w > 0) pairs.push([m, w]);
    }
    if (!isSequential(this.model)) pairs.sort((a, b) => a[0] - b[0]);
    const items = new Int32Array(pairs.length);
    const weights = new Float32Array(pairs.length);
    for (let i = 0; i < pairs.length; i++) {
      items[i] = pairs[i]![0];
      weights[i] = pairs[i]![1];
    }
    return { items, weights };
  }

  /**
   * The best `n` catalogue items for the history, excluding the history itself and items missing from the catalogue:
   * through the retriever when it can answer (not `exhaustive`), else by scoring every item. Synchronous and
   * single-threaded: the scratch buffers are safe to reuse.
   */
  candidates(history: { items: Int32Array; weights: Float32Array }, n: number, exhaustive = false): Candidates {
    if (!exhaustive && this.retriever !== null && history.items.length > 0) {
      const got = this.retrieve(history, n);
      if (got !== null) return got;
    }
    return this.scan(history, n);
  }

  /**
   * `candidates` with the index search off the request thread (retrieval.ts `retrieveAsync`); null when this model
   * has no such path — the caller then calls `candidates`.
   */
  candidatesAsync(history: { items: Int32Array; weights: Float32Array }, n: number): Promise<Candidates> | null {
    if (this.retriever?.retrieveAsync === undefined || history.items.length === 0) return null;
    const eligible = this.eligible(history);
    const r = this.retriever.retrieveAsync(history.items, history.weights, n, eligible);
    return r === null ? null : r.then((got) => this.toCandidates(got));
  }

  private retrieve(history: { items: Int32Array; weights: Float32Array }, n: number): Candidates | null {
    const r = this.retriever!.retrieve(history.items, history.weights, n, this.eligible(history));
    return r === null ? null : this.toCandidates(r);
  }

  /** Model items that may be candidates for the history: in the catalogue and not in the history. */
  private eligible(history: { items: Int32Array }): (m: number) => boolean {
    const seen = new Set<number>(history.items);
    const toCatalog = this.toCatalog;
    return (m: number) => m < toCatalog.length && toCatalog[m]! >= 0 && !seen.has(m);
  }

  private toCandidates(r: Retrieved): Candidates {
    const items = new Int32Array(r.items.length);
    for (let k = 0; k < items.length; k++) items[k] = this.toCatalog[r.items[k]!]!;
    return { items, scores: r.scores, count: items.length, complete: false };
  }

  /** Scores every item for the history and keeps the best `n`. */
  scan(history: { items: Int32Array; weights: Float32Array }, n: number): Candidates {
    const out = this.scratch;
    out.fill(0);
    this.model.scoreHistory(history.items, history.weights, out);
    const skip = this.skip;
    skip.fill(0);
    for (let i = 0; i < history.items.length; i++) skip[history.items[i]!] = 1;
    const toCatalog = this.toCatalog;
    for (let m = 0; m < toCatalog.length; m++) if (toCatalog[m]! < 0) skip[m] = 1;
    const { order, eligible } = this.top.select(out, n, skip);
    const size = order.length;
    const items = new Int32Array(size);
    const scores = new Float32Array(size);
    for (let k = 0; k < size; k++) {
      items[k] = toCatalog[order[k]!]!;
      scores[k] = out[order[k]!]!;
    }
    return { items, scores, count: size, complete: size >= eligible };
  }

  /** The user's factor when the model is a factor model (its fold-in; memoised by the model), else null. */
  userFactor(history: { items: Int32Array; weights: Float32Array }): Float64Array | null {
    return isFactorModel(this.model) && history.items.length > 0
      ? this.model.foldIn(history.items, history.weights)
      : null;
  }

  /**
   * Candidates that `from` (an earlier served model of this lineage: this one only appended items to the same model)
   * computed, brought up to date by scoring just the appended items with the user's factor — no fold-in and no scan
   * of the catalogue, so an upload does not cost every cached user a recomputation. Scores of the earlier items are
   * kept (the appended items move the fold-in's Gram matrix by one row each: negligible until the next miss). Null
   * when it does not apply (another model, items updated rather than appended, no factor).
   */
  extendCandidates(
    from: ServedModel,
    history: { items: Int32Array },
    factor: Float64Array | null,
    c: Candidates,
    n: number,
  ): (Candidates & { changed: boolean }) | null {
    const model = this.model;
    if (from.lineage !== this.lineage || from.model !== model || factor === null || !isFactorModel(model)) return null;
    const start = from.nItems;
    if (start > this.nItems) return null;
    const { factors: f, values: v, bias } = model.itemFactors();
    const items = Array.from(c.items.subarray(0, c.count));
    const scores = Array.from(c.scores.subarray(0, c.count));
    const seen = new Set<number>(history.items);
    let complete = c.complete;
    let changed = false;
    for (let j = start; j < this.nItems; j++) {
      const catalogIndex = this.toCatalog[j]!;
      if (catalogIndex < 0 || seen.has(j)) continue;
      let s = bias.length > 0 ? bias[j]! : 0;
      for (let k = 0; k < f; k++) s += factor[k]! * v[j * f + k]!;
      if (items.length >= n && !(s > scores[items.length - 1]!)) {
        complete = false;
        continue;
      }
      let at = items.length;
      while (at > 0 && scores[at - 1]! < s) at--;
      items.splice(at, 0, catalogIndex);
      scores.splice(at, 0, s);
      if (items.length > n) {
        items.pop();
        scores.pop();
        complete = false;
      }
      changed = true;
    }
    if (!changed) return { ...c, complete, changed };
    return { items: Int32Array.from(items), scores: Float32Array.from(scores), count: items.length, complete, changed };
  }
}
