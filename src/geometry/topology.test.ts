import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { analyzeTopology } from './topology.js';
import { weldVertices } from './weld.js';

/** Obviously-correct reference: a Map of undirected edges with per-direction counts, BFS for shells. */
function reference(positions: Float32Array, indices: Uint32Array) {
  const key = (v: number) => `${positions[3 * v]},${positions[3 * v + 1]},${positions[3 * v + 2]}`;
  const ids = new Map<string, number>();
  const w = Array.from(indices, (v) => {
    const k = key(v);
    if (!ids.has(k)) ids.set(k, ids.size);
    return ids.get(k)!;
  });
  const edges = new Map<string, [number, number]>();
  const adj = new Map<number, Set<number>>();
  let collapsed = 0;
  for (let f = 0; f < w.length; f += 3) {
    const c = [w[f]!, w[f + 1]!, w[f + 2]!];
    if (new Set(c).size < 3) {
      collapsed++;
      continue;
    }
    for (let k = 0; k < 3; k++) {
      const a = c[k]!;
      const b = c[(k + 1) % 3]!;
      const e = edges.get(`${Math.min(a, b)}-${Math.max(a, b)}`) ?? [0, 0];
      e[a < b ? 0 : 1]++;
      edges.set(`${Math.min(a, b)}-${Math.max(a, b)}`, e);
      if (!adj.has(a)) adj.set(a, new Set());
      adj.get(a)!.add(b);
      if (!adj.has(b)) adj.set(b, new Set());
      adj.get(b)!.add(a);
    }
  }
  let open = 0;
  let nonManifold = 0;
  let inconsistent = 0;
  for (const [f, b] of edges.values()) {
    if (f + b === 1) open++;
    else if (f + b > 2) nonManifold++;
    else if (f !== 1) inconsistent++;
  }
  const seen = new Set<number>();
  let shells = 0;
  for (const v of adj.keys()) {
    if (seen.has(v)) continue;
    shells++;
    const stack = [v];
    seen.add(v);
    while (stack.length > 0) {
      for (const u of adj.get(stack.pop()!)!) {
        if (!seen.has(u)) {
          seen.add(u);
          stack.push(u);
        }
      }
    }
  }
  return { edges: edges.size, open, nonManifold, inconsistent, collapsed, shells, vertices: adj.size };
}

describe('analyzeTopology vs a brute-force reference on random triangle soups', () => {
  it('agrees on 200 random meshes (duplicate positions, repeated corners, fans over 48 edges)', () => {
    const rng = new Rng(2024);
    for (let trial = 0; trial < 200; trial++) {
      const nv = 4 + rng.int(40);
      // Coordinates on a coarse grid so that many vertices share a position (exact welding merges them).
      const positions = Float32Array.from({ length: 3 * nv }, () => rng.int(4));
      const nf = 1 + rng.int(trial % 10 === 0 ? 1500 : 60);
      const indices = Uint32Array.from({ length: 3 * nf }, () => rng.int(nv));
      const w = weldVertices(positions, indices, 0);
      const t = analyzeTopology(w.indices, w.positions.length / 3);
      const r = reference(positions, indices);
      expect({
        edges: t.edges,
        open: t.openEdges,
        nonManifold: t.nonManifoldEdges,
        inconsistent: t.inconsistentEdges,
        collapsed: t.collapsedFaces,
        shells: t.shells,
        vertices: t.vertices,
      }).toEqual(r);
    }
  });
});
