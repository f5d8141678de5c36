/**
 * Topology of a welded triangle mesh, all on typed arrays: the directed edges are bucketed by their lower vertex
 * (a CSR adjacency: count, prefix-sum, fill), then each vertex's short bucket is scanned to count how often every
 * undirected edge is used in each direction; union-find over vertices gives the shells. No per-edge objects.
 *
 * - open edge: used by exactly one face (a hole's rim);
 * - non-manifold edge: used by three or more faces;
 * - inconsistently oriented edge: used by two faces that traverse it in the same direction (a flipped neighbour);
 * - degenerate face: two of its welded corners are the same vertex (it is left out of the edge map);
 * - shells: connected components of faces (sharing a vertex);
 * - genus: from the Euler characteristic V − E + F = 2·(shells − genus), only when the mesh is closed, manifold and
 *   consistently oriented (else null).
 */

export interface Topology {
  /** Vertices used by at least one non-degenerate face. */
  vertices: number;
  edges: number;
  openEdges: number;
  nonManifoldEdges: number;
  inconsistentEdges: number;
  /** Faces whose welded corners coincide (collapsed). */
  collapsedFaces: number;
  shells: number;
  /** Shell id (0..shells-1) per vertex, -1 for unused vertices. */
  shellOfVertex: Int32Array;
  genus: number | null;
}

function find(parent: Int32Array, v: number): number {
  while (parent[v] !== v) {
    const g = parent[parent[v]!]!;
    parent[v] = g;
    v = g;
  }
  return v;
}

function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra !== rb) {
    if (ra < rb) parent[rb] = ra;
    else parent[ra] = rb;
  }
}

/** Edge tallies while scanning buckets (entries = upper vertex << 1 | forward flag; vertices < 2³¹). */
interface EdgeCounts {
  edges: number;
  open: number;
  nonManifold: number;
  inconsistent: number;
}

function classify(uses: number, fwd: number, c: EdgeCounts): void {
  c.edges++;
  if (uses === 1) c.open++;
  else if (uses > 2) c.nonManifold++;
  else if (fwd !== 1) c.inconsistent++;
}

/** Sorts bucket [s0, s1) of `entry` in place (insertion sort for short buckets), then tallies each run. */
function scanBucket(entry: Uint32Array, s0: number, s1: number, c: EdgeCounts): void {
  if (s1 - s0 > 48) entry.subarray(s0, s1).sort();
  else {
    for (let i = s0 + 1; i < s1; i++) {
      const x = entry[i]!;
      let j = i - 1;
      while (j >= s0 && entry[j]! > x) {
        entry[j + 1] = entry[j]!;
        j--;
      }
      entry[j + 1] = x;
    }
  }
  let s = s0;
  while (s < s1) {
    const h = entry[s]! >>> 1;
    let uses = 0;
    let fwd = 0;
    for (; s < s1 && entry[s]! >>> 1 === h; s++) {
      uses++;
      fwd += entry[s]! & 1;
    }
    classify(uses, fwd, c);
  }
}

/** Analyses `indices` (3 per face) over `vertexCount` welded vertices. */
export function analyzeTopology(indices: Uint32Array, vertexCount: number): Topology {
  const faces = indices.length / 3;
  const V = vertexCount;
  const parent = new Int32Array(V);
  for (let v = 0; v < V; v++) parent[v] = v;
  const usedV = new Uint8Array(V);
  const start = new Int32Array(V + 1);
  let collapsed = 0;
  for (let f = 0; f < faces; f++) {
    const a = indices[3 * f]!;
    const b = indices[3 * f + 1]!;
    const c = indices[3 * f + 2]!;
    if (a === b || b === c || a === c) {
      collapsed++;
      continue;
    }
    start[Math.min(a, b) + 1]!++;
    start[Math.min(b, c) + 1]!++;
    start[Math.min(c, a) + 1]!++;
    usedV[a] = 1;
    usedV[b] = 1;
    usedV[c] = 1;
    union(parent, a, b);
    union(parent, a, c);
  }
  for (let v = 0; v < V; v++) start[v + 1]! += start[v]!;
  // Bucket entries: 2 × upper vertex + 1 when the face walks the edge lower → upper.
  const fill = start.slice(0, V);
  const entry = new Uint32Array(start[V]!);
  const put = (a: number, b: number): void => {
    if (a < b) entry[fill[a]!++] = (b << 1) | 1;
    else entry[fill[b]!++] = a << 1;
  };
  for (let f = 0; f < faces; f++) {
    const a = indices[3 * f]!;
    const b = indices[3 * f + 1]!;
    const c = indices[3 * f + 2]!;
    if (a === b || b === c || a === c) continue;
    put(a, b);
    put(b, c);
    put(c, a);
  }
  const counts: EdgeCounts = { edges: 0, open: 0, nonManifold: 0, inconsistent: 0 };
  for (let v = 0; v < V; v++) scanBucket(entry, start[v]!, start[v + 1]!, counts);

  const shellOfVertex = new Int32Array(V).fill(-1);
  let shells = 0;
  let vertices = 0;
  for (let v = 0; v < V; v++) {
    if (!usedV[v]) continue;
    vertices++;
    const r = find(parent, v);
    if (shellOfVertex[r] === -1) shellOfVertex[r] = shells++;
    shellOfVertex[v] = shellOfVertex[r]!;
  }

  const live = faces - collapsed;
  const closed = live > 0 && counts.open === 0 && counts.nonManifold === 0 && counts.inconsistent === 0;
  const euler = vertices - counts.edges + live;
  const genus = closed && euler % 2 === 0 ? shells - euler / 2 : null;
  return {
    vertices,
    edges: counts.edges,
    openEdges: counts.open,
    nonManifoldEdges: counts.nonManifold,
    inconsistentEdges: counts.inconsistent,
    collapsedFaces: collapsed,
    shells,
    shellOfVertex,
    genus,
  };
}
