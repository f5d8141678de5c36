import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { pca, project, symmetricEigen } from './pca.js';

describe('symmetricEigen', () => {
  it('decomposes a random symmetric matrix: A v = λ v, orthonormal rows, descending values', () => {
    const n = 40;
    const rng = new Rng(3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const { values, vectors } = symmetricEigen(a, n);
    for (let r = 0; r < n; r++) {
      if (r > 0) expect(values[r]!).toBeLessThanOrEqual(values[r - 1]! + 1e-12);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) av += a[i * n + k]! * vectors[r * n + k]!;
        expect(av).toBeCloseTo(values[r]! * vectors[r * n + i]!, 8);
      }
      let dotRr = 0;
      let dotR0 = 0;
      for (let k = 0; k < n; k++) {
        dotRr += vectors[r * n + k]! ** 2;
        dotR0 += vectors[r * n + k]! * vectors[k]!;
      }
      expect(dotRr).toBeCloseTo(1, 10);
      if (r > 0) expect(dotR0).toBeCloseTo(0, 10);
    }
  });
});

describe('pca', () => {
  it('recovers the dominant direction of elongated data', () => {
    const rng = new Rng(1);
    const dir = [3, 4, 0].map((v) => v / 5);
    const rows = Array.from({ length: 300 }, () => {
      const t = rng.normal() * 5;
      return Float32Array.from(dir.map((v) => v * t + 0.1 * rng.normal() + 1));
    });
    const p = pca(rows, 2);
    expect(Math.abs(p.components[0]! * dir[0]! + p.components[1]! * dir[1]!)).toBeCloseTo(1, 3);
    expect(p.variances[0]!).toBeGreaterThan(100 * p.variances[1]!);
    const y = project(rows[0]!, p.mean, p.components, 2);
    expect(y.length).toBe(2);
  });
});

describe('pca with fewer rows than dimensions', () => {
  it('finds the same subspace through the Gram matrix as through the covariance', () => {
    const rng = new Rng(5);
    const d = 30;
    const rows = Array.from({ length: 12 }, () =>
      Float32Array.from({ length: d }, (_, j) => rng.normal() * (j < 3 ? 5 : 0.2)),
    );
    const small = pca(rows, 3);
    const big = pca([...rows, ...rows, ...rows], 3); // 36 rows > 30 dims: the covariance path
    for (let r = 0; r < 3; r++) {
      let dotAB = 0;
      for (let j = 0; j < d; j++) dotAB += small.components[r * d + j]! * big.components[r * d + j]!;
      expect(Math.abs(dotAB)).toBeCloseTo(1, 3);
    }
  });
});
