/**
 * Per-dimension standardisation of low-level features (z-scores fitted on the library), with per-block weights so
 * each descriptor family (D2, A3, D3, moments, views) carries equal total weight regardless of its length.
 */
import { FEATURE_BLOCKS, FEATURE_LENGTH } from '../../geometry/descriptors-features.js';

export class Standardizer {
  constructor(
    readonly mean: Float32Array,
    readonly scale: Float32Array,
  ) {}

  /** Fits on rows of `FEATURE_LENGTH` values; constant dimensions get scale 0 (ignored). */
  static fit(rows: readonly Float32Array[], balanceBlocks = true): Standardizer {
    const d = FEATURE_LENGTH;
    const n = Math.max(1, rows.length);
    const mean = new Float32Array(d);
    const scale = new Float32Array(d);
    for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j]! / n;
    const varr = new Float64Array(d);
    for (const r of rows) for (let j = 0; j < d; j++) varr[j] += (r[j]! - mean[j]!) ** 2 / n;
    for (const b of FEATURE_BLOCKS) {
      const w = balanceBlocks ? 1 / Math.sqrt(b.length) : 1;
      for (let j = b.start; j < b.start + b.length; j++) {
        const sd = Math.sqrt(varr[j]!);
        scale[j] = sd > 1e-8 ? w / sd : 0;
      }
    }
    return new Standardizer(mean, scale);
  }

  apply(row: Float32Array): Float32Array {
    const out = new Float32Array(row.length);
    for (let j = 0; j < row.length; j++) {
      // clip extreme z-scores so one odd feature cannot dominate a distance
      const z = (row[j]! - this.mean[j]!) * this.scale[j]!;
      out[j] = Math.max(-6, Math.min(6, z));
    }
    return out;
  }
}
