/**
 * Scaled dot-product attention (Vaswani et al., "Attention is all you need", NeurIPS 2017) over a batch of
 * sequences, with a causal mask and a key-padding mask, fused into one op with its own backward. Each sequence's
 * score matrix is one GEMM on the backend (OpenBLAS when native), the masked softmax runs in place, and the
 * probabilities are kept for the backward pass (B·H·L² floats; small for the sequence lengths recommenders use).
 *
 * Layout: q, k, v are [batch·length, heads·headDim] row-major (the output of one Linear per projection); head h
 * uses columns h·headDim … (h+1)·headDim. A query with no visible key (a left-padding position under the causal
 * mask) gets an all-zero probability row and a zero output.
 */
import { LayerwiseError } from '../../core/errors.js';
import { backend } from '../backend/index.js';
import { floats } from '../pool.js';
import { makeResult, type Tensor } from '../tensor.js';

export interface AttentionOptions {
  batch: number;
  length: number;
  heads: number;
  /** Query i sees keys j ≤ i only (default true). */
  causal?: boolean;
  /** Per key position [batch·length]: 1 = a real event, 0 = padding (never attended to). Default all 1. */
  keyMask?: Uint8Array;
  /** Receives the probabilities [batch, heads, length, length] (explanations, tests). */
  onProbs?: (probs: Float32Array) => void;
}

/** Copies head h of sequence b from x ([B·L, D]) into dst ([L, dh]). */
function headCopy(x: Float32Array, dst: Float32Array, b: number, h: number, l: number, d: number, dh: number): void {
  for (let i = 0; i < l; i++) {
    const o = (b * l + i) * d + h * dh;
    for (let j = 0; j < dh; j++) dst[i * dh + j] = x[o + j]!;
  }
}

/** Adds src ([L, dh]) into head h of sequence b of x ([B·L, D]). */
function headAdd(src: Float32Array, x: Float32Array, b: number, h: number, l: number, d: number, dh: number): void {
  for (let i = 0; i < l; i++) {
    const o = (b * l + i) * d + h * dh;
    for (let j = 0; j < dh; j++) x[o + j] = x[o + j]! + src[i * dh + j]!;
  }
}

/** softmax(q·kᵀ/√dh + mask)·v per sequence and head. */
export function attention(q: Tensor, k: Tensor, v: Tensor, o: AttentionOptions): Tensor {
  const { batch: bs, length: l, heads } = o;
  const rows = bs * l;
  if (q.rank !== 2 || q.shape[0] !== rows || k.shape.join() !== q.shape.join() || v.shape.join() !== q.shape.join())
    throw new LayerwiseError(
      'invalid_argument',
      `attention: q, k, v must all be [${rows}, D] (batch ${bs} × length ${l}), got [${q.shape}], [${k.shape}], [${v.shape}]`,
    );
  const d = q.shape[1]!;
  if (!(Number.isInteger(heads) && heads >= 1 && d % heads === 0))
    throw new LayerwiseError('invalid_argument', `attention: width ${d} is not divisible by heads=${heads}`);
  if (o.keyMask && o.keyMask.length !== rows)
    throw new LayerwiseError(
      'invalid_argument',
      `attention: keyMask has ${o.keyMask.length} entries, expected ${rows}`,
    );
  const causal = o.causal ?? true;
  const mask = o.keyMask;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const be = backend();
  const probs = floats(bs * heads * l * l, false); // every block written by its GEMM (beta 0)
  const out = floats(rows * d, heads > 1); // one head: written by the GEMMs (beta 0); more: summed into
  const qh = new Float32Array(l * dh);
  const kh = new Float32Array(l * dh);
  const vh = new Float32Array(l * dh);
  const oh = new Float32Array(l * dh);
  // one head: head h of sequence b is the contiguous block of rows b·L … (b+1)·L, read and written in place
  const one = heads === 1;
  const headIn = (x: Float32Array, buf: Float32Array, b: number, h: number): Float32Array => {
    if (one) return x.subarray(b * l * d, (b + 1) * l * d);
    headCopy(x, buf, b, h, l, d, dh);
    return buf;
  };
  /** dst(head h of sequence b) (+)= the [L, dh] product `gemm` writes (beta 0 into a fresh block, else 1). */
  const headOut = (
    dst: Float32Array,
    b: number,
    h: number,
    beta: number,
    gemm: (c: Float32Array, beta: number) => void,
  ) => {
    if (one) return gemm(dst.subarray(b * l * d, (b + 1) * l * d), beta);
    gemm(oh, 0);
    headAdd(oh, dst, b, h, l, d, dh);
  };
  for (let b = 0; b < bs; b++) {
    for (let h = 0; h < heads; h++) {
      const qb = headIn(q.data, qh, b, h);
      const kb = headIn(k.data, kh, b, h);
      const vb = headIn(v.data, vh, b, h);
      const p = probs.subarray((b * heads + h) * l * l, (b * heads + h + 1) * l * l);
      be.sgemm(false, true, l, l, dh, scale, qb, kb, 0, p);
      for (let i = 0; i < l; i++) {
        const r = i * l;
        const last = causal ? i : l - 1;
        let mx = Number.NEGATIVE_INFINITY;
        for (let j = 0; j <= last; j++) if ((!mask || mask[b * l + j]) && p[r + j]! > mx) mx = p[r + j]!;
        let s = 0;
        for (let j = 0; j < l; j++) {
          const e = j <= last && (!mask || mask[b * l + j]) ? Math.exp(p[r + j]! - mx) : 0;
          p[r + j] = e;
          s += e;
        }
        const inv = s > 0 ? 1 / s : 0;
        for (let j = 0; j < l; j++) p[r + j] = p[r + j]! * inv;
      }
      headOut(out, b, h, 0, (c, beta) => be.sgemm(false, false, l, dh, l, 1, p, vb, beta, c));
    }
  }
  o.onProbs?.(probs);
  return makeResult(out, [rows, d], [q, k, v], (g) => {
    const gq = q.requiresGrad ? q.ensureGrad() : undefined;
    const gk = k.requiresGrad ? k.ensureGrad() : undefined;
    const gv = v.requiresGrad ? v.ensureGrad() : undefined;
    const go = new Float32Array(l * dh);
    const gp = new Float32Array(l * l);
    for (let b = 0; b < bs; b++) {
      for (let h = 0; h < heads; h++) {
        const p = probs.subarray((b * heads + h) * l * l, (b * heads + h + 1) * l * l);
        const gob = headIn(g, go, b, h);
        // dV = Pᵀ·dO
        if (gv) headOut(gv, b, h, 1, (c, beta) => be.sgemm(true, false, l, dh, l, 1, p, gob, beta, c));
        if (!gq && !gk) continue;
        be.sgemm(false, true, l, l, dh, 1, gob, headIn(v.data, vh, b, h), 0, gp); // dP = dO·Vᵀ
        for (let i = 0; i < l; i++) {
          const r = i * l;
          let dot = 0;
          for (let j = 0; j < l; j++) dot += gp[r + j]! * p[r + j]!;
          for (let j = 0; j < l; j++) gp[r + j] = p[r + j]! * (gp[r + j]! - dot) * scale; // dS (scaled)
        }
        if (gq) {
          const kb = headIn(k.data, kh, b, h);
          headOut(gq, b, h, 1, (c, beta) => be.sgemm(false, false, l, dh, l, 1, gp, kb, beta, c)); // dQ = dS·K
        }
        if (gk) {
          const qb = headIn(q.data, qh, b, h);
          headOut(gk, b, h, 1, (c, beta) => be.sgemm(true, false, l, dh, l, 1, gp, qb, beta, c)); // dK = dSᵀ·Q
        }
      }
    }
  });
}
