/** Releasing the training data for serving keeps fold-in, explanations and similar items exactly as they were. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Interactions } from './interactions.js';
import { createModel, loadRecommender, servingArtifact } from './registry.js';

function data() {
  const rng = new Rng(5);
  const events = Array.from({ length: 4000 }, () => ({
    user: `u${rng.int(300)}`,
    item: `i${Math.floor(rng.next() ** 2 * 200)}`,
    weight: 1 + rng.int(3),
  }));
  return Interactions.fromEvents(events).data;
}

describe('releaseTrainingData', () => {
  it('drops the matrix of factor, item–item and popularity models without changing what serving computes', async () => {
    const d = data();
    const items = Int32Array.from([3, 8, 21, 40]);
    const weights = Float32Array.from([1, 2, 1, 3]);
    for (const kind of ['ials', 'bpr', 'itemknn', 'rp3beta', 'pop']) {
      const model = createModel(kind, kind === 'bpr' ? { epochs: 2 } : {});
      await model.fit(d, { seed: 1 });
      const before = new Float32Array(d.nItems);
      model.scoreHistory(items, weights, before);
      const explain = model.explainHistoryIndices(items, weights, 5, 3);
      const similar = model.similarItems('i7', 5);
      expect((model as unknown as { releaseTrainingData(): boolean }).releaseTrainingData()).toBe(true);
      expect(model.data.nnz).toBe(0);
      expect(model.data.nUsers).toBe(d.nUsers);
      const after = new Float32Array(d.nItems);
      model.scoreHistory(items, weights, after);
      expect(after).toEqual(before);
      expect(model.explainHistoryIndices(items, weights, 5, 3)).toEqual(explain);
      expect(model.similarItems('i7', 5)).toEqual(similar);
    }
  });

  it('keeps the matrix of models that score from it (user-based)', async () => {
    const model = createModel('userknn');
    await model.fit(data());
    expect((model as unknown as { releaseTrainingData(): boolean }).releaseTrainingData()).toBe(false);
    expect(model.data.nnz).toBeGreaterThan(0);
  });

  it('stores a serving form without users that serves exactly what the whole artifact does', async () => {
    const d = data();
    const items = Int32Array.from([3, 8, 21, 40]);
    const weights = Float32Array.from([1, 2, 1, 3]);
    for (const kind of ['ials', 'bpr', 'itemknn', 'rp3beta', 'pop']) {
      const model = createModel(kind, kind === 'bpr' ? { epochs: 2 } : {});
      await model.fit(d, { seed: 1 });
      const bytes = model.save();
      const form = servingArtifact(bytes);
      expect(form, kind).not.toBeNull();
      expect(form!.length, kind).toBeLessThan(bytes.length);
      const whole = loadRecommender(bytes, { serving: true });
      for (const light of [loadRecommender(form!, { serving: true }), loadRecommender(form!)]) {
        expect(light.data.nUsers, kind).toBe(0);
        expect(light.data.nItems, kind).toBe(d.nItems);
        const a = new Float32Array(d.nItems);
        const b = new Float32Array(d.nItems);
        whole.scoreHistory(items, weights, a);
        light.scoreHistory(items, weights, b);
        expect(b, kind).toEqual(a);
        expect(light.explainHistoryIndices(items, weights, 5, 3), kind).toEqual(
          whole.explainHistoryIndices(items, weights, 5, 3),
        );
        expect(light.similarItems('i7', 5), kind).toEqual(whole.similarItems('i7', 5));
      }
    }
  });

  it('has no serving form for models that serve from their whole artifact', async () => {
    const model = createModel('userknn');
    await model.fit(data());
    expect(servingArtifact(model.save())).toBeNull();
  });
});
