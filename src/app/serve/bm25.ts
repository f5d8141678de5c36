/**
 * A small in-memory BM25 index (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
 * 2009) over weighted fields — a simplified BM25F where a field's weight multiplies its term frequencies and its
 * length (title ×3, tags ×2, description ×1 by default). Documents are dense indices; re-adding one replaces it.
 */

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation (default 0.75). */
  b?: number;
}

interface Posting {
  term: string;
  docs: number[];
  tfs: number[];
}

const STOP = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'to', 'in', 'on', 'with', 'by', 'or', 'is', 'it']);

/** Lower-case letter/digit runs, stop words dropped, a plural "s" stripped from words longer than 3 letters. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw === '' || STOP.has(raw)) continue;
    out.push(raw.length > 3 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw);
  }
  return out;
}

export class Bm25Index {
  private readonly postings = new Map<string, Posting>();
  /**
   * Each document's postings (what a replacement removes it from; its frequencies are there). An array per document,
   * not a Map of its terms: at 1 M items those Maps and their copies of the term strings took hundreds of megabytes.
   */
  private readonly docTerms: (Posting[] | undefined)[] = [];
  /** Term frequencies of the document being added (reused: one Map, not one per document). */
  private readonly scratch = new Map<string, number>();
  private readonly docLen: number[] = [];
  private totalLen = 0;
  private docs = 0;
  private readonly k1: number;
  private readonly b: number;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
  }

  get size(): number {
    return this.docs;
  }

  /** Indexes document `doc` from weighted fields, replacing an earlier version of it. */
  add(doc: number, fields: { text: string; weight: number }[]): void {
    if (this.docTerms[doc] !== undefined) this.remove(doc);
    const tf = this.scratch;
    tf.clear();
    let len = 0;
    for (const f of fields) {
      for (const t of tokenize(f.text)) {
        tf.set(t, (tf.get(t) ?? 0) + f.weight);
        len += f.weight;
      }
    }
    const terms = new Array<Posting>(tf.size);
    let t = 0;
    for (const [term, f] of tf) {
      let p = this.postings.get(term);
      if (p === undefined) this.postings.set(term, (p = { term, docs: [], tfs: [] }));
      p.docs.push(doc);
      p.tfs.push(f);
      terms[t++] = p;
    }
    tf.clear();
    this.docTerms[doc] = terms;
    this.docLen[doc] = len;
    this.totalLen += len;
    this.docs++;
  }

  private remove(doc: number): void {
    for (const p of this.docTerms[doc]!) {
      const at = p.docs.indexOf(doc);
      p.docs.splice(at, 1);
      p.tfs.splice(at, 1);
      if (p.docs.length === 0) this.postings.delete(p.term);
    }
    this.totalLen -= this.docLen[doc]!;
    this.docTerms[doc] = undefined;
    this.docs--;
  }

  /** BM25 scores of every document matching at least one query term (doc → score). */
  search(query: string): Map<number, number> {
    const scores = new Map<number, number>();
    if (this.docs === 0) return scores;
    const avg = this.totalLen / this.docs;
    const terms = new Set(tokenize(query));
    for (const term of terms) {
      const p = this.postings.get(term);
      if (p === undefined) continue;
      const df = p.docs.length;
      const idf = Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
      for (let i = 0; i < df; i++) {
        const d = p.docs[i]!;
        const f = p.tfs[i]!;
        const norm = f + this.k1 * (1 - this.b + (this.b * this.docLen[d]!) / avg);
        scores.set(d, (scores.get(d) ?? 0) + (idf * (f * (this.k1 + 1))) / norm);
      }
    }
    return scores;
  }
}
