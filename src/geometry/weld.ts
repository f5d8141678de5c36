/**
 * Vertex welding with a tolerance: a spatial hash on typed arrays (no per-vertex objects). Vertices closer than
 * `toleranceMm` (Euclidean) to an earlier kept vertex are merged into it (greedy, in index order). Cells are 8 × the
 * tolerance wide, so a vertex looks at its own cell and only at the neighbouring cells it is within tolerance of
 * (usually just one cell). An exact pass (hash on the float bits) runs first, so the tolerance pass only sees
 * distinct positions — for STL, a sixth of the corners. With tolerance 0 only bit-identical coordinates merge
 * (and -0 equals +0).
 * Unreferenced vertices are dropped; the result holds only the vertices the triangles use.
 */

export interface WeldResult {
  /** Welded vertex positions (x, y, z per vertex), only referenced vertices. */
  positions: Float32Array;
  /** Triangle indices into `positions` (same triangle order and count as the input). */
  indices: Uint32Array;
  /** For each input vertex, its welded index (0xffffffff when unreferenced). */
  remap: Uint32Array;
}

const UNSET = 0xffffffff;
const EMPTY = -1;
const NEG_ZERO = -2147483648; // bit pattern of -0 as int32

/** Hash of three int32 cell coordinates (any 32-bit mix works: the table compares full keys). */
function cellHash(x: number, y: number, z: number): number {
  return (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77) ^ Math.imul(z, 0xc2b2ae3d)) >>> 0;
}

/** Open-addressing table from int32 cell triples to the head of that cell's vertex list; grows at load ½. */
class CellTable {
  /** Stride 4: cx, cy, cz, head (head = EMPTY marks a free slot). */
  private slots: Int32Array;
  private mask: number;
  private size = 0;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap * 4).fill(EMPTY);
    this.mask = cap - 1;
  }

  /** Slot index (×4) of the cell, or -1. */
  find(cx: number, cy: number, cz: number): number {
    const t = this.slots;
    let s = cellHash(cx, cy, cz) & this.mask;
    for (;;) {
      const o = s << 2;
      if (t[o + 3] === EMPTY) return -1;
      if (t[o] === cx && t[o + 1] === cy && t[o + 2] === cz) return o;
      s = (s + 1) & this.mask;
    }
  }

  head(o: number): number {
    return this.slots[o + 3]!;
  }

  setHead(o: number, v: number): void {
    this.slots[o + 3] = v;
  }

  /** Inserts a new cell (known absent) with list head `v`. */
  insert(cx: number, cy: number, cz: number, v: number): void {
    if (++this.size * 2 > this.mask + 1) this.grow();
    const t = this.slots;
    let s = cellHash(cx, cy, cz) & this.mask;
    while (t[(s << 2) + 3] !== EMPTY) s = (s + 1) & this.mask;
    const o = s << 2;
    t[o] = cx;
    t[o + 1] = cy;
    t[o + 2] = cz;
    t[o + 3] = v;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    this.mask = old.length / 2 - 1;
    const t = this.slots;
    for (let o = 0; o < old.length; o += 4) {
      if (old[o + 3] === EMPTY) continue;
      let s = cellHash(old[o]!, old[o + 1]!, old[o + 2]!) & this.mask;
      while (t[(s << 2) + 3] !== EMPTY) s = (s + 1) & this.mask;
      t.set(old.subarray(o, o + 4), s << 2);
    }
  }
}

/**
 * Exact pass: one id per distinct bit pattern (−0 read as +0), numbered in first-use order. `ids[t]` is the id of
 * index slot t; `uniq` holds each id's position.
 */
function exactIds(positions: Float32Array, indices: Uint32Array): { ids: Uint32Array; uniq: Float32Array; count: number } {
  const bits = new Int32Array(positions.buffer, positions.byteOffset, positions.length);
  const seen = new Uint32Array(positions.length / 3).fill(UNSET);
  const ids = new Uint32Array(indices.length);
  const table = new CellTable(indices.length / 6);
  let uniq = new Float32Array(Math.max(48, indices.length / 2));
  let count = 0;
  for (let t = 0; t < indices.length; t++) {
    const v = indices[t]!;
    let e = seen[v]!;
    if (e === UNSET) {
      const bx = bits[3 * v]! === NEG_ZERO ? 0 : bits[3 * v]!;
      const by = bits[3 * v + 1]! === NEG_ZERO ? 0 : bits[3 * v + 1]!;
      const bz = bits[3 * v + 2]! === NEG_ZERO ? 0 : bits[3 * v + 2]!;
      const o = table.find(bx, by, bz);
      if (o >= 0) e = table.head(o);
      else {
        e = count++;
        table.insert(bx, by, bz, e);
        if (3 * count > uniq.length) {
          const grown = new Float32Array(uniq.length * 2);
          grown.set(uniq);
          uniq = grown;
        }
        uniq[3 * e] = positions[3 * v]! + 0;
        uniq[3 * e + 1] = positions[3 * v + 1]! + 0;
        uniq[3 * e + 2] = positions[3 * v + 2]! + 0;
      }
      seen[v] = e;
    }
    ids[t] = e;
  }
  return { ids, uniq, count };
}

/** Tolerance pass over distinct positions: welded index of each (greedy, in order). */
function toleranceIds(pts: Float32Array, n: number, tol: number): { map: Uint32Array; out: Float32Array; count: number } {
  const map = new Uint32Array(n);
  const table = new CellTable(n / 2);
  const next = new Int32Array(n);
  const out = new Float32Array(n * 3);
  const tol2 = tol * tol;
  const inv = 1 / (8 * tol);
  let count = 0;
  const search = (cx: number, cy: number, cz: number, x: number, y: number, z: number): number => {
    const o = table.find(cx, cy, cz);
    if (o < 0) return -1;
    for (let w = table.head(o); w !== EMPTY; w = next[w]!) {
      const dx = out[3 * w]! - x;
      const dy = out[3 * w + 1]! - y;
      const dz = out[3 * w + 2]! - z;
      if (dx * dx + dy * dy + dz * dz <= tol2) return w;
    }
    return -1;
  };
  for (let i = 0; i < n; i++) {
    const x = pts[3 * i]!;
    const y = pts[3 * i + 1]!;
    const z = pts[3 * i + 2]!;
    const fx = x * inv;
    const fy = y * inv;
    const fz = z * inv;
    const cx = Math.floor(fx) | 0;
    const cy = Math.floor(fy) | 0;
    const cz = Math.floor(fz) | 0;
    let hit = search(cx, cy, cz, x, y, z);
    if (hit < 0) {
      // Which neighbour cell (if any) lies within tolerance on each axis: -1, 0 or +1.
      const ox = fx - cx < 0.125 ? -1 : fx - cx > 0.875 ? 1 : 0;
      const oy = fy - cy < 0.125 ? -1 : fy - cy > 0.875 ? 1 : 0;
      const oz = fz - cz < 0.125 ? -1 : fz - cz > 0.875 ? 1 : 0;
      for (let k = 1; k < 8 && hit < 0; k++) {
        if ((k & 1 && !ox) || (k & 2 && !oy) || (k & 4 && !oz)) continue;
        hit = search(cx + (k & 1 ? ox : 0), cy + (k & 2 ? oy : 0), cz + (k & 4 ? oz : 0), x, y, z);
      }
    }
    if (hit >= 0) {
      map[i] = hit;
      continue;
    }
    const o = table.find(cx, cy, cz);
    if (o < 0) {
      next[count] = EMPTY;
      table.insert(cx, cy, cz, count);
    } else {
      next[count] = table.head(o);
      table.setHead(o, count);
    }
    out[3 * count] = x;
    out[3 * count + 1] = y;
    out[3 * count + 2] = z;
    map[i] = count++;
  }
  return { map, out, count };
}

/** Welds `positions`/`indices` (see module comment). `toleranceMm` must be ≥ 0 and finite. */
export function weldVertices(positions: Float32Array, indices: Uint32Array, toleranceMm: number): WeldResult {
  const exact = exactIds(positions, indices);
  const remap = new Uint32Array(positions.length / 3).fill(UNSET);
  const welded = exact.ids;
  if (!(toleranceMm > 0)) {
    for (let t = 0; t < indices.length; t++) remap[indices[t]!] = welded[t]!;
    return { positions: exact.uniq.slice(0, 3 * exact.count), indices: welded, remap };
  }
  const tol = toleranceIds(exact.uniq, exact.count, toleranceMm);
  for (let t = 0; t < indices.length; t++) {
    const w = tol.map[welded[t]!]!;
    welded[t] = w;
    remap[indices[t]!] = w;
  }
  return { positions: tol.out.slice(0, 3 * tol.count), indices: welded, remap };
}
