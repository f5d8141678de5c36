/**
 * The two networks of the two-tower recommender (two-tower.ts), on src/nn:
 *   item tower  v_i = norm(W₂·relu(c_i·W_c + k_i·E[i] + b) + b₂)        content c_i, id embedding E[i]
 *   user tower  z_u = norm(U₂·relu(Σ_h w_h (c_h·U_c + F[h]) / Σ_h w_h + b_u) + b₂′)   over the history h of u
 * where k_i ∈ {0, 1} drops the id part (always 0 for an item without events, so a new item is scored from content
 * alone) and F is a second, history-side id embedding. The first layers read [content, id embedding]; an id
 * embedding through a linear layer is itself an embedding, so the ids enter in the hidden space. The user tower's
 * first layer is linear in the history, so serving keeps one row H_h = c_h·U_c + F[h] per item and averages rows.
 */
import type { Rng } from '../core/rng.js';
import type { CsrMatrix } from '../nn/csr.js';
import { Linear } from '../nn/layers.js';
import { add } from '../nn/ops/broadcast.js';
import { linear, spLinear } from '../nn/ops/matmul.js';
import { l2Normalize } from '../nn/ops/normalize.js';
import { embedding, maskRows } from '../nn/ops/sampling.js';
import { relu } from '../nn/ops/unary.js';
import { noGrad, parameter, Tensor } from '../nn/tensor.js';

export interface TowerSizes {
  /** Content columns (0: ids only). */
  contentDim: number;
  nItems: number;
  hidden: number;
  dim: number;
}

export class TwoTowerNet {
  /** Item tower: content → hidden (no bias), id embedding, bias, hidden → dim. */
  readonly itemContent: Tensor | undefined;
  readonly itemIds: Tensor;
  readonly itemBias: Tensor;
  readonly itemOut: Linear;
  /** User tower: history content → hidden (no bias), history id embedding, bias, hidden → dim. */
  readonly userContent: Tensor | undefined;
  readonly userIds: Tensor;
  readonly userBias: Tensor;
  readonly userOut: Linear;

  constructor(
    readonly sizes: TowerSizes,
    rng: Rng,
    withIds = true,
  ) {
    const { contentDim: c, nItems, hidden: h, dim } = sizes;
    const glorot = (rows: number, cols: number, name: string): Tensor => {
      const limit = Math.sqrt(6 / (rows + cols));
      return parameter(Tensor.uniform([rows, cols], rng, -limit, limit), name);
    };
    this.itemContent = c > 0 ? glorot(c, h, 'itemContent') : undefined;
    this.userContent = c > 0 ? glorot(c, h, 'userContent') : undefined;
    // id tables only while training: a saved model keeps their products (item vectors, history rows) instead
    const n = withIds ? nItems : 1;
    this.itemIds = parameter(Tensor.randn([n, h], rng, 0.05), 'itemIds');
    this.userIds = parameter(Tensor.randn([n, h], rng, 0.05), 'userIds');
    this.itemBias = parameter(Tensor.zeros([h]), 'itemBias');
    this.userBias = parameter(Tensor.zeros([h]), 'userBias');
    this.itemOut = new Linear(h, dim, rng);
    this.userOut = new Linear(h, dim, rng);
  }

  parameters(): Tensor[] {
    return this.named().map(([, t]) => t);
  }

  /** Every parameter by a stable name (the artifact's tensor names). */
  named(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    if (this.itemContent) out.push(['itemContent', this.itemContent]);
    if (this.userContent) out.push(['userContent', this.userContent]);
    out.push(['itemIds', this.itemIds], ['userIds', this.userIds], ['itemBias', this.itemBias]);
    out.push(['userBias', this.userBias], ...this.itemOut.namedParameters('itemOut'));
    out.push(...this.userOut.namedParameters('userOut'));
    return out;
  }

  /** The parameters a saved model keeps (no id tables: their products are saved as item vectors and history rows). */
  servingNamed(): [string, Tensor][] {
    return this.named().filter(([n]) => n !== 'itemIds' && n !== 'userIds');
  }

  /** Item vectors [n, dim] of `items` from content rows `x` ([n, contentDim] or undefined); keep[r] = 0 drops the id. */
  items(items: ArrayLike<number>, x: Tensor | undefined, keep: Uint8Array): Tensor {
    let pre = maskRows(embedding(this.itemIds, items), keep);
    if (x && this.itemContent) pre = add(pre, linear(x, this.itemContent));
    return l2Normalize(this.itemOut.forward(relu(add(pre, this.itemBias))));
  }

  /** User vectors [b, dim] from history content means `x` ([b, contentDim]) and row-normalised histories `a`. */
  users(x: Tensor | undefined, a: CsrMatrix): Tensor {
    let pre = spLinear(a, this.userIds, this.userBias);
    if (x && this.userContent) pre = add(pre, linear(x, this.userContent));
    return l2Normalize(this.userOut.forward(relu(pre)));
  }

  /** User vectors from hidden pre-activations already averaged over the history (serving): [b, hidden] → [b, dim]. */
  usersFromHidden(pre: Float32Array, rows: number): Float32Array {
    const h = this.sizes.hidden;
    return noGrad(() => {
      const x = new Tensor(pre, [rows, h]);
      return l2Normalize(this.userOut.forward(relu(add(x, this.userBias)))).data;
    });
  }

  /** History rows H_i = c_i·U_c (+ F[i] when `ids`) of content rows x [n, contentDim] for items (serving). */
  historyRows(items: ArrayLike<number>, x: Tensor | undefined, ids: boolean): Float32Array {
    const h = this.sizes.hidden;
    return noGrad(() => {
      const out = new Float32Array(items.length * h);
      if (x && this.userContent) out.set(linear(x, this.userContent).data);
      if (ids)
        for (let r = 0; r < items.length; r++) {
          const o = items[r]! * h;
          for (let k = 0; k < h; k++) out[r * h + k] = out[r * h + k]! + this.userIds.data[o + k]!;
        }
      return out;
    });
  }
}
