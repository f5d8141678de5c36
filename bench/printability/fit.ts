/**
 * Calibration maths for bench/printability: non-negative least squares on relative error (each part weighs the
 * same, whether it prints in 2 minutes or 20 hours) by projected coordinate descent on the normal equations, and
 * the deterministic fit/holdout split.
 */
import { createHash } from 'node:crypto';

/** Minimises Σᵢ ((Xᵢ·c − yᵢ) / yᵢ)² over c ≥ 0. X: rows of features. */
export function nnlsRelative(X: number[][], y: number[]): number[] {
  const k = X[0]!.length;
  const G = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const b = new Array<number>(k).fill(0);
  X.forEach((row, i) => {
    const w = 1 / (y[i]! * y[i]!);
    for (let p = 0; p < k; p++) {
      b[p]! += w * row[p]! * y[i]!;
      for (let q = 0; q < k; q++) G[p]![q]! += w * row[p]! * row[q]!;
    }
  });
  const c = new Array<number>(k).fill(1);
  for (let sweep = 0; sweep < 20_000; sweep++) {
    let moved = 0;
    for (let p = 0; p < k; p++) {
      if (G[p]![p]! <= 0) {
        c[p] = 0;
        continue;
      }
      let g = -b[p]!;
      for (let q = 0; q < k; q++) g += G[p]![q]! * c[q]!;
      const next = Math.max(0, c[p]! - g / G[p]![p]!);
      moved = Math.max(moved, Math.abs(next - c[p]!));
      c[p] = next;
    }
    if (moved < 1e-12) break;
  }
  return c;
}

/** Half the parts (by a hash of the name) fit the model; the others are held out. */
export function inFitSet(name: string): boolean {
  return createHash('sha256').update(name).digest()[0]! % 2 === 0;
}

export const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
