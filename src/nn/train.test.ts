import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { availableBackends, setBackend } from './backend/index.js';
import { Mlp } from './layers.js';
import { crossEntropy, mse } from './losses.js';
import { softmax } from './ops/softmax.js';
import { Adam, AdamW, Sgd } from './optim.js';
import { noGrad, Tensor } from './tensor.js';

/** Two interleaved half-moons (sklearn's make_moons) with Gaussian noise. */
function twoMoons(n: number, noise: number, rng: Rng): { x: Tensor; y: Int32Array } {
  const x = Tensor.zeros([n, 2]);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = Math.PI * rng.next();
    x.data[2 * i] = (c === 0 ? Math.cos(t) : 1 - Math.cos(t)) + rng.normal(0, noise);
    x.data[2 * i + 1] = (c === 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + rng.normal(0, noise);
    y[i] = c;
  }
  return { x, y };
}

function accuracy(logits: Tensor, y: Int32Array): number {
  const p = softmax(logits);
  let ok = 0;
  for (let i = 0; i < y.length; i++) if ((p.data[2 * i + 1]! > 0.5 ? 1 : 0) === y[i]) ok++;
  return ok / y.length;
}

describe.each(availableBackends())('a tiny MLP learns (%s backend)', (name) => {
  beforeAll(() => setBackend(name));

  it('XOR with tanh + MSE + SGD(momentum)', () => {
    const rng = new Rng(3);
    const net = new Mlp([2, 8, 1], rng, { activation: 'tanh' });
    const x = Tensor.from([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
    const t = Tensor.from([0, 1, 1, 0], [4, 1]);
    const opt = new Sgd(net.parameters(), { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 500; i++) {
      opt.zeroGrad();
      mse(net.forward(x), t).backward();
      opt.step();
    }
    const out = noGrad(() => net.forward(x)).toArray();
    expect(out.map((v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    expect(noGrad(() => mse(net.forward(x), t).item())).toBeLessThan(0.01);
  });

  it('two moons with relu + cross-entropy + Adam reaches > 97% held-out accuracy', () => {
    const rng = new Rng(5);
    const train = twoMoons(400, 0.1, rng);
    const test = twoMoons(400, 0.1, rng);
    const net = new Mlp([2, 32, 32, 2], rng);
    const opt = new Adam(net.parameters(), { lr: 0.02 });
    const before = accuracy(
      noGrad(() => net.forward(test.x)),
      test.y,
    );
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      crossEntropy(net.forward(train.x), train.y).backward();
      opt.step();
    }
    const after = accuracy(
      noGrad(() => net.forward(test.x)),
      test.y,
    );
    expect(before).toBeLessThan(0.9);
    expect(after).toBeGreaterThan(0.97);
  });

  it('AdamW with gradient clipping also fits two moons', () => {
    const rng = new Rng(8);
    const train = twoMoons(200, 0.1, rng);
    const net = new Mlp([2, 32, 2], rng, { activation: 'gelu' });
    const opt = new AdamW(net.parameters(), { lr: 0.03, weightDecay: 1e-3, clipNorm: 1 });
    for (let i = 0; i < 300; i++) {
      opt.zeroGrad();
      crossEntropy(net.forward(train.x), train.y).backward();
      opt.step();
    }
    expect(
      accuracy(
        noGrad(() => net.forward(train.x)),
        train.y,
      ),
    ).toBeGreaterThan(0.95);
  });
});
