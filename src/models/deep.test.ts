/**
 * Deep autoencoder recommenders: the contract suite on small networks, gradient checks of the Mult-VAE objective
 * (multinomial likelihood + β·KL through the reparameterisation), determinism, and fold-in of a training user
 * equal to the batch scores of the trained network.
 */
import { describe, expect, it } from 'vitest';
import { checkerboard, runRecommenderContract } from '../../test/recommender-contract.js';
import { Rng } from '../core/rng.js';
import { multinomialNll } from '../nn/losses.js';
import { add } from '../nn/ops/broadcast.js';
import { scale } from '../nn/ops/unary.js';
import { gradCheck } from '../nn/testing/gradcheck.js';
import { userBatch } from './autoencoder.js';
import { MultDae, MultVae } from './mult-vae.js';
import { createModel } from './registry.js';
import { Sdae } from './sdae.js';

const SMALL = { hidden: 32, latent: 8, epochs: 150, lr: 0.01, batchSize: 10, dropout: 0.2 };

runRecommenderContract({ kind: 'multvae', create: () => new MultVae(SMALL) });
runRecommenderContract({ kind: 'multdae', create: () => new MultDae(SMALL) });
runRecommenderContract({ kind: 'sdae', create: () => new Sdae({ ...SMALL, pretrainEpochs: 30 }) });
runRecommenderContract({ kind: 'sdae-scratch', create: () => createModel('sdae-scratch', SMALL) });

describe('deep autoencoders', () => {
  const data = checkerboard(12);

  it('Mult-VAE loss (multinomial NLL + β·KL, reparameterised) has correct gradients', async () => {
    const m = new MultVae({ hidden: 6, latent: 3, epochs: 0 });
    await m.fit(data, { seed: 3 });
    const { input, target } = userBatch(data.matrix, [0, 1, 2, 5]);
    const params = (m as unknown as { parameters(): import('../nn/tensor.js').Tensor[] }).parameters();
    const f = () => {
      const { logits, extra } = m.forward(input, true, new Rng(11));
      return add(multinomialNll(logits, target), scale(extra!, 0.3));
    };
    const r = gradCheck(f, params, 1e-2, 12);
    expect(r.maxError).toBeLessThan(2e-2);
  });

  it('Mult-DAE loss has correct gradients', async () => {
    const m = new MultDae({ hidden: 6, latent: 3, epochs: 0 });
    await m.fit(data, { seed: 3 });
    const { input, target } = userBatch(data.matrix, [0, 3, 4]);
    const params = (m as unknown as { parameters(): import('../nn/tensor.js').Tensor[] }).parameters();
    const r = gradCheck(() => multinomialNll(m.forward(input, false).logits, target), params, 1e-2, 12);
    expect(r.maxError).toBeLessThan(2e-2);
  });

  it('training lowers the loss and one seed repeats exactly', async () => {
    const a = new MultVae(SMALL);
    const b = new MultVae(SMALL);
    const ra = await a.fit(data, { seed: 5 });
    const rb = await b.fit(data, { seed: 5 });
    expect(ra.losses!.at(-1)!).toBeLessThan(ra.losses![0]!);
    expect(rb.losses).toEqual(ra.losses);
    expect(Array.from(b.scoreAllUsers())).toEqual(Array.from(a.scoreAllUsers()));
  });

  it('fold-in of a training user equals its row of the batch scores at training time', async () => {
    for (const m of [new MultVae(SMALL), new Sdae({ ...SMALL, pretrainEpochs: 5 })]) {
      await m.fit(data, { seed: 2 });
      const all = m.scoreAllUsers();
      const n = data.nItems;
      const out = new Float32Array(n);
      for (let u = 0; u < data.nUsers; u++) {
        m.scoreHistory(data.rowItems(u), data.rowWeights(u), out);
        for (let j = 0; j < n; j++) expect(out[j]).toBeCloseTo(all[u * n + j]!, 4);
        const hist = Array.from(data.rowItems(u), (i) => ({ item: data.items.id(i) }));
        expect(m.recommendForHistory(hist, 3)).toEqual(m.recommend(data.users.id(u), 3));
      }
    }
  });

  it('explanations are occlusion: each weight is the logit drop when that history item is removed', async () => {
    const m = new MultVae(SMALL);
    await m.fit(data, { seed: 4 });
    const hist = [2, 4, 6, 9].map((i) => `i${i}`);
    const ev = m.explainForHistory(
      hist.map((item) => ({ item })),
      'i8',
      10,
    );
    const t = data.items.index('i8')!;
    const logit = (ids: string[]): number => {
      const { items, weights } = m.historyArrays(ids.map((item) => ({ item })));
      const out = new Float32Array(data.nItems);
      m.scoreHistory(items, weights, out);
      return out[t]!;
    };
    expect(ev.score).toBeCloseTo(logit(hist), 4);
    expect(ev.contributions.length).toBe(4);
    for (const c of ev.contributions)
      expect(c.weight).toBeCloseTo(logit(hist) - logit(hist.filter((x) => x !== c.item)), 4);
  });

  it('layer-wise pre-training runs both levels and lowers their losses', async () => {
    const m = new Sdae({ ...SMALL, epochs: 1, pretrainEpochs: 40 });
    await m.fit(data, { seed: 1 });
    const p = m.pretrainLosses!;
    expect(p.level1.length).toBe(40);
    expect(p.level1.at(-1)!).toBeLessThan(p.level1[0]!);
    expect(p.level2.at(-1)!).toBeLessThan(p.level2[0]!);
    const scratch = new Sdae({ ...SMALL, epochs: 1 }, 'sdae-scratch');
    await scratch.fit(data, { seed: 1 });
    expect(scratch.pretrainLosses).toBeUndefined();
  });

  it('rejects bad parameters with invalid_argument', () => {
    expect(() => new MultVae({ hidden: 0 })).toThrowError(/hidden/);
    expect(() => new MultDae({ dropout: 1 })).toThrowError(/dropout/);
    expect(() => new Sdae({ pretrainEpochs: -1 })).toThrowError(/pretrainEpochs/);
    expect(() => new MultVae({ annealCap: -1 })).toThrowError(/annealCap/);
  });
});
