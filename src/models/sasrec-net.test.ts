/** The whole SASRec network's gradients (two blocks, one and two heads, padding) against central differences. */
import { expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { Adam, BufferPool, crossEntropy, embedding, tiedCrossEntropy } from '../nn/index.js';
import { gradCheck } from '../nn/testing/gradcheck.js';
import { SasrecNet } from './sasrec-net.js';

it.each([1, 2])('every parameter gradient of the next-item loss matches central differences (%i heads)', (heads) => {
  const net = new SasrecNet({ nItems: 7, dim: 4, blocks: 2, heads, maxLen: 5, dropout: 0 }, new Rng(2));
  const tokens = Int32Array.from([-1, -1, 1, 2, 3, 0, 4, 5, 6, 2]);
  const rows = Int32Array.from([2, 3, 5, 6, 7, 8]);
  const labels = Int32Array.from([2, 3, 4, 5, 6, 1]);
  const f = () => crossEntropy(net.logits(embedding(net.forward(tokens, 2, { training: false }), rows)), labels);
  for (const [name, p] of net.namedParameters()) {
    const r = gradCheck(f, [p], 1e-2, 12);
    expect(r.maxError, `${name}: ${JSON.stringify(r.worst)}`).toBeLessThan(1e-2);
  }
});

it('training steps in a pool give the same parameters to the bit as without', () => {
  const train = (usePool: boolean): Float32Array[] => {
    const rng = new Rng(3);
    // 6 × 24 rows × 32 wide: every activation is above the pool's small-buffer cut-off
    const net = new SasrecNet({ nItems: 40, dim: 32, blocks: 2, heads: 1, maxLen: 24, dropout: 0.2 }, rng);
    const opt = new Adam(net.parameters(), { lr: 1e-2 });
    const pool = new BufferPool();
    const data = new Rng(4);
    for (let step = 0; step < 4; step++) {
      const tokens = Int32Array.from({ length: 6 * 24 }, (_, i) => (i % 24 < 3 * step ? -1 : data.int(40)));
      const rows = Int32Array.from({ length: 6 * 24 }, (_, i) => i).filter((r) => tokens[r]! >= 0);
      const labels = Int32Array.from(rows, () => data.int(40));
      const step1 = (): number => {
        opt.zeroGrad();
        const loss = tiedCrossEntropy(
          embedding(net.forward(tokens, 6, { training: true, rng }), rows),
          net.items,
          labels,
        );
        loss.backward();
        opt.step();
        return loss.item();
      };
      if (usePool) pool.run(step1);
      else step1();
    }
    return net.parameters().map((p) => p.data.slice());
  };
  const plain = train(false);
  const pooled = train(true);
  for (const [i, p] of pooled.entries()) expect(Array.from(p)).toEqual(Array.from(plain[i]!));
});

it('a batch cut to its longest sequence gives the states of the maxLen-padded batch', () => {
  const net = new SasrecNet({ nItems: 9, dim: 8, blocks: 2, heads: 1, maxLen: 6, dropout: 0.2 }, new Rng(5));
  // two sequences of 3 and 2 events: padded to 6, or cut to 3
  const full = Int32Array.from([-1, -1, -1, 4, 1, 7, -1, -1, -1, -1, 2, 8]);
  const cut = Int32Array.from([4, 1, 7, -1, 2, 8]);
  const a = net.forward(full, 2, { training: false }).data;
  const b = net.forward(cut, 2, { training: false, length: 3 }).data;
  const rows: [number, number][] = [
    [3, 0],
    [4, 1],
    [5, 2],
    [10, 4],
    [11, 5],
  ];
  for (const [ra, rb] of rows) for (let j = 0; j < 8; j++) expect(b[rb * 8 + j]).toBeCloseTo(a[ra * 8 + j]!, 5);
  expect(() => net.forward(cut, 2, { training: false, length: 7 })).toThrowError(/tokens/);
});
