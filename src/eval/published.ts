/**
 * Published reference numbers shown beside ours. Microsoft Recommenders benchmark on MovieLens 100K
 * (examples/06_benchmarks, README "Algorithm comparison"): stratified 75/25 split per user, all ratings relevant,
 * top-10, MAP as recommenders ≤ 1.1 `map_at_k` (÷ |relevant|), recall = hits/|relevant|.
 */
export interface PublishedRow {
  model: string;
  source: string;
  ndcg: number;
  precision: number;
  recall: number;
  map: number;
}

export const MS_RECOMMENDERS_ML100K: readonly PublishedRow[] = [
  { model: 'BiVAE', source: 'MS Recommenders', ndcg: 0.475, precision: 0.412, recall: 0.219, map: 0.146 },
  { model: 'BPR', source: 'MS Recommenders', ndcg: 0.442, precision: 0.388, recall: 0.213, map: 0.132 },
  { model: 'NCF', source: 'MS Recommenders', ndcg: 0.396, precision: 0.347, recall: 0.181, map: 0.108 },
  { model: 'SAR', source: 'MS Recommenders', ndcg: 0.382, precision: 0.331, recall: 0.176, map: 0.111 },
];

/** The published rows that apply to a run (ML-100K, stratified, k = 10), else none. */
export function publishedFor(dataset: string, protocol: string, k: number): readonly PublishedRow[] {
  return dataset === 'ml-100k' && protocol === 'stratified' && k === 10 ? MS_RECOMMENDERS_ML100K : [];
}
