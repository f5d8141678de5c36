/**
 * ItemKNN: item–item nearest neighbours (cosine, Jaccard, or BM25-weighted dot product) with shrinkage and top-k
 * neighbours per item. Sarwar, Karypis, Konstan & Riedl, "Item-based collaborative filtering recommendation
 * algorithms", WWW 2001; Deshpande & Karypis, "Item-based top-N recommendation algorithms", TOIS 2004; BM25
 * weighting as in the `implicit` library (Robertson & Zaragoza 2009).
 */
import { LayerwiseError } from '../core/errors.js';
import type { FitContext } from './base.js';
import type { Interactions } from './interactions.js';
import { ItemSimilarityModel, itemItemTopK, l1NormalizeRows } from './item-similarity.js';
import { type Csr, mapValues, transpose } from './sparse.js';

export const ITEM_KNN_DEFAULTS = {
  /** 'cosine' (on weights), 'jaccard' (binary), 'bm25' (BM25-weighted dot product). */
  similarity: 'cosine',
  /** Neighbours kept per item. */
  neighbours: 100,
  /** Shrinkage added to the denominator (cosine, Jaccard): damps similarities built on few co-occurrences. */
  shrink: 10,
  /** Scale each item's neighbour row to sum 1. */
  normalize: false,
  bm25K1: 1.2,
  bm25B: 0.75,
};

/** Rows (users) weighted by BM25 over items × users: idf per user, length normalisation per item. */
export function bm25Weight(itemUsers: Csr, k1: number, b: number): Csr {
  const n = itemUsers.rows;
  const df = new Float64Array(itemUsers.cols);
  for (const u of itemUsers.indices) df[u]!++;
  const len = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let p = itemUsers.indptr[i]!; p < itemUsers.indptr[i + 1]!; p++) len[i]! += itemUsers.values[p]!;
  let avg = 0;
  for (const l of len) avg += l;
  avg = n > 0 ? avg / n : 1;
  return mapValues(itemUsers, (x, i, u) => {
    const idf = Math.log(n) - Math.log1p(df[u]!);
    return ((x * (k1 + 1)) / (k1 * (1 - b + (b * len[i]!) / avg) + x)) * Math.max(idf, 0);
  });
}

export class ItemKnn extends ItemSimilarityModel<typeof ITEM_KNN_DEFAULTS> {
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('itemknn', ITEM_KNN_DEFAULTS, params);
  }

  protected override validate(): void {
    const p = this.params;
    if (!['cosine', 'jaccard', 'bm25'].includes(p.similarity)) {
      throw new LayerwiseError(
        'invalid_argument',
        `itemknn: similarity must be cosine, jaccard or bm25, got '${p.similarity}'`,
      );
    }
    if (!(p.neighbours >= 1 && Number.isInteger(p.neighbours)))
      throw new LayerwiseError('invalid_argument', 'itemknn: neighbours must be an integer ≥ 1');
    if (!(p.shrink >= 0)) throw new LayerwiseError('invalid_argument', 'itemknn: shrink must be ≥ 0');
  }

  protected async buildSimilarity(data: Interactions, ctx: FitContext): Promise<Csr> {
    const p = this.params;
    let sim: Csr;
    if (p.similarity === 'bm25') {
      const w = bm25Weight(data.byItem(), p.bm25K1, p.bm25B);
      sim = await itemItemTopK(w, transpose(w), p.neighbours, (_i, _j, raw) => raw, ctx);
    } else if (p.similarity === 'jaccard') {
      const bin = mapValues(data.matrix, () => 1);
      const cnt = new Float64Array(data.nItems);
      for (const j of bin.indices) cnt[j]!++;
      sim = await itemItemTopK(
        transpose(bin),
        bin,
        p.neighbours,
        (i, j, c) => c / (cnt[i]! + cnt[j]! - c + p.shrink),
        ctx,
      );
    } else {
      const csc = data.byItem();
      const nrm = new Float64Array(data.nItems);
      for (let i = 0; i < csc.rows; i++) {
        let s = 0;
        for (let q = csc.indptr[i]!; q < csc.indptr[i + 1]!; q++) s += csc.values[q]! ** 2;
        nrm[i] = Math.sqrt(s);
      }
      sim = await itemItemTopK(csc, data.matrix, p.neighbours, (i, j, d) => d / (nrm[i]! * nrm[j]! + p.shrink), ctx);
    }
    return p.normalize ? l1NormalizeRows(sim) : sim;
  }
}
