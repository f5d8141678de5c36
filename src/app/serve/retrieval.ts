/**
 * Candidate retrieval that does not score the whole catalogue per request: the served model's best `n` items for a
 * history, scored exactly, found through an index.
 *  - Factor models (iALS, hybrid, BPR: score = x·v_j + b_j with x folded in from the history): maximum-inner-
 *    product search over the item factors through usearch (HNSW with the inner product as its similarity — ip-NSW,
 *    Morozov & Babenko, "Non-metric similarity graphs for maximum inner product search", NeurIPS 2018): rows
 *    (v_j, b_j), query (x, 1). The hits are re-scored exactly; items added after the index was built (uploads) are
 *    scored exactly too. (The reduction to cosine search by one extra coordinate — Bachrach et al., RecSys 2014 —
 *    was used before: with iALS's long-tailed item norms at 1 M items, p50 0.07 against a maximum of 7, nearly every
 *    row pointed along the extra axis and it found 46–53 % of the exact top 10; the inner-product graph finds 98 %.)
 *  - Item–item models (ItemKNN, P3α, RP3β): the union of the history items' neighbour lists, accumulated sparsely —
 *    exactly the items with a non-zero score, so nothing is lost.
 *  - Popularity: one order computed once, walked past the history.
 * A retriever answers null when it cannot (index not built yet): the caller scores every item instead.
 */
import type { SearchThreads } from '../../ann/search-thread.js';
import type { UsearchIndex } from '../../ann/usearch-index.js';
import { ItemSimilarityModel } from '../../models/item-similarity.js';
import { Popularity } from '../../models/popularity.js';
import type { Recommender } from '../../models/recommender.js';
import { TopN } from './top-n.js';

export interface Retrieved {
  /** Model item indices, best first. */
  items: Int32Array;
  /** Exact model scores aligned with `items`. */
  scores: Float32Array;
}

export interface Retriever {
  readonly kind: 'factors' | 'neighbours' | 'static';
  /** The best `n` eligible items for the history (model index space), or null when the caller must scan. */
  retrieve(items: Int32Array, weights: Float32Array, n: number, eligible: (m: number) => boolean): Retrieved | null;
  /** The same off the request thread where the retriever can (factor indexes with search threads), else null. */
  retrieveAsync?(
    items: Int32Array,
    weights: Float32Array,
    n: number,
    eligible: (m: number) => boolean,
  ): Promise<Retrieved> | null;
}

/** A model scored by factors: MatrixFactorization's item side and fold-in. */
export interface FactorModel extends Recommender {
  itemFactors(): { factors: number; values: Float32Array; bias: Float32Array };
  foldIn(items: Int32Array, weights: Float32Array): Float64Array;
}

export function isFactorModel(m: Recommender): m is FactorModel {
  const f = m as Partial<FactorModel>;
  return typeof f.itemFactors === 'function' && typeof f.foldIn === 'function';
}

/** Rows of the inner-product index: (v_j, b_j), dim = factors + 1 (b_j = 0 without biases); a query is (x, 1). */
export function mipsRows(model: FactorModel, keys: Int32Array): { vectors: Float32Array; dim: number } {
  const { factors: f, values: v, bias } = model.itemFactors();
  const dim = f + 1;
  const out = new Float32Array(keys.length * dim);
  for (let r = 0; r < keys.length; r++) {
    const o = keys[r]! * f;
    const w = r * dim;
    for (let k = 0; k < f; k++) out[w + k] = v[o + k]!;
    out[w + f] = bias.length > 0 ? bias[keys[r]!]! : 0;
  }
  return { vectors: out, dim };
}

/** Sorts (item, score) pairs by score, best first, ties by lower index; keeps `n`. */
function best(items: number[], scores: number[], n: number): Retrieved {
  const order = items.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || items[a]! - items[b]!);
  const m = Math.min(n, order.length);
  const out = { items: new Int32Array(m), scores: new Float32Array(m) };
  for (let r = 0; r < m; r++) {
    out.items[r] = items[order[r]!]!;
    out.scores[r] = scores[order[r]!]!;
  }
  return out;
}

export class FactorRetriever implements Retriever {
  readonly kind = 'factors' as const;
  /** Set when the index file is built and mapped. */
  index: UsearchIndex | null = null;
  /** Threads that search the mapped file off the request thread (`retrieveAsync`); null: search here. */
  threads: SearchThreads | null = null;

  constructor(
    private readonly model: FactorModel,
    /** Model items the index holds: keys < indexed (the rest are scored exactly). */
    private readonly indexed: number,
    /** Extra hits asked of the index beyond n and the history. */
    private readonly slack = 32,
  ) {}

  retrieve(items: Int32Array, weights: Float32Array, n: number, eligible: (m: number) => boolean): Retrieved | null {
    const index = this.index;
    if (index === null) return null;
    const { x, q } = this.query(items, weights, index.dim);
    const hits = index.search(q, n + items.length + this.slack).map((h) => h.key);
    return this.collect(x, hits, n, eligible);
  }

  /**
   * `retrieve` with the graph search on a search thread: the fold-in and the exact re-scoring stay here (they need
   * the model), the walk over the mapped file — most of the cost — runs beside the request thread. Null when there
   * is no thread or no mapped file (the caller retrieves synchronously); rejects when the thread fails.
   */
  retrieveAsync(
    items: Int32Array,
    weights: Float32Array,
    n: number,
    eligible: (m: number) => boolean,
  ): Promise<Retrieved> | null {
    const index = this.index;
    const threads = this.threads;
    const file = index?.file() ?? null;
    if (index === null || threads === null || file === null || !threads.alive) return null;
    const { x, q } = this.query(items, weights, index.dim);
    return threads
      .search(file, q, n + items.length + this.slack)
      .then((hits) => this.collect(x, Array.from(hits.keys), n, eligible));
  }

  /** The user's factor x (fold-in) and the index query (x, 1). */
  private query(items: Int32Array, weights: Float32Array, dim: number): { x: Float64Array; q: Float32Array } {
    const f = this.model.itemFactors().factors;
    const x = this.model.foldIn(items, weights);
    const q = new Float32Array(dim);
    for (let k = 0; k < f; k++) q[k] = x[k]!;
    q[f] = 1;
    return { x, q };
  }

  /** Eligible hits and the items added after the index was built, scored exactly; the best `n`. */
  private collect(x: Float64Array, hits: number[], n: number, eligible: (m: number) => boolean): Retrieved {
    const { factors: f, values: v, bias } = this.model.itemFactors();
    const score = (j: number) => {
      let s = bias.length > 0 ? bias[j]! : 0;
      const o = j * f;
      for (let k = 0; k < f; k++) s += x[k]! * v[o + k]!;
      return s;
    };
    const ids: number[] = [];
    const scores: number[] = [];
    for (const key of hits) {
      if (eligible(key)) {
        ids.push(key);
        scores.push(score(key));
      }
    }
    const nItems = v.length / f;
    for (let j = this.indexed; j < nItems; j++) {
      if (eligible(j)) {
        ids.push(j);
        scores.push(score(j));
      }
    }
    return best(ids, scores, n);
  }
}

export class NeighbourRetriever implements Retriever {
  readonly kind = 'neighbours' as const;
  private acc: Float32Array;
  private mark: Uint8Array;

  constructor(private readonly model: ItemSimilarityModel<Record<string, number | string | boolean>>) {
    this.acc = new Float32Array(model.similarity.rows);
    this.mark = new Uint8Array(model.similarity.rows);
  }

  retrieve(items: Int32Array, weights: Float32Array, n: number, eligible: (m: number) => boolean): Retrieved {
    const s = this.model.similarity;
    const { acc, mark } = this;
    const touched: number[] = [];
    for (let h = 0; h < items.length; h++) {
      const i = items[h]!;
      const w = weights[h]!;
      for (let p = s.indptr[i]!; p < s.indptr[i + 1]!; p++) {
        const j = s.indices[p]!;
        if (mark[j] === 0) {
          mark[j] = 1;
          touched.push(j);
        }
        acc[j]! += w * s.values[p]!;
      }
    }
    const ids: number[] = [];
    const scores: number[] = [];
    for (const j of touched) {
      if (acc[j]! > 0 && eligible(j)) {
        ids.push(j);
        scores.push(acc[j]!);
      }
      acc[j] = 0;
      mark[j] = 0;
    }
    return best(ids, scores, n);
  }
}

/** A history-independent model (popularity): its order, computed once (the head of it), walked past the history. */
export class StaticRetriever implements Retriever {
  readonly kind = 'static' as const;
  private order: { items: number[]; scores: Float32Array } | null = null;

  constructor(
    private readonly model: Recommender,
    private readonly head = 5000,
  ) {}

  retrieve(_items: Int32Array, _weights: Float32Array, n: number, eligible: (m: number) => boolean): Retrieved | null {
    if (this.order === null) {
      const scores = new Float32Array(this.model.data.nItems);
      this.model.scoreHistory(new Int32Array(0), new Float32Array(0), scores);
      this.order = { items: new TopN().select(scores, this.head, null).order, scores };
    }
    const ids: number[] = [];
    const scores: number[] = [];
    for (const j of this.order.items) {
      if (ids.length >= n) break;
      if (eligible(j)) {
        ids.push(j);
        scores.push(this.order.scores[j]!);
      }
    }
    return ids.length < n && this.order.items.length < this.order.scores.length ? null : best(ids, scores, n);
  }
}

/** The retriever a model kind supports without a build step, or null (factor models need an index: indexes.ts). */
export function directRetriever(model: Recommender): Retriever | null {
  if (model instanceof ItemSimilarityModel)
    return new NeighbourRetriever(model as ItemSimilarityModel<Record<string, number | string | boolean>>);
  if (model instanceof Popularity) return new StaticRetriever(model);
  return null;
}
