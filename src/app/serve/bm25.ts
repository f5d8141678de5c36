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

/** A growable typed-array column. */
function grown<T extends Int32Array | Float32Array | Float64Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2, 16));
  b.set(a);
  return b;
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

/**
 * Everything lives in typed arrays: postings are entries (document, weighted term frequency) chained per term in
 * append order, and each document's terms one run of a flat array. At 1 M items (and a million distinct terms: titles
 * carry numbers) the earlier form — a JS array per document and two per term — held millions of small heap objects,
 * took ~750 MB more, and made every young-generation collection of the server several times slower (measured with
 * --trace-gc: ~8 ms against ~1 ms per scavenge).
 */
export class Bm25Index {
  /** Term → term id. */
  private readonly termIds = new Map<string, number>();
  /** Per term: first and last entry (−1: none) and live entries (its document frequency). */
  private head = new Int32Array(0);
  private tail = new Int32Array(0);
  private live = new Int32Array(0);
  /** Per entry: document (−1 once the document was replaced), weighted term frequency, next entry of the term. */
  private entryDoc = new Int32Array(1024);
  private entryTf = new Float32Array(1024);
  private entryNext = new Int32Array(1024);
  private entries = 0;
  /** Each document's term ids: docTermIds[docStart[d] .. docStart[d] + docTerms[d]) (docStart −1: absent). */
  private docStart = new Int32Array(0);
  private docTerms = new Int32Array(0);
  private docTermIds = new Int32Array(1024);
  private docTermEnd = 0;
  private docLen = new Float64Array(0);
  /** Term frequencies of the document being added (reused: one Map, not one per document). */
  private readonly scratch = new Map<string, number>();
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
    if (doc < this.docStart.length && this.docStart[doc]! >= 0) this.remove(doc);
    const tf = this.scratch;
    tf.clear();
    let len = 0;
    for (const f of fields) {
      for (const t of tokenize(f.text)) {
        tf.set(t, (tf.get(t) ?? 0) + f.weight);
        len += f.weight;
      }
    }
    if (doc >= this.docStart.length) {
      const from = this.docStart.length;
      this.docStart = grown(this.docStart, doc + 1, (n) => new Int32Array(n));
      this.docStart.fill(-1, from);
      this.docTerms = grown(this.docTerms, doc + 1, (n) => new Int32Array(n));
      this.docLen = grown(this.docLen, doc + 1, (n) => new Float64Array(n));
    }
    this.docTermIds = grown(this.docTermIds, this.docTermEnd + tf.size, (n) => new Int32Array(n));
    const need = this.entries + tf.size;
    this.entryDoc = grown(this.entryDoc, need, (n) => new Int32Array(n));
    this.entryTf = grown(this.entryTf, need, (n) => new Float32Array(n));
    this.entryNext = grown(this.entryNext, need, (n) => new Int32Array(n));
    this.docStart[doc] = this.docTermEnd;
    this.docTerms[doc] = tf.size;
    for (const [term, f] of tf) {
      const id = this.termId(term);
      const e = this.entries++;
      this.entryDoc[e] = doc;
      this.entryTf[e] = f;
      this.entryNext[e] = -1;
      if (this.tail[id]! >= 0) this.entryNext[this.tail[id]!] = e;
      else this.head[id] = e;
      this.tail[id] = e;
      this.live[id]!++;
      this.docTermIds[this.docTermEnd++] = id;
    }
    tf.clear();
    this.docLen[doc] = len;
    this.totalLen += len;
    this.docs++;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.termIds.size;
    this.termIds.set(term, id);
    if (id >= this.head.length) {
      const from = this.head.length;
      this.head = grown(this.head, id + 1, (n) => new Int32Array(n));
      this.tail = grown(this.tail, id + 1, (n) => new Int32Array(n));
      this.live = grown(this.live, id + 1, (n) => new Int32Array(n));
      this.head.fill(-1, from);
      this.tail.fill(-1, from);
    }
    return id;
  }

  /** Tombstones the document's entries (replacements are rare: uploads edited in place). */
  private remove(doc: number): void {
    const start = this.docStart[doc]!;
    for (let k = start; k < start + this.docTerms[doc]!; k++) {
      const id = this.docTermIds[k]!;
      for (let e = this.head[id]!; e >= 0; e = this.entryNext[e]!) {
        if (this.entryDoc[e] === doc) {
          this.entryDoc[e] = -1;
          this.live[id]!--;
          break;
        }
      }
    }
    this.totalLen -= this.docLen[doc]!;
    this.docStart[doc] = -1;
    this.docTerms[doc] = 0;
    this.docs--;
  }

  /** BM25 scores of every document matching at least one query term (doc → score). */
  search(query: string): Map<number, number> {
    const scores = new Map<number, number>();
    if (this.docs === 0) return scores;
    const avg = this.totalLen / this.docs;
    const terms = new Set(tokenize(query));
    for (const term of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const df = this.live[id]!;
      if (df === 0) continue;
      const idf = Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
      for (let e = this.head[id]!; e >= 0; e = this.entryNext[e]!) {
        const d = this.entryDoc[e]!;
        if (d < 0) continue;
        const f = this.entryTf[e]!;
        const norm = f + this.k1 * (1 - this.b + (this.b * this.docLen[d]!) / avg);
        scores.set(d, (scores.get(d) ?? 0) + (idf * (f * (this.k1 + 1))) / norm);
      }
    }
    return scores;
  }
}
