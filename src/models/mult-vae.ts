/**
 * Mult-VAE and Mult-DAE: Liang, Krishnan, Hoffman & Jebara, "Variational autoencoders for collaborative filtering",
 * WWW 2018 (arXiv:1802.05814). items → 600 → 200 → 600 → items with tanh hidden layers, dropout 0.5 on the
 * L2-normalised input, multinomial likelihood, Adam (lr 1e-3, batch 500). The VAE's encoder outputs μ and log σ² of a
 * diagonal Gaussian; training samples z = μ + σ·ε and adds β·KL(q ‖ N(0, I)) with β annealed linearly from 0 to
 * `annealCap` (0.2) over `annealSteps` updates; scoring uses z = μ. The DAE is the same network without the
 * sampling (a tanh bottleneck) and with a small L2 penalty (λ = 0.01 / batch in the paper's notebook).
 */
import { LayerwiseError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { klStdNormal } from '../nn/losses.js';
import { add, mul } from '../nn/ops/broadcast.js';
import { sliceLast } from '../nn/ops/reduce.js';
import { exp, scale, tanh } from '../nn/ops/unary.js';
import { Tensor } from '../nn/tensor.js';
import { AE_DEFAULTS, AutoencoderRecommender } from './autoencoder.js';
import type { FitContext } from './base.js';
import type { Interactions } from './interactions.js';

export const MULT_VAE_DEFAULTS = {
  ...AE_DEFAULTS,
  /** Final β of the KL term (Liang et al.'s best cap). */
  annealCap: 0.2,
  /** Updates over which β rises from 0 to annealCap; 0 = all the updates of the fit. */
  annealSteps: 0,
};

export const MULT_DAE_DEFAULTS = { ...AE_DEFAULTS, weightDecay: 4e-5 };

export class MultVae extends AutoencoderRecommender<typeof MULT_VAE_DEFAULTS> {
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('multvae', MULT_VAE_DEFAULTS, params);
  }

  protected override validate(): void {
    super.validate();
    if (!(this.params.annealCap >= 0)) throw new LayerwiseError('invalid_argument', 'multvae: annealCap must be ≥ 0');
    if (!(Number.isInteger(this.params.annealSteps) && this.params.annealSteps >= 0))
      throw new LayerwiseError('invalid_argument', 'multvae: annealSteps must be an integer ≥ 0');
  }

  protected override codeWidth(): number {
    return 2 * this.params.latent;
  }

  /** μ and log σ² of q(z | x) from the first layer's activations. */
  encode(h1: Tensor): { mu: Tensor; logvar: Tensor } {
    const q = this.encOut.forward(h1);
    const l = this.params.latent;
    return { mu: sliceLast(q, 0, l), logvar: sliceLast(q, l, 2 * l) };
  }

  /** Training samples z = μ + σ·ε and returns KL(q ‖ N(0, I)); scoring uses z = μ. */
  protected override middle(h1: Tensor, training: boolean, rng?: Rng): { h: Tensor; extra?: Tensor } {
    const { mu, logvar } = this.encode(h1);
    if (!training) return { h: tanh(this.dec.forward(mu)) };
    const eps = Tensor.randn(mu.shape, rng!);
    const z = add(mu, mul(eps, exp(scale(logvar, 0.5))));
    return { h: tanh(this.dec.forward(z)), extra: klStdNormal(mu, logvar) };
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs: number; losses: number[] }> {
    const rng = new Rng(ctx.seed);
    this.build(data.nItems, rng);
    const { epochs, batchSize, annealCap } = this.params;
    let users = 0;
    for (let u = 0; u < data.nUsers; u++) if (data.matrix.indptr[u + 1]! > data.matrix.indptr[u]!) users++;
    const total = this.params.annealSteps || Math.max(1, epochs * Math.ceil(users / batchSize));
    const losses = await this.trainEndToEnd(data, ctx, rng, epochs, {
      extraWeight: (step) => Math.min(annealCap, step / total),
    });
    return { epochs, losses };
  }
}

export class MultDae extends AutoencoderRecommender<typeof MULT_DAE_DEFAULTS> {
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('multdae', MULT_DAE_DEFAULTS, params);
  }

  protected async fitImpl(data: Interactions, ctx: FitContext): Promise<{ epochs: number; losses: number[] }> {
    const rng = new Rng(ctx.seed);
    this.build(data.nItems, rng);
    const losses = await this.trainEndToEnd(data, ctx, rng, this.params.epochs);
    return { epochs: this.params.epochs, losses };
  }
}
