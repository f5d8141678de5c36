/**
 * A bounding-volume hierarchy over the triangles of a mesh, on flat typed arrays (no node objects): nodes are built
 * top-down by splitting the longest axis of the centroid bounds at its midpoint (falling back to a median split
 * when all centroids land on one side), leaves hold up to 4 triangles. Two queries:
 *
 * - `raycast`: the nearest triangle hit along a ray (Möller–Trumbore, float64), skipping one face and hits closer
 *   than `tMin`; the traversal visits the nearer child first and prunes by the best hit so far.
 * - `overlapping`: every triangle whose box overlaps a given box; `overlapPairs`: every pair of faces whose boxes
 *   overlap, by traversing the tree against itself (for pairwise tests such as self-intersection).
 *
 * Ray queries allocate nothing per call (one traversal stack per BVH), so the thousands of rays of a printability
 * report cost only arithmetic.
 *
 * Memory: 7 floats + 2 ints per node, ≤ 2·F/4 nodes; building is O(F log F).
 */

const LEAF_SIZE = 4;

export interface RayHit {
  face: number;
  /** Distance along the (unit) direction. */
  t: number;
}

export class Bvh {
  readonly positions: Float32Array;
  readonly indices: Uint32Array;
  /** Triangle ids in leaf order. */
  readonly order: Uint32Array;
  /** Per node: min x y z, max x y z. */
  private readonly box: Float64Array;
  /** Per node: for a leaf, first index into `order` (≥ 0) and count; for an inner node, −1 and its right child. */
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  private nodes = 0;
  /** Deepest leaf level: sizes the traversal stacks. */
  private depth = 0;
  /** Triangle bounds (min xyz, max xyz) and centroids, by face id. */
  readonly faceBox: Float64Array;
  /** Traversal stack shared by the queries (they are synchronous and never nested). */
  private stack: Int32Array = new Int32Array(2);

  constructor(positions: Float32Array, indices: Uint32Array) {
    this.positions = positions;
    this.indices = indices;
    const faces = indices.length / 3;
    this.order = Uint32Array.from({ length: faces }, (_, i) => i);
    const maxNodes = Math.max(1, 2 * faces);
    this.box = new Float64Array(maxNodes * 6);
    this.start = new Int32Array(maxNodes);
    this.count = new Int32Array(maxNodes);
    this.faceBox = new Float64Array(faces * 6);
    const centroid = new Float64Array(faces * 3);
    for (let f = 0; f < faces; f++) {
      for (let a = 0; a < 3; a++) {
        const p = positions[indices[3 * f]! * 3 + a]!;
        const q = positions[indices[3 * f + 1]! * 3 + a]!;
        const r = positions[indices[3 * f + 2]! * 3 + a]!;
        this.faceBox[6 * f + a] = Math.min(p, q, r);
        this.faceBox[6 * f + 3 + a] = Math.max(p, q, r);
        centroid[3 * f + a] = (p + q + r) / 3;
      }
    }
    if (faces > 0) this.build(0, faces, centroid, 0);
    this.stack = new Int32Array(this.depth + 2);
  }

  get faceCount(): number {
    return this.indices.length / 3;
  }

  private build(lo: number, hi: number, centroid: Float64Array, level: number): number {
    const node = this.nodes++;
    if (level > this.depth) this.depth = level;
    const b = this.box;
    const o = 6 * node;
    b.fill(Number.POSITIVE_INFINITY, o, o + 3);
    b.fill(Number.NEGATIVE_INFINITY, o + 3, o + 6);
    const cmin = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    const cmax = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (let i = lo; i < hi; i++) {
      const f = this.order[i]!;
      for (let a = 0; a < 3; a++) {
        if (this.faceBox[6 * f + a]! < b[o + a]!) b[o + a] = this.faceBox[6 * f + a]!;
        if (this.faceBox[6 * f + 3 + a]! > b[o + 3 + a]!) b[o + 3 + a] = this.faceBox[6 * f + 3 + a]!;
        const c = centroid[3 * f + a]!;
        if (c < cmin[a]!) cmin[a] = c;
        if (c > cmax[a]!) cmax[a] = c;
      }
    }
    if (hi - lo <= LEAF_SIZE) {
      this.start[node] = lo;
      this.count[node] = hi - lo;
      return node;
    }
    const ext = [cmax[0]! - cmin[0]!, cmax[1]! - cmin[1]!, cmax[2]! - cmin[2]!];
    const axis = ext[0]! >= ext[1]! && ext[0]! >= ext[2]! ? 0 : ext[1]! >= ext[2]! ? 1 : 2;
    const split = (cmin[axis]! + cmax[axis]!) / 2;
    let mid = lo;
    for (let i = lo; i < hi; i++) {
      const f = this.order[i]!;
      if (centroid[3 * f + axis]! < split) {
        this.order[i] = this.order[mid]!;
        this.order[mid++] = f;
      }
    }
    if (mid === lo || mid === hi) {
      // All centroids on one side (identical centroids): split the range in half.
      const sub = Array.from(this.order.subarray(lo, hi)).sort(
        (p, q) => centroid[3 * p + axis]! - centroid[3 * q + axis]!,
      );
      this.order.set(sub, lo);
      mid = (lo + hi) >> 1;
    }
    this.start[node] = -1;
    this.build(lo, mid, centroid, level + 1); // left child is node + 1
    this.count[node] = this.build(mid, hi, centroid, level + 1);
    return node;
  }

  /** Entry distance of the ray into node's box, or Infinity when it misses or enters beyond `tMax`. */
  private enter(
    node: number,
    ox: number,
    oy: number,
    oz: number,
    ix: number,
    iy: number,
    iz: number,
    tMax: number,
  ): number {
    const b = this.box;
    const o = 6 * node;
    let lo = 0;
    let hi = tMax;
    // NaN (0 × ∞): a ray parallel to a slab starting exactly on its boundary, which counts as inside.
    for (let a = 0; a < 3; a++) {
      const oa = a === 0 ? ox : a === 1 ? oy : oz;
      const ia = a === 0 ? ix : a === 1 ? iy : iz;
      const t0 = (b[o + a]! - oa) * ia;
      const t1 = (b[o + 3 + a]! - oa) * ia;
      if (Number.isNaN(t0) || Number.isNaN(t1)) continue;
      if (t0 < t1) {
        if (t0 > lo) lo = t0;
        if (t1 < hi) hi = t1;
      } else {
        if (t1 > lo) lo = t1;
        if (t0 < hi) hi = t0;
      }
    }
    return hi >= lo ? lo : Number.POSITIVE_INFINITY;
  }

  /** Ray–triangle distance (Möller–Trumbore) or Infinity; hits from either side count. */
  intersectFace(f: number, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number): number {
    const p = this.positions;
    const a = this.indices[3 * f]! * 3;
    const b = this.indices[3 * f + 1]! * 3;
    const c = this.indices[3 * f + 2]! * 3;
    const e1x = p[b]! - p[a]!;
    const e1y = p[b + 1]! - p[a + 1]!;
    const e1z = p[b + 2]! - p[a + 2]!;
    const e2x = p[c]! - p[a]!;
    const e2y = p[c + 1]! - p[a + 1]!;
    const e2z = p[c + 2]! - p[a + 2]!;
    const px = dy * e2z - dz * e2y;
    const py = dz * e2x - dx * e2z;
    const pz = dx * e2y - dy * e2x;
    const det = e1x * px + e1y * py + e1z * pz;
    if (Math.abs(det) < 1e-18) return Number.POSITIVE_INFINITY;
    const inv = 1 / det;
    const sx = ox - p[a]!;
    const sy = oy - p[a + 1]!;
    const sz = oz - p[a + 2]!;
    const u = (sx * px + sy * py + sz * pz) * inv;
    if (u < -1e-9 || u > 1 + 1e-9) return Number.POSITIVE_INFINITY;
    const qx = sy * e1z - sz * e1y;
    const qy = sz * e1x - sx * e1z;
    const qz = sx * e1y - sy * e1x;
    const v = (dx * qx + dy * qy + dz * qz) * inv;
    if (v < -1e-9 || u + v > 1 + 1e-9) return Number.POSITIVE_INFINITY;
    return (e2x * qx + e2y * qy + e2z * qz) * inv;
  }

  /**
   * Nearest hit of the ray origin + t·dir (dir should be unit length) with tMin < t ≤ tMax, ignoring face `skip`
   * (−1: none); null when nothing is hit.
   */
  raycast(
    origin: ArrayLike<number>,
    dir: ArrayLike<number>,
    options: { skip?: number; tMin?: number; tMax?: number } = {},
  ): RayHit | null {
    if (this.nodes === 0) return null;
    const ox = origin[0]!;
    const oy = origin[1]!;
    const oz = origin[2]!;
    const dx = dir[0]!;
    const dy = dir[1]!;
    const dz = dir[2]!;
    const ix = 1 / dx;
    const iy = 1 / dy;
    const iz = 1 / dz;
    const skip = options.skip ?? -1;
    const tMin = options.tMin ?? 0;
    let best = options.tMax ?? Number.POSITIVE_INFINITY;
    let face = -1;
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      if (this.enter(node, ox, oy, oz, ix, iy, iz, best) === Number.POSITIVE_INFINITY) continue;
      if (this.start[node]! >= 0) {
        const s = this.start[node]!;
        for (let i = s; i < s + this.count[node]!; i++) {
          const f = this.order[i]!;
          if (f === skip) continue;
          const t = this.intersectFace(f, ox, oy, oz, dx, dy, dz);
          if (t > tMin && t < best) {
            best = t;
            face = f;
          }
        }
        continue;
      }
      const left = node + 1;
      const right = this.count[node]!;
      const tl = this.enter(left, ox, oy, oz, ix, iy, iz, best);
      const tr = this.enter(right, ox, oy, oz, ix, iy, iz, best);
      // Push the farther child first so the nearer one is searched first.
      if (tl <= tr) {
        if (tr !== Number.POSITIVE_INFINITY) stack[sp++] = right;
        if (tl !== Number.POSITIVE_INFINITY) stack[sp++] = left;
      } else {
        if (tl !== Number.POSITIVE_INFINITY) stack[sp++] = left;
        stack[sp++] = right;
      }
    }
    return face < 0 ? null : { face, t: best };
  }

  /**
   * Every unordered pair of faces whose boxes overlap, once each, by a simultaneous traversal of the tree against
   * itself (node pairs whose boxes are apart are never opened — far cheaper than one query per face). Pairs are
   * handed over in batches: `visit(first, second, n)` with first[i] < second[i]; a visitor returning `false` stops
   * the traversal (no further batches).
   */
  overlapPairs(
    visit: (first: Int32Array, second: Int32Array, n: number) => boolean | undefined | void,
    batch = 1 << 15,
  ): void {
    if (this.nodes === 0) return;
    let stopped = false;
    const b = this.box;
    const fb = this.faceBox;
    const first = new Int32Array(batch);
    const second = new Int32Array(batch);
    let n = 0;
    const emit = (f: number, g: number): void => {
      if (stopped) return;
      const q = 6 * f;
      const r = 6 * g;
      if (fb[q]! > fb[r + 3]! || fb[q + 1]! > fb[r + 4]! || fb[q + 2]! > fb[r + 5]!) return;
      if (fb[r]! > fb[q + 3]! || fb[r + 1]! > fb[q + 4]! || fb[r + 2]! > fb[q + 5]!) return;
      first[n] = Math.min(f, g);
      second[n] = Math.max(f, g);
      if (++n === batch) {
        // `false` from the visitor stops the traversal (a work budget)
        if (visit(first, second, n) === false) stopped = true;
        n = 0;
      }
    };
    let stack = new Int32Array(64);
    let sp = 0;
    stack[sp++] = 0;
    stack[sp++] = 0;
    while (sp > 0 && !stopped) {
      const y = stack[--sp]!;
      const x = stack[--sp]!;
      const leafX = this.start[x]! >= 0;
      const leafY = this.start[y]! >= 0;
      if (sp + 6 > stack.length) {
        const grown = new Int32Array(2 * stack.length);
        grown.set(stack);
        stack = grown;
      }
      if (x === y) {
        if (leafX) {
          const s = this.start[x]!;
          const e = s + this.count[x]!;
          for (let i = s; i < e; i++) for (let j = i + 1; j < e; j++) emit(this.order[i]!, this.order[j]!);
        } else {
          const l = x + 1;
          const r = this.count[x]!;
          stack[sp++] = l;
          stack[sp++] = l;
          stack[sp++] = r;
          stack[sp++] = r;
          stack[sp++] = l;
          stack[sp++] = r;
        }
        continue;
      }
      const o = 6 * x;
      const u = 6 * y;
      if (b[o]! > b[u + 3]! || b[o + 1]! > b[u + 4]! || b[o + 2]! > b[u + 5]!) continue;
      if (b[u]! > b[o + 3]! || b[u + 1]! > b[o + 4]! || b[u + 2]! > b[o + 5]!) continue;
      if (leafX && leafY) {
        const sx = this.start[x]!;
        const sy = this.start[y]!;
        for (let i = sx; i < sx + this.count[x]!; i++) {
          for (let j = sy; j < sy + this.count[y]!; j++) emit(this.order[i]!, this.order[j]!);
        }
      } else if (leafY || (!leafX && this.count[x]! - x >= this.count[y]! - y)) {
        // open x (the inner node, or the larger of two: its right child's id − its own ≈ its left subtree's size)
        stack[sp++] = x + 1;
        stack[sp++] = y;
        stack[sp++] = this.count[x]!;
        stack[sp++] = y;
      } else {
        stack[sp++] = x;
        stack[sp++] = y + 1;
        stack[sp++] = x;
        stack[sp++] = this.count[y]!;
      }
    }
    if (n > 0 && !stopped) visit(first, second, n);
  }

  /** Calls `visit(face)` for every triangle whose bounding box overlaps [min, max] (inclusive, `pad` added). */
  overlapping(min: ArrayLike<number>, max: ArrayLike<number>, visit: (face: number) => void, pad = 0): void {
    if (this.nodes === 0) return;
    const b = this.box;
    const stack = new Int32Array(this.depth + 2); // own stack: `visit` may run other queries
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp]!;
      const o = 6 * node;
      if (
        b[o]! > max[0]! + pad ||
        b[o + 1]! > max[1]! + pad ||
        b[o + 2]! > max[2]! + pad ||
        b[o + 3]! < min[0]! - pad ||
        b[o + 4]! < min[1]! - pad ||
        b[o + 5]! < min[2]! - pad
      ) {
        continue;
      }
      if (this.start[node]! >= 0) {
        const s = this.start[node]!;
        for (let i = s; i < s + this.count[node]!; i++) visit(this.order[i]!);
      } else {
        stack[sp++] = this.count[node]!;
        stack[sp++] = node + 1;
      }
    }
  }
}
