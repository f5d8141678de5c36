/**
 * Retrieval metrics with the Princeton Shape Benchmark definitions (Shilane, Min, Kazhdan & Funkhouser, SMI 2004):
 * every shape queries all others; for a query of class C (|C| shapes), the relevant set is the other |C|−1.
 * NN = precision at 1; FT = recall in the top |C|−1; ST = recall in the top 2(|C|−1); DCG = Σ G_i / log2(i) (G_1 not
 * discounted) normalised by the ideal DCG; mAP = mean average precision. Queries whose class has one member are
 * skipped. Plain functions: (ranked relevance) → number.
 */

export interface RetrievalMetrics {
  map: number;
  nn: number;
  ft: number;
  st: number;
  dcg: number;
  /** Queries that counted (class size ≥ 2). */
  queries: number;
}

/** Per-query metrics from a ranked list of relevance flags (query excluded) and the number of relevant items. */
export function queryMetrics(ranked: ArrayLike<boolean>, relevant: number): Omit<RetrievalMetrics, 'queries'> {
  let hits = 0;
  let apSum = 0;
  let dcg = 0;
  let ft = 0;
  let st = 0;
  for (let i = 0; i < ranked.length; i++) {
    if (!ranked[i]) continue;
    hits++;
    apSum += hits / (i + 1);
    dcg += i === 0 ? 1 : 1 / Math.log2(i + 1);
    if (i < relevant) ft++;
    if (i < 2 * relevant) st++;
  }
  let ideal = 0;
  for (let i = 0; i < relevant; i++) ideal += i === 0 ? 1 : 1 / Math.log2(i + 1);
  return {
    map: relevant > 0 ? apSum / relevant : 0,
    nn: ranked.length > 0 && ranked[0] ? 1 : 0,
    ft: relevant > 0 ? ft / relevant : 0,
    st: relevant > 0 ? st / relevant : 0,
    dcg: ideal > 0 ? dcg / ideal : 0,
  };
}

export interface EvaluationResult {
  overall: RetrievalMetrics;
  /** Per class: metrics averaged over that class's queries. */
  perClass: Map<string, RetrievalMetrics>;
}

/**
 * Evaluates embeddings (rows, cosine similarity) against labels: each shape queries all others.
 * Ties in similarity are broken by index so results are deterministic.
 */
export function evaluateRetrieval(embeddings: readonly Float32Array[], labels: readonly string[]): EvaluationResult {
  const n = embeddings.length;
  const unit = embeddings.map((e) => {
    let s = 0;
    for (let i = 0; i < e.length; i++) s += e[i]! * e[i]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    return e.map((v) => v * inv);
  });
  const classSize = new Map<string, number>();
  for (const l of labels) classSize.set(l, (classSize.get(l) ?? 0) + 1);
  const sums = new Map<string, RetrievalMetrics>();
  const total: RetrievalMetrics = { map: 0, nn: 0, ft: 0, st: 0, dcg: 0, queries: 0 };
  const sim = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    const relevant = classSize.get(labels[q]!)! - 1;
    if (relevant < 1) continue;
    const a = unit[q]!;
    for (let j = 0; j < n; j++) {
      const b = unit[j]!;
      let s = 0;
      for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
      sim[j] = s;
    }
    const order = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== q)
      .sort((x, y) => sim[y]! - sim[x]! || x - y);
    const m = queryMetrics(
      order.map((j) => labels[j] === labels[q]),
      relevant,
    );
    const c = sums.get(labels[q]!) ?? { map: 0, nn: 0, ft: 0, st: 0, dcg: 0, queries: 0 };
    for (const key of ['map', 'nn', 'ft', 'st', 'dcg'] as const) {
      c[key] += m[key];
      total[key] += m[key];
    }
    c.queries++;
    total.queries++;
    sums.set(labels[q]!, c);
  }
  const avg = (m: RetrievalMetrics): RetrievalMetrics => {
    const d = Math.max(1, m.queries);
    return { map: m.map / d, nn: m.nn / d, ft: m.ft / d, st: m.st / d, dcg: m.dcg / d, queries: m.queries };
  };
  const perClass = new Map([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, avg(v)] as const));
  return { overall: avg(total), perClass };
}
