import { describe, expect, it } from 'vitest';
import { Bvh } from './bvh.js';
import { box, merge, translate, uvSphere } from './primitives.js';

/** Brute force nearest hit for the reference check. */
function bruteRay(bvh: Bvh, o: number[], d: number[], tMin: number): { face: number; t: number } | null {
  let best: { face: number; t: number } | null = null;
  for (let f = 0; f < bvh.faceCount; f++) {
    const t = bvh.intersectFace(f, o[0]!, o[1]!, o[2]!, d[0]!, d[1]!, d[2]!);
    if (t > tMin && t < Number.POSITIVE_INFINITY && (!best || t < best.t)) best = { face: f, t };
  }
  return best;
}

describe('Bvh', () => {
  it('ray into a box hits the far face at the known distance', () => {
    const bvh = new Bvh(...(Object.values(box([10, 20, 4])) as [Float32Array, Uint32Array]));
    const hit = bvh.raycast([5, 5, 10], [0, 0, -1]);
    expect(hit?.t).toBeCloseTo(6, 9); // top face at z = 4
    const inside = bvh.raycast([5, 5, 2], [0, 0, -1]);
    expect(inside?.t).toBeCloseTo(2, 9);
    expect(bvh.raycast([50, 5, 2], [0, 0, -1])).toBeNull();
  });

  it('matches brute force on random rays through spheres and boxes', () => {
    const m = merge(
      uvSphere(10, 16, 32),
      translate(box([8, 8, 8]), [5, -3, 2]),
      translate(uvSphere(4, 8, 16), [-9, 9, 0]),
    );
    const bvh = new Bvh(m.positions, m.indices);
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let hits = 0;
    for (let i = 0; i < 300; i++) {
      const o = [rnd() * 40 - 20, rnd() * 40 - 20, rnd() * 40 - 20];
      const d = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5];
      const l = Math.hypot(d[0]!, d[1]!, d[2]!);
      const dir = d.map((x) => x / l);
      const want = bruteRay(bvh, o, dir, 1e-9);
      const got = bvh.raycast(o, dir, { tMin: 1e-9 });
      if (want) expect(got?.t).toBeCloseTo(want.t, 9);
      else expect(got).toBeNull();
      if (want) hits++;
    }
    expect(hits).toBeGreaterThan(50);
  });

  it('overlapping visits exactly the faces whose boxes overlap', () => {
    const m = merge(box([1, 1, 1]), translate(box([1, 1, 1]), [5, 0, 0]));
    const bvh = new Bvh(m.positions, m.indices);
    const seen: number[] = [];
    bvh.overlapping([4.5, -1, -1], [7, 2, 2], (f) => seen.push(f));
    expect(seen.sort((a, b) => a - b)).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
  });

  it('overlapPairs yields every pair of faces with overlapping boxes exactly once (vs brute force)', () => {
    const m = merge(
      uvSphere(5, 12, 24),
      translate(uvSphere(4, 10, 20), [6, 1, 0]),
      translate(box([3, 3, 3]), [2, 2, 2]),
    );
    const bvh = new Bvh(m.positions, m.indices);
    const fb = bvh.faceBox;
    const want: string[] = [];
    for (let f = 0; f < bvh.faceCount; f++) {
      for (let g = f + 1; g < bvh.faceCount; g++) {
        let apart = false;
        for (let a = 0; a < 3; a++)
          apart ||= fb[6 * f + a]! > fb[6 * g + 3 + a]! || fb[6 * g + a]! > fb[6 * f + 3 + a]!;
        if (!apart) want.push(`${f},${g}`);
      }
    }
    const got: string[] = [];
    let batches = 0;
    bvh.overlapPairs((first, second, n) => {
      batches++;
      for (let i = 0; i < n; i++) {
        expect(first[i]!).toBeLessThan(second[i]!);
        got.push(`${first[i]},${second[i]}`);
      }
    }, 500); // small batches: the hand-over is exercised too
    expect(got.length).toBe(want.length);
    expect(got.sort()).toEqual(want.sort());
    expect(batches).toBe(Math.ceil(want.length / 500));
  });

  it('empty mesh: no hits', () => {
    const bvh = new Bvh(new Float32Array(0), new Uint32Array(0));
    expect(bvh.raycast([0, 0, 0], [0, 0, 1])).toBeNull();
  });
});
