/** The whole SASRec network's gradients (two blocks, two heads, padding) against central differences. */
import { expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { crossEntropy, embedding } from '../nn/index.js';
import { gradCheck } from '../nn/testing/gradcheck.js';
import { SasrecNet } from './sasrec-net.js';

it('every parameter gradient of the next-item loss matches central differences', () => {
  const net = new SasrecNet({ nItems: 7, dim: 4, blocks: 2, heads: 2, maxLen: 5, dropout: 0 }, new Rng(2));
  const tokens = Int32Array.from([-1, -1, 1, 2, 3, 0, 4, 5, 6, 2]);
  const rows = Int32Array.from([2, 3, 5, 6, 7, 8]);
  const labels = Int32Array.from([2, 3, 4, 5, 6, 1]);
  const f = () => crossEntropy(net.logits(embedding(net.forward(tokens, 2, { training: false }), rows)), labels);
  for (const [name, p] of net.namedParameters()) {
    const r = gradCheck(f, [p], 1e-2, 12);
    expect(r.maxError, `${name}: ${JSON.stringify(r.worst)}`).toBeLessThan(1e-2);
  }
});
