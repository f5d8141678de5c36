/**
 * Stacked denoising autoencoder with greedy layer-wise pre-training (Vincent et al., "Stacked denoising
 * autoencoders", JMLR 2010; Hinton & Salakhutdinov, Science 2006, for the unrolled encoder/decoder pairs), then
 * end-to-end fine-tuning with the multinomial likelihood of Mult-DAE. items → hidden → latent → hidden → items, tanh.
 *
 * Pre-training trains the network from the outside in, one denoising autoencoder per level:
 *   1. enc (items → hidden) with decOut (hidden → items): dropout-noised normalised rows → reconstruct the row
 *      (multinomial likelihood);
 *   2. encOut (hidden → latent) with dec (latent → hidden): the level-1 codes tanh(enc·x), dropout-noised →
 *      reconstruct the codes (tanh output, squared error).
 * Fine-tuning then trains all four layers together exactly like Mult-DAE. `pretrain: false` (registered as
 * `sdae-scratch`) skips step 1–2, so the harness compares the two with the same fine-tuning budget.
 */
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { mse } from '../nn/losses.js';
import { dropout } from '../nn/ops/sampling.js';
import { tanh } from '../nn/ops/unary.js';
import { Adam } from '../nn/optim.js';
import { noGrad, Tensor } from '../nn/tensor.js';
import { AE_DEFAULTS, AutoencoderRecommender, activeUsers, userBatch } from './autoencoder.js';
import type { FitContext } from './base.js';
import type { Interactions } from './interactions.js';

export const SDAE_DEFAULTS = {
  ...AE_DEFAULTS,
  weightDecay: 4e-5,
  /** Greedy layer-wise pre-training before fine-tuning. */
  pretrain: true,
  /** Epochs of each pre-training level. */
  pretrainEpochs: 20,
};

export class Sdae extends AutoencoderRecommender<typeof SDAE_DEFAULTS> {
  constructor(params: Readonly<Record<string, unknown>> = {}, kind: 'sdae' | 'sdae-scratch' = 'sdae') {
    super(kind, kind === 'sdae' ? SDAE_DEFAULTS : { ...SDAE_DEFAULTS, pretrain: false }, params);
  }

  protected override validate(): void {
    super.validate();
    const e = this.params.pretrainEpochs;
    if (!(Number.isInteger(e) && e >= 0))
      throw new LayerwiseError('invalid_argument', `${this.kind}: pretrainEpochs must be an integer ≥ 0, got ${e}`);
  }

  /** Level 2: a denoising autoencoder on the level-1 codes (squared error, tanh reconstruction). */
  private async pretrainLevel2(data: Interactions, ctx: FitContext, rng: Rng): Promise<number[]> {
    const users = activeUsers(data.matrix);
    const { input } = userBatch(data.matrix, users);
    const codes = noGrad(() => this.level1(input));
    const h = this.params.hidden;
    const params = [...this.encOut.parameters(), ...this.dec.parameters()];
    const opt = new Adam(params, { lr: this.params.lr, weightDecay: this.params.weightDecay });
    const order = users.map((_, i) => i);
    const losses: number[] = [];
    for (let e = 0; e < this.params.pretrainEpochs; e++) {
      rng.shuffle(order);
      let total = 0;
      for (let s = 0; s < order.length; s += this.params.batchSize) {
        const rows = order.slice(s, s + this.params.batchSize);
        const x = new Tensor(new Float32Array(rows.length * h), [rows.length, h]);
        rows.forEach((r, i) => {
          x.data.set(codes.data.subarray(r * h, (r + 1) * h), i * h);
        });
        opt.zeroGrad();
        const noisy = dropout(x, this.params.dropout, rng, true);
        const loss = mse(tanh(this.dec.forward(tanh(this.encOut.forward(noisy)))), x);
        loss.backward();
        opt.step();
        total += loss.item() * rows.length;
      }
      losses.push(total / Math.max(1, order.length));
      await ctx.pause();
    }
    return losses;
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs: number; losses: number[] }> {
    const rng = new Rng(ctx.seed);
    this.build(data.nItems, rng);
    if (this.params.pretrain && this.params.pretrainEpochs > 0) {
      const l1 = await this.trainEndToEnd(data, ctx, rng, this.params.pretrainEpochs, {
        params: [...this.enc.parameters(), ...this.decOut.parameters()],
        forward: (x) => ({ logits: this.decOut.forward(this.level1(x)) }),
      });
      const l2 = await this.pretrainLevel2(data, ctx, rng);
      this.pretrainLosses = { level1: l1, level2: l2 };
    }
    const losses = await this.trainEndToEnd(data, ctx, rng, this.params.epochs);
    return { epochs: this.params.epochs, losses };
  }

  /** Mean losses per pre-training epoch of the last fit (level 1: multinomial NLL; level 2: squared error). */
  pretrainLosses: { level1: number[]; level2: number[] } | undefined;
}
