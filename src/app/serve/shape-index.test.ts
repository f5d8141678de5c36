/**
 * Shape search through the usearch index against brute force: recall@10 ≥ 0.95, rows set after the index was built
 * (uploads) found exactly, the item itself never its own neighbour, and a restart maps the saved file.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { CandidateIndexes } from './indexes.js';
import { ShapeVectors } from './shape-vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-shape-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Embedding-like rows: 200 family centres plus per-item noise. */
function vectors(n: number, dim: number, seed: number): ShapeVectors {
  const rng = new Rng(seed);
  const centres = Array.from({ length: 200 }, () => Array.from({ length: dim }, () => rng.normal(0, 1)));
  const v = new ShapeVectors('toy', dim, n);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(centres.length)]!;
    v.set(
      i,
      c.map((x) => x + rng.normal(0, 0.6)),
    );
  }
  return v;
}

describe('shape index', () => {
  it('finds ≥ 95 % of brute force’s 10 nearest, merges later uploads, maps the saved file on restart', async () => {
    const n = 6000;
    const exact = vectors(n, 32, 1);
    const ann = vectors(n, 32, 1);
    const indexes = new CandidateIndexes({ dir, minItems: 0 });
    await indexes.attachShapes(ann);
    expect(ann.indexed).toBe(true);
    expect(indexes.lastBuildSeconds).toBeGreaterThan(0);
    let found = 0;
    for (let q = 0; q < 300; q++) {
      const truth = exact.nearest(q * 20, 10);
      const got = ann.nearest(q * 20, 10);
      expect(got.map((h) => h.index)).not.toContain(q * 20);
      const have = new Set(got.map((h) => h.index));
      found += truth.filter((h) => have.has(h.index)).length;
      // scores are exact cosines
      for (const h of got) expect(h.score).toBeCloseTo(exact.similarity(q * 20, h.index), 5);
    }
    expect(found / 3000).toBeGreaterThanOrEqual(0.95);
    // an upload after the build: a copy of row 7 is found as its nearest neighbour
    ann.set(n, ann.vector(7)!.slice());
    expect(ann.nearest(7, 1)[0]).toMatchObject({ index: n });
    expect(
      ann
        .nearestToVector(ann.vector(7)!, 2)
        .map((h) => h.index)
        .sort((a, b) => a - b),
    ).toEqual([7, n]);
    // a second server with the same vectors maps the file instead of building
    const again = vectors(n, 32, 1);
    const restart = new CandidateIndexes({ dir, minItems: 0 });
    await restart.attachShapes(again);
    expect(restart.lastBuildSeconds).toBe(0);
    expect(again.nearest(40, 5)).toEqual(ann.nearest(40, 5));
    expect(readdirSync(dir).filter((f) => f.startsWith('shapes-toy-'))).toHaveLength(1);
    // other vectors under the same encoder replace the file
    const changed = vectors(n, 32, 3);
    await restart.attachShapes(changed);
    expect(restart.lastBuildSeconds).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('shapes-toy-'))).toHaveLength(1);
    // below the size threshold nothing is built
    const small = vectors(50, 32, 2);
    await new CandidateIndexes({ dir, minItems: 100 }).attachShapes(small);
    expect(small.indexed).toBe(false);
  }, 60_000);
});
